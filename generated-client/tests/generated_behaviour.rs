//! What the codegen post-processing promises, checked on the real generated code over a real
//! HTTP server on loopback.

use httpmock::prelude::*;
use otc_client::modelarts::{Client, types};
use serde_json::json;

fn notebook_body() -> serde_json::Value {
    json!({"id": "nb", "status": "RUNNING"})
}

#[test]
fn unknown_enum_value_round_trips_verbatim() {
    // RegisterImage's documented response sends "x86_64", outside the documented X86_64/AARCH64.
    let response: types::RegisterImageResponse =
        serde_json::from_value(json!({"arch": "x86_64", "status": "ACTIVE"})).unwrap();
    assert_eq!(response.arch, Some(types::RegisterImageResponseArch::Unrecognized("x86_64".into())));
    assert_eq!(response.status, Some(types::RegisterImageResponseStatus::Active));
    assert_eq!(serde_json::to_value(&response).unwrap(), json!({"arch": "x86_64", "status": "ACTIVE"}));
}

#[test]
fn open_enum_conversions_agree() {
    use types::RegisterImageResponseArch as Arch;
    for text in ["X86_64", "AARCH64", "x86_64", "riscv64"] {
        let parsed: Arch = text.parse().unwrap();
        assert_eq!(parsed.to_string(), text);
        assert_eq!(parsed.as_str(), text);
        assert_eq!(Arch::from(text.to_owned()), parsed);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(text));
    }
    assert_eq!(Arch::from("X86_64"), Arch::X8664);
}

#[tokio::test]
async fn sends_no_api_version_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/proj/notebooks/nb").header_missing("api-version");
            then.status(200).json_body(notebook_body());
        })
        .await;
    let client = Client::new(&server.base_url());
    let notebook = client.show_notebook().project_id("proj").id("nb").send().await.unwrap();
    assert_eq!(notebook.id.as_deref(), Some("nb"));
    mock.assert_async().await;
}

#[tokio::test]
async fn path_parameter_is_one_percent_encoded_segment() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/proj/notebooks/a%2F..%2Fb%20c%C3%BC");
            then.status(200).json_body(notebook_body());
        })
        .await;
    let client = Client::new(&server.base_url());
    client.show_notebook().project_id("proj").id("a/../b cü").send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn dot_segments_are_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(notebook_body());
        })
        .await;
    let client = Client::new(&server.base_url());
    for id in ["..", ".", ""] {
        let error = client.show_notebook().project_id("proj").id(id).send().await.unwrap_err();
        assert!(
            matches!(error, otc_client::Error::InvalidRequest(ref message) if message.contains("path segment")),
            "{id:?}: {error}"
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}
