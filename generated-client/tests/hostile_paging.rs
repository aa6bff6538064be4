//! Paged lists against servers that do not move on: each stream ends with a typed
//! `Error::Stalled` after a bounded number of requests instead of looping forever.

use futures_util::StreamExt;
use otc_client::pagination::StallReason;
use otc_client::{Error, Paginate, Runtime};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// Reads at most 1 000 items (far more than any stall allows) and returns them with the error
/// that ended the stream.
async fn drain<T>(stream: impl futures_util::Stream<Item = Result<T, Error>>) -> (usize, Option<Error>) {
    let mut stream = std::pin::pin!(stream.take(1_000));
    let mut items = 0;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => items += 1,
            Err(error) => return (items, Some(error)),
        }
    }
    (items, None)
}

async fn server(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    server
}

fn runtime() -> Runtime {
    Runtime::builder().project_id(PROJECT).build()
}

#[tokio::test]
async fn a_modelarts_list_that_ignores_offset_stalls_after_two_pages() {
    let server = server(json!({"data": [{"id": "a"}, {"id": "b"}]})).await;
    let client = otc_client::modelarts::Client::new(&server.uri(), runtime());
    let (items, error) = drain(client.list_notebooks().items(2)).await;
    assert_eq!(items, 2);
    match error {
        Some(Error::Stalled { operation: "ListNotebooks", stalled }) => {
            assert_eq!((stalled.pages, stalled.reason), (2, StallReason::RepeatedPage))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_glance_list_whose_next_link_repeats_stalls() {
    let server = server(json!({"images": [{"id": "a"}], "next": "/v2/images?marker=a&limit=1"})).await;
    let client = otc_client::ims::Client::new(&server.uri(), runtime());
    let (items, error) = drain(client.glance_list_images().items(1)).await;
    assert_eq!(items, 1, "the first page; the repeat's items are not yielded twice");
    let error = error.expect("a stall");
    assert!(matches!(&error, Error::Stalled { operation: "GlanceListImages", .. }), "{error:?}");
    assert!(error.to_string().contains("marker `a` again"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_ims_list_that_repeats_its_page_stalls() {
    let server = server(json!({"images": [{"id": "x"}, {"id": "y"}]})).await;
    let client = otc_client::ims::Client::new(&server.uri(), runtime());
    let (items, error) = drain(client.list_images().items(2)).await;
    assert_eq!(items, 2);
    assert!(matches!(error, Some(Error::Stalled { operation: "ListImages", .. })), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_empty_glance_page_naming_a_next_page_stalls() {
    let server = server(json!({"images": [], "next": "/v2/images?marker=z"})).await;
    let client = otc_client::ims::Client::new(&server.uri(), runtime());
    let (items, error) = drain(client.glance_list_images().items(5)).await;
    assert_eq!(items, 0);
    match error {
        Some(Error::Stalled { stalled, .. }) => assert_eq!(stalled.reason, StallReason::EmptyPageWithNext),
        other => panic!("{other:?}"),
    }
}
