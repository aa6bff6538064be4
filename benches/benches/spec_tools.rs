//! How the spec authors' tools scale: `lint`, `audit` (against synthetic reference pages) and
//! the whole `regenerate --check` (client, dispatch and command-line tables, mock server), on
//! synthetic specs of 250, 1 000 and 5 000 operations. Before the shared locator, lint re-scanned
//! the text per finding (4.3 s / 66 s / over 10 min).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use otc_benchmarks::synthetic;

/// The allocator the `xtask` binary runs on, so the figures are `cargo xtask`'s.
#[global_allocator]
static ALLOCATOR: xtask::allocator::Allocator = xtask::allocator::Allocator;

const SIZES: [usize; 3] = [250, 1_000, 5_000];

fn spec_tools(c: &mut Criterion) {
    xtask::allocator::keep_freed_pages();
    let reference = tempfile::tempdir().expect("a temporary folder");
    for &operations in &SIZES {
        synthetic::write_reference_pages(reference.path(), operations).expect("pages written");
    }
    let texts: Vec<(usize, String)> = SIZES.iter().map(|&n| (n, synthetic::spec(n))).collect();

    let mut group = c.benchmark_group("lint");
    for (operations, text) in &texts {
        group.throughput(Throughput::Elements(*operations as u64));
        group.bench_with_input(BenchmarkId::from_parameter(operations), text, |b, text| {
            b.iter(|| {
                let linted = xtask::lint::lint_text("specs/synthetic.yaml", text).expect("lints");
                assert!(linted.count("warning") >= *operations);
                linted.findings.iter().map(|finding| linted.render(finding).len()).sum::<usize>()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("audit");
    for (operations, text) in &texts {
        // The file stem names the page folder.
        let dir = reference.path().join(format!("specs-{operations}"));
        std::fs::create_dir_all(&dir).expect("a spec folder");
        let path = dir.join(format!("{}.yaml", synthetic::SERVICE));
        std::fs::write(&path, text).expect("spec written");
        group.throughput(Throughput::Elements(*operations as u64));
        group.bench_with_input(BenchmarkId::from_parameter(operations), &path, |b, path| {
            b.iter(|| {
                let audit = xtask::audit::audit_file(path, "specs/synthetic.yaml", reference.path()).expect("audits");
                assert!(audit.errors.is_empty(), "{:?}", &audit.errors[..1]);
                assert_eq!(audit.operations.len(), *operations);
                xtask::audit::report::details(&[audit]).len()
            })
        });
    }
    group.finish();

    // The whole `regenerate --check` (every output planned, then compared with the disk), on a
    // scratch project holding only the synthetic spec, generated once beforehand.
    let mut group = c.benchmark_group("regenerate-check");
    let readme = xtask::project_root().join("README.md");
    for &operations in &SIZES {
        let root = tempfile::tempdir().expect("a scratch root");
        synthetic::write_project(root.path(), operations, &readme).expect("a scratch project");
        let planned = xtask::regenerate::plan(root.path()).expect("plans");
        xtask::regenerate::apply(root.path(), &xtask::regenerate::Drift { changed: planned, stale: Vec::new() })
            .expect("writes");
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_with_input(BenchmarkId::from_parameter(operations), root.path(), |b, root| {
            b.iter(|| {
                let planned = xtask::regenerate::plan(root).expect("plans");
                let drift = xtask::regenerate::drift(root, &planned).expect("compares");
                assert!(drift.is_empty(), "up to date");
                planned.len()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(500));
    targets = spec_tools
}
criterion_main!(benches);
