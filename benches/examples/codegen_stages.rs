//! Where `regenerate --check`'s time goes on a synthetic spec, stage by stage, its outputs being
//! the client module, the golden dispatch table, the command line's table and the mock server
//! (one run each; criterion's `spec_tools` bench gives the statistics), then the whole
//! `regenerate --check` as `cargo xtask` runs it, on a scratch root holding only that spec:
//! `cargo run --release -p otc-benchmarks --example codegen_stages -- 5000`.

use std::path::Path;
use std::time::Instant;

/// The allocator the `xtask` binary runs on, so the figures are `cargo xtask`'s.
#[global_allocator]
static ALLOCATOR: xtask::allocator::Allocator = xtask::allocator::Allocator;

fn main() {
    xtask::allocator::keep_freed_pages();
    let operations: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let text = otc_benchmarks::synthetic::spec(operations);
    let path = Path::new("specs/synthetic.yaml");
    let mut last = Instant::now();
    let mut lap = |stage: &str| {
        println!("{stage:>10}: {:>8.1} ms", last.elapsed().as_secs_f64() * 1e3);
        last = Instant::now();
    };
    let spec = otc_codegen::load::parse(path, &text).expect("loads");
    lap("load");
    otc_codegen::validate::validate(&spec).expect("valid");
    lap("validate");
    let normalized = otc_codegen::normalize::normalize(&spec.openapi).expect("the spec normalizes");
    lap("normalize");
    let generated = otc_codegen::generate_spec(&spec, "specs/synthetic.yaml").expect("generates");
    lap("pipeline");
    let modules = [otc_codegen::dispatch::Module { spec: &spec, file: &generated.file }];
    let dispatch = otc_codegen::dispatch::dispatch_source(&modules).expect("dispatch");
    lap("dispatch");
    let cli = otc_codegen::cli::cli_source(&modules, &Default::default()).expect("cli");
    lap("cli");
    let mocks = [otc_codegen::mock::Module { spec: &spec, normalized: &normalized }];
    let mock = otc_codegen::mock::mock_source(&mocks).expect("mock");
    lap("mock");
    println!(
        "{operations} operations: {} + {} + {} + {} bytes of Rust (client, dispatch, cli, mock)",
        generated.source.len(),
        dispatch.len(),
        cli.len(),
        mock.len()
    );
    drop((generated, dispatch, cli, mock));

    // The whole command: plan every output, then compare with the disk (here: up to date).
    let root = tempfile::tempdir().expect("a scratch root");
    otc_benchmarks::synthetic::write_project(root.path(), operations, &xtask::project_root().join("README.md"))
        .expect("a scratch project");
    let planned = xtask::regenerate::plan(root.path()).expect("plans");
    xtask::regenerate::apply(root.path(), &xtask::regenerate::Drift { changed: planned, stale: Vec::new() })
        .expect("writes");
    let start = Instant::now();
    let planned = xtask::regenerate::plan(root.path()).expect("plans");
    let drift = xtask::regenerate::drift(root.path(), &planned).expect("compares");
    assert!(drift.is_empty(), "the scratch root is up to date");
    println!("whole `regenerate --check`: {:>8.1} ms", start.elapsed().as_secs_f64() * 1e3);
}
