//! Where `regenerate --check`'s time goes on a synthetic spec, stage by stage, its outputs being
//! the client module, the golden dispatch table and the mock server (one run each;
//! criterion's `spec_tools` bench gives the statistics):
//! `cargo run --release -p otc-benchmarks --example codegen_stages -- 5000`.

use std::path::Path;
use std::time::Instant;

fn main() {
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
    drop(normalized);
    let generated = otc_codegen::generate_spec(&spec, "specs/synthetic.yaml").expect("generates");
    lap("pipeline");
    let modules = [otc_codegen::dispatch::Module { spec: &spec, file: &generated.file }];
    let dispatch = otc_codegen::dispatch::dispatch_source(&modules).expect("dispatch");
    lap("dispatch");
    let mocks = [otc_codegen::mock::Module { spec: &spec, normalized: &generated.normalized }];
    let mock = otc_codegen::mock::mock_source(&mocks).expect("mock");
    lap("mock");
    println!(
        "{operations} operations: {} + {} + {} bytes of Rust (client, dispatch, mock)",
        generated.source.len(),
        dispatch.len(),
        mock.len()
    );
}
