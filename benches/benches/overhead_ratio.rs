//! The generated client's per-request cost relative to a hand-written reqwest + serde_json call,
//! measured interleaved: rounds of N generated calls and N hand-written calls alternate, so a
//! machine getting busier or quieter (2 shared cores) affects both sides alike. Prints the
//! median per-call time of each side and the median of the per-round ratios.
//!
//! `cargo bench -p otc-benchmarks --bench overhead_ratio`

use std::time::{Duration, Instant};

use otc_client::Runtime;
use otc_client::modelarts::{Client, types};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use otc_benchmarks::PROJECT;
const ROUNDS: usize = 31;
const CALLS_PER_ROUND: u32 = 300;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run only for bench.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let server_runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = server_runtime.block_on(async {
        let server = MockServer::builder().disable_request_recording().start().await;
        let notebook = json!({"id": "6e3cd1a5", "name": "notebook-bench", "status": "RUNNING",
            "flavor": "modelarts.vm.cpu.2u", "image": {"id": "708ca95d", "name": "pytorch_1_8"},
            "lease": {"create_at": 1652878011643i64, "duration": 3600000, "enable": true, "type": "timing"}});
        let image = json!({"arch": "x86_64", "id": "708ca95d", "name": "pytorch_1_8", "status": "ACTIVE",
            "visibility": "PRIVATE", "resource_categories": ["CPU"], "size": 3376133259i64});
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(notebook))
            .mount(&server)
            .await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(image)).mount(&server).await;
        server
    });
    let base = server.uri();
    let http = otc_client::http::client_builder().build().expect("an HTTP client");
    let generated = Client::new_with_client(&base, http.clone(), Runtime::builder().project_id(PROJECT).build());
    let body: types::RegisterImageRequest = serde_json::from_value(json!({"resource_category": ["CPU"],
        "arch": "X86_64", "swr_path": "swr.xxx.com/op_svc_modelarts_container2/pytorch_1_8:train"}))
    .unwrap();

    let show_generated = || async {
        generated.show_notebook().id("6e3cd1a5").send().await.unwrap().into_inner();
    };
    let show_by_hand = || otc_benchmarks::show_notebook_by_hand(&http, &base);
    let register_generated = || async {
        generated.register_image().body(body.clone()).send().await.unwrap().into_inner();
    };
    let register_by_hand = || otc_benchmarks::register_image_by_hand(&http, &base, &body);

    // Each side's loop is its own (inlined) code: no boxing or dynamic dispatch that would
    // add the same cost to both and pull the ratio towards 1.
    macro_rules! time {
        ($call:expr) => {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    $call().await;
                }
                started.elapsed() / CALLS_PER_ROUND
            })
        };
    }
    macro_rules! compare {
        ($name:literal, $generated:expr, $by_hand:expr) => {{
            time!($generated); // warm-up: connections, caches
            time!($by_hand);
            let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..ROUNDS {
                // Alternate which side goes first, so neither always follows the other.
                let (a, b): (Duration, Duration) = if round % 2 == 0 {
                    let a = time!($generated);
                    (a, time!($by_hand))
                } else {
                    let b = time!($by_hand);
                    (time!($generated), b)
                };
                let micros = |d: Duration| d.as_secs_f64() * 1e6;
                ours.push(micros(a));
                theirs.push(micros(b));
                ratios.push(micros(a) / micros(b));
            }
            println!(
                "{:<14} generated {:>7.1} µs, hand-written {:>7.1} µs, ratio {:.3} (median of {ROUNDS} interleaved rounds of {CALLS_PER_ROUND} calls)",
                $name,
                median(&mut ours),
                median(&mut theirs),
                median(&mut ratios)
            );
        }};
    }
    compare!("ShowNotebook", show_generated, show_by_hand);
    compare!("RegisterImage", register_generated, register_by_hand);
}
