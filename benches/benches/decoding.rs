//! Decoding a ListImageGroup response of 10 000 items into the generated type, against
//! serde_json into equivalent hand-written structs (plain `String` fields where the generated
//! type has open enums or options).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use otc_client::modelarts::types::ListImageGroupResponse;
use serde::Deserialize;

#[allow(dead_code)]
#[derive(Deserialize)]
struct HandWrittenPage {
    current: Option<i32>,
    data: Option<Vec<HandWrittenGroup>>,
    pages: Option<i32>,
    size: Option<i32>,
    total: Option<i64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct HandWrittenGroup {
    name: Option<String>,
    create_at: Option<i64>,
    namespace: Option<String>,
    update_at: Option<i64>,
    version_count: Option<i32>,
}

fn body(items: usize) -> Vec<u8> {
    let data: Vec<serde_json::Value> = (0..items)
        .map(|i| {
            serde_json::json!({"create_at": 1652878011643i64 + i as i64, "name": format!("image-{i}"),
                               "namespace": "op_svc_modelarts_container2", "update_at": 1652878531791i64, "version_count": i % 7})
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"current": 1, "data": data, "pages": 1, "size": items, "total": items}))
        .unwrap()
}

fn decode(c: &mut Criterion) {
    let bytes = body(10_000);
    let mut group = c.benchmark_group("ListImageGroup 10k items");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("generated type", |b| {
        b.iter(|| serde_json::from_slice::<ListImageGroupResponse>(&bytes).unwrap())
    });
    group.bench_function("hand-written structs", |b| {
        b.iter(|| serde_json::from_slice::<HandWrittenPage>(&bytes).unwrap())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = decode
}
criterion_main!(benches);
