//! Per-request overhead of the generated client against a hand-written reqwest + serde_json
//! call of the same operation, on the same keep-alive loopback server. Both decode into the
//! same generated type, so the difference is the client machinery: builder, hooks, runtime
//! (auth, retry bookkeeping, tracing span), error wrapping.

use criterion::{Criterion, criterion_group, criterion_main};
use otc_client::Runtime;
use otc_client::modelarts::{Client, types};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use otc_benchmarks::PROJECT;

fn notebook() -> serde_json::Value {
    json!({"id": "6e3cd1a5", "name": "notebook-bench", "status": "RUNNING", "flavor": "modelarts.vm.cpu.2u",
           "image": {"id": "708ca95d", "name": "pytorch_1_8", "swr_path": "swr.example/org/pytorch:1.8"},
           "lease": {"create_at": 1652878011643i64, "duration": 3600000, "enable": true, "type": "timing"},
           "endpoints": [{"key_pair_names": ["kp"], "service": "SSH", "uri": "ssh://x:22"}]})
}

fn register_request() -> serde_json::Value {
    json!({"description": "", "resource_category": ["CPU"], "arch": "X86_64",
           "swr_path": "swr.xxx.com/op_svc_modelarts_container2/pytorch_1_8:train-pytorch_1.8.0-cuda_10.2-py_3.7"})
}

fn register_response() -> serde_json::Value {
    json!({"arch": "x86_64", "create_at": 1671708630448i64, "description": "", "dev_services": ["NOTEBOOK", "SSH"],
           "id": "708ca95d-c601-4dc7-86b9-670adfd5e818", "name": "pytorch_1_8", "namespace": "op_svc_modelarts_container2",
           "origin": "CUSTOMIZE", "resource_categories": ["CPU"], "service_type": "UNKNOWN", "size": 3376133259i64,
           "status": "ACTIVE", "swr_path": "swr.xxx.com/op_svc_modelarts_container2/pytorch_1_8:train-pytorch_1.8.0-cuda_10.2-py_3.7",
           "tag": "train-pytorch_1.8.0-cuda_10.2-py_3.7", "type": "DEDICATED", "update_at": 1671708630448i64,
           "visibility": "PRIVATE", "workspace_id": "0"})
}

fn overhead(c: &mut Criterion) {
    // The server gets its own runtime thread, so the measured client (on a current-thread
    // runtime) does not share a worker with it.
    let server_runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = server_runtime.block_on(async {
        // Recording every request would make later measurements slower than earlier ones.
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(wiremock::matchers::method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(notebook()))
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(register_response()))
            .mount(&server)
            .await;
        server
    });
    let base = server.uri();
    let http = otc_client::http::client_builder().build().expect("an HTTP client");
    let generated = Client::new_with_client(&base, http.clone(), Runtime::builder().project_id(PROJECT).build());
    let body: types::RegisterImageRequest = serde_json::from_value(register_request()).unwrap();

    let mut group = c.benchmark_group("ShowNotebook");
    group.bench_function("generated client", |b| {
        b.to_async(&runtime)
            .iter(|| async { generated.show_notebook().id("6e3cd1a5").send().await.unwrap().into_inner() })
    });
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| otc_benchmarks::show_notebook_by_hand(&http, &base))
    });
    group.finish();

    let mut group = c.benchmark_group("RegisterImage");
    group.bench_function("generated client", |b| {
        b.to_async(&runtime)
            .iter(|| async { generated.register_image().body(body.clone()).send().await.unwrap().into_inner() })
    });
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| otc_benchmarks::register_image_by_hand(&http, &base, &body))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(60).measurement_time(std::time::Duration::from_secs(8));
    targets = overhead
}
criterion_main!(benches);
