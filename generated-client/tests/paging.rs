//! `Paginate::items` over the three paging styles, against a loopback server that pages a
//! fixed list: what each request asks for, and that every item arrives once, in order.

use futures_util::{StreamExt, TryStreamExt};
use otc_client::{Paginate, Runtime, ims, modelarts};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn runtime() -> Runtime {
    Runtime::builder().project_id(PROJECT).build()
}

fn query(request: &Request, key: &str) -> Option<String> {
    request.url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// Serves `ids` in pages the way the service under test does.
struct Pages {
    ids: Vec<String>,
    style: Style,
}

#[derive(Clone, Copy)]
enum Style {
    /// ModelArts: `offset`/`limit`, items in `data`.
    Offset,
    /// IMS: `marker` is the last id seen, items in `images`.
    Marker,
    /// Glance: like IMS, plus a `next` link while more pages follow.
    NextLink,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let limit: usize = query(request, "limit").and_then(|l| l.parse().ok()).unwrap_or(usize::MAX);
        let start = match self.style {
            Style::Offset => query(request, "offset").and_then(|o| o.parse().ok()).unwrap_or(0),
            Style::Marker | Style::NextLink => match query(request, "marker") {
                Some(marker) => self.ids.iter().position(|id| *id == marker).map_or(self.ids.len(), |at| at + 1),
                None => 0,
            },
        };
        let page: Vec<&String> = self.ids.iter().skip(start).take(limit).collect();
        let items: Vec<Value> = page.iter().map(|id| json!({"id": id, "name": format!("name-{id}")})).collect();
        let body = match self.style {
            Style::Offset => json!({"data": items, "total": self.ids.len(), "size": limit}),
            Style::Marker => json!({"images": items}),
            Style::NextLink => {
                let mut body = json!({"images": items, "first": "/v2/images", "schema": "/v2/schemas/images"});
                if start + page.len() < self.ids.len() {
                    let last = page.last().expect("a full page");
                    body["next"] = Value::from(format!("/v2/images?marker={last}&limit={limit}"));
                }
                body
            }
        };
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn serve(route: &str, count: usize, style: Style) -> (MockServer, Vec<String>) {
    let server = MockServer::start().await;
    let ids: Vec<String> = (0..count).map(|index| format!("id-{index:02}")).collect();
    Mock::given(method("GET")).and(path(route)).respond_with(Pages { ids: ids.clone(), style }).mount(&server).await;
    (server, ids)
}

async fn queries(server: &MockServer, keys: &[&str]) -> Vec<Vec<Option<String>>> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|request| keys.iter().map(|key| query(request, key)).collect()).collect()
}

fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|value| Some((*value).to_owned())).collect()
}

#[tokio::test]
async fn modelarts_offset_pages_end_on_a_short_page_and_keep_filters() {
    let (server, ids) = serve(&format!("/v1/{PROJECT}/notebooks"), 7, Style::Offset).await;
    let client = modelarts::Client::new(&server.uri(), runtime());
    let notebooks: Vec<_> = client.list_notebooks().name("nb").items(3).try_collect().await.unwrap();
    let got: Vec<String> = notebooks.into_iter().filter_map(|notebook| notebook.id).collect();
    assert_eq!(got, ids);
    let asked = queries(&server, &["offset", "limit", "name"]).await;
    assert_eq!(asked, [some(&["0", "3", "nb"]), some(&["3", "3", "nb"]), some(&["6", "3", "nb"])]);
}

#[tokio::test]
async fn ims_marker_pages_continue_from_the_last_id() {
    let (server, ids) = serve("/v2/cloudimages", 5, Style::Marker).await;
    let client = ims::Client::new(&server.uri(), runtime());
    let images: Vec<_> = client.list_images().items(2).try_collect().await.unwrap();
    let got: Vec<String> = images.into_iter().filter_map(|image| image.id).collect();
    assert_eq!(got, ids);
    let asked = queries(&server, &["marker", "limit"]).await;
    let want = [vec![None, Some("2".into())], some(&["id-01", "2"]), some(&["id-03", "2"])];
    assert_eq!(asked, want);
}

#[tokio::test]
async fn glance_pages_follow_the_next_link_and_stop_without_one() {
    let (server, ids) = serve("/v2/images", 4, Style::NextLink).await;
    let client = ims::Client::new(&server.uri(), runtime());
    let images: Vec<_> = client.glance_list_images().items(2).try_collect().await.unwrap();
    let got: Vec<String> = images.into_iter().filter_map(|image| image.id).collect();
    assert_eq!(got, ids);
    // An exact multiple of the page size: the second page has no `next`, so no third request.
    let asked = queries(&server, &["marker", "limit"]).await;
    assert_eq!(asked, [vec![None, Some("2".into())], some(&["id-01", "2"])]);
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let (server, _) = serve("/v2/images", 10, Style::NextLink).await;
    let client = ims::Client::new(&server.uri(), runtime());
    let first: Vec<_> = client.glance_list_images().items(3).take(2).try_collect().await.unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"error": {"code": "IMG.0001", "message": "gone"}})),
        )
        .mount(&server)
        .await;
    let client = ims::Client::new(&server.uri(), runtime());
    let results: Vec<_> = client.glance_list_images().items(5).collect().await;
    assert_eq!(results.len(), 1);
    let error = results.into_iter().next().unwrap().unwrap_err();
    assert_eq!(error.to_string().split(' ').next(), Some("IMG.0001"));
}
