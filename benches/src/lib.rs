//! Benchmarks live in `benches/`; see BENCHMARKS.md. This library holds what several of them
//! share: the hand-written reference calls the generated client is compared with, and
//! synthetic specs for the scaling benchmarks.

pub mod synthetic;

use otc_client::modelarts::types;

/// The project every benchmark request names.
pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// ShowNotebook written by hand with reqwest and serde_json, decoded into the same type.
pub async fn show_notebook_by_hand(http: &reqwest::Client, base: &str) -> types::Notebook {
    let response = http
        .get(format!("{base}/v1/{PROJECT}/notebooks/6e3cd1a5"))
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success());
    serde_json::from_slice(&response.bytes().await.expect("a body")).expect("a notebook")
}

/// RegisterImage written by hand; like the generated call, it serializes its own copy of `body`.
pub async fn register_image_by_hand(
    http: &reqwest::Client,
    base: &str,
    body: &types::RegisterImageRequest,
) -> types::Image {
    let response = http
        .post(format!("{base}/v1/{PROJECT}/images"))
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&body.clone())
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success());
    serde_json::from_slice(&response.bytes().await.expect("a body")).expect("an image")
}
