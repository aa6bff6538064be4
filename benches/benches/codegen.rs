//! Code generation, load → format: on the real specs, and on synthetic specs of 10, 100 and
//! 1 000 operations (each with its own response schema holding an enum), to see how the time
//! grows with the size of a spec.

use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn synthetic(operations: usize) -> String {
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\npaths:\n");
    for i in 0..operations {
        yaml.push_str(&format!(
            "  /v1/{{project_id}}/things{i}/{{id}}:\n    get:\n      operationId: ShowThing{i}\n      parameters:\n\
             \x20       - {{name: project_id, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: id, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: limit, in: query, schema: {{type: integer, format: int32}}}}\n\
             \x20     responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n\
             \x20             schema: {{$ref: '#/components/schemas/Thing{i}'}}\n"
        ));
    }
    yaml.push_str("components:\n  schemas:\n");
    for i in 0..operations {
        yaml.push_str(&format!(
            "    Thing{i}:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n\
             \x20       name: {{type: string, maxLength: 255}}\n        size: {{type: integer, format: int64}}\n\
             \x20       tags: {{type: array, items: {{type: string}}}}\n\
             \x20       status: {{type: string, enum: [queued, saving, active, killed, deleted]}}\n"
        ));
    }
    yaml
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn codegen(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen real specs");
    for name in ["modelarts", "ims", "iam"] {
        let path = specs_dir().join(format!("{name}.yaml"));
        group.bench_function(name, |b| b.iter(|| otc_codegen::generate_file(&path, "specs/x.yaml").unwrap()));
    }
    group.finish();

    let mut group = c.benchmark_group("codegen synthetic");
    group.sample_size(10);
    for operations in [10usize, 100, 1000] {
        let text = synthetic(operations);
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_with_input(BenchmarkId::from_parameter(operations), &text, |b, text| {
            b.iter(|| {
                let spec = otc_codegen::load::parse(Path::new("synthetic.yaml"), text).unwrap();
                otc_codegen::generate_spec(&spec, "synthetic.yaml").unwrap()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    targets = codegen
}
criterion_main!(benches);
