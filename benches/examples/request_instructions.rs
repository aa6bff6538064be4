//! Instruction counts of one request, generated client against hand-written reqwest, for
//! `valgrind --tool=callgrind` (counts are repeatable where timings on 2 shared cores are not).
//!
//! ```sh
//! cargo build --release -p otc-benchmarks --example request_instructions
//! for variant in generated hand-written; do for op in show register; do
//!   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$variant.$op \
//!     target/release/examples/request_instructions $variant $op 2000
//! done; done
//! ```
//!
//! The server runs in the same process, identically for both variants; the difference of the
//! totals divided by the number of calls is the client's extra work per call.

use otc_client::Runtime;
use otc_client::modelarts::{Client, types};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use otc_benchmarks::PROJECT;

fn main() {
    let mut args = std::env::args().skip(1);
    let variant = args.next().expect("generated | hand-written");
    let operation = args.next().expect("show | register");
    let calls: usize = args.next().and_then(|n| n.parse().ok()).expect("a number of calls");

    let server_runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let answer = if operation == "show" {
        json!({"id": "6e3cd1a5", "name": "notebook-bench", "status": "RUNNING", "flavor": "modelarts.vm.cpu.2u"})
    } else {
        json!({"arch": "x86_64", "id": "708ca95d", "name": "pytorch_1_8", "status": "ACTIVE", "visibility": "PRIVATE"})
    };
    let server = server_runtime.block_on(async {
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(answer)).mount(&server).await;
        server
    });
    let base = server.uri();
    let http = otc_client::http::client_builder().build().expect("an HTTP client");
    let generated = Client::new_with_client(&base, http.clone(), Runtime::builder().project_id(PROJECT).build());
    let body: types::RegisterImageRequest =
        serde_json::from_value(json!({"resource_category": ["CPU"], "arch": "X86_64",
        "swr_path": "swr.xxx.com/op_svc_modelarts_container2/pytorch_1_8:train-pytorch_1.8.0-cuda_10.2-py_3.7"}))
        .unwrap();

    runtime.block_on(async {
        for _ in 0..calls {
            match (variant.as_str(), operation.as_str()) {
                ("generated", "show") => {
                    generated.show_notebook().id("6e3cd1a5").send().await.unwrap();
                }
                ("generated", "register") => {
                    generated.register_image().body(body.clone()).send().await.unwrap();
                }
                ("hand-written", "show") => {
                    otc_benchmarks::show_notebook_by_hand(&http, &base).await;
                }
                ("hand-written", "register") => {
                    otc_benchmarks::register_image_by_hand(&http, &base, &body).await;
                }
                other => panic!("unknown variant {other:?}"),
            }
        }
    });
}
