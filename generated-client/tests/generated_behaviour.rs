//! What the codegen post-processing promises, checked on the real generated code over a real
//! HTTP server on loopback.

use otc_client::modelarts::{Client, types};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    server
}

#[test]
fn unknown_enum_value_round_trips_verbatim() {
    // RegisterImage's documented response sends "x86_64", outside the documented X86_64/AARCH64.
    let response: types::Image = serde_json::from_value(json!({"arch": "x86_64", "status": "ACTIVE"})).unwrap();
    assert_eq!(response.arch, Some(types::Arch::Unrecognized("x86_64".into())));
    assert_eq!(response.status, Some(types::ImageStatus::Active));
    assert_eq!(serde_json::to_value(&response).unwrap(), json!({"arch": "x86_64", "status": "ACTIVE"}));
}

#[test]
fn open_enum_conversions_agree() {
    use types::Arch;
    for text in ["X86_64", "AARCH64", "x86_64", "riscv64"] {
        let parsed: Arch = text.parse().unwrap();
        assert_eq!(parsed.to_string(), text);
        assert_eq!(parsed.as_str(), text);
        assert_eq!(Arch::from(text.to_owned()), parsed);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(text));
    }
    assert_eq!(Arch::from("X86_64"), Arch::X86_64);
}

#[tokio::test]
async fn sends_no_api_version_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/proj/notebooks/nb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "nb"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), otc_client::Runtime::default());
    let notebook = client.show_notebook().project_id("proj").id("nb").send().await.unwrap();
    assert_eq!(notebook.id.as_deref(), Some("nb"));
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("api-version").is_none(), "{:?}", requests[0].headers);
    assert_eq!(requests[0].headers.get("accept").unwrap(), "application/json");
}

#[tokio::test]
async fn errors_name_the_operation_and_a_missing_parameter() {
    let server = server_answering(json!({})).await;
    let client = Client::new(&server.uri(), otc_client::Runtime::default());
    let error = client.show_notebook().id("nb").send().await.unwrap_err();
    assert_eq!(error.operation(), "ShowNotebook");
    assert!(
        matches!(error, otc_client::Error::InvalidRequest { ref message, .. } if message.contains("project_id")),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// What the generated code does with an array query parameter (none in the specs yet; the
/// codegen `constructs` test shows such a setter generates `QueryParam::new(name, &vec)`): each
/// item is sent under the same key, as Glance and the OTC list filters expect.
#[test]
fn array_query_parameters_repeat_their_key() {
    let tags = vec!["a".to_owned(), "b c".to_owned()];
    let request = otc_client::http::client_builder()
        .build()
        .unwrap()
        .get("http://ims.invalid/v2/images")
        .query(&progenitor_client::QueryParam::new("tag", &tags))
        .query(&progenitor_client::QueryParam::new("limit", &Some(2)))
        .query(&progenitor_client::QueryParam::new("marker", &None::<String>))
        .build()
        .unwrap();
    assert_eq!(request.url().query(), Some("tag=a&tag=b+c&limit=2"));
}

/// An optional request body that the caller does not set is not sent at all (a real Glance
/// refuses `{}` on DELETE); one that is set goes out as JSON.
#[tokio::test]
async fn an_optional_body_is_sent_only_when_set() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let ims = otc_client::ims::Client::new(&server.uri(), otc_client::Runtime::default());
    ims.glance_delete_image().image_id("img-1").send().await.unwrap();
    let body: otc_client::ims::types::GlanceDeleteImageRequest =
        serde_json::from_value(json!({"delete_backup": true})).unwrap();
    ims.glance_delete_image().image_id("img-2").body(body).send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body.is_empty(), "{:?}", String::from_utf8_lossy(&requests[0].body));
    assert!(requests[0].headers.get("content-type").is_none());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&requests[1].body).unwrap(), json!({"delete_backup": true}));
    assert_eq!(requests[1].headers.get("content-type").unwrap(), "application/json");
}

/// A call whose success has no body still asks for JSON, so Glance answers errors as JSON.
#[tokio::test]
async fn bodiless_calls_ask_for_json_errors() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let ims = otc_client::ims::Client::new(&server.uri(), otc_client::Runtime::default());
    ims.glance_delete_image().image_id("img-1").send().await.unwrap();
    let client = Client::new(&server.uri(), otc_client::Runtime::builder().project_id("p").build());
    let _ = client.show_notebook().id("n").send().await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("accept").unwrap(), "application/json, */*;q=0.5");
    assert_eq!(requests[1].headers.get("accept").unwrap(), "application/json", "a documented Accept is kept");
}

/// One Glance image type for every page that documents the image (create, show, update, list),
/// and one `DiskFormat` for the list filter and the image's field: a helper written once serves
/// them all. Each call goes over the wire to a loopback server answering the same image.
#[tokio::test]
async fn one_shared_glance_image_type_serves_create_show_update_and_list() {
    use otc_client::ims::{Client as ImsClient, types as ims};
    fn describe(image: &ims::GlanceImage) -> String {
        format!("{} {:?}", image.id.as_deref().unwrap_or_default(), image.disk_format)
    }
    let image = json!({"id": "4a4b", "name": "img", "disk_format": "qcow2", "status": "queued",
        "visibility": "private", "container_format": "bare", "protected": false, "self": "/v2/images/4a4b",
        "file": "/v2/images/4a4b/file", "schema": "/v2/schemas/image", "tags": [], "min_ram": 0, "min_disk": 0,
        "created_at": "2026-12-07T00:00:00Z", "updated_at": "2026-12-07T00:00:00Z"});
    let server = MockServer::start().await;
    Mock::given(path("/v2/images"))
        .and(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"images": [image.clone()]})))
        .mount(&server)
        .await;
    Mock::given(path("/v2/images"))
        .and(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(image.clone()))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(image.clone())).mount(&server).await;
    let client = ImsClient::new(&server.uri(), otc_client::Runtime::builder().build());

    let body: ims::GlanceCreateImageMetadataRequest = serde_json::from_value(json!({"name": "img"})).unwrap();
    let created = client.glance_create_image_metadata().body(body).send().await.unwrap().into_inner();
    let shown = client.glance_show_image().image_id("4a4b").send().await.unwrap().into_inner();
    let patch: Vec<ims::GlanceUpdateImageOperation> =
        serde_json::from_value(json!([{"op": "replace", "path": "/name", "value": "img"}])).unwrap();
    let updated = client.glance_update_image().image_id("4a4b").body(patch).send().await.unwrap().into_inner();
    let listed = client.glance_list_images().disk_format(ims::DiskFormat::Qcow2).send().await.unwrap().into_inner();

    let mut described: Vec<String> = [&created, &shown, &updated].into_iter().map(describe).collect();
    described.extend(listed.images.iter().flatten().map(describe));
    assert_eq!(described, vec!["4a4b Some(Qcow2)"; 4]);
    assert_eq!(shown.status, Some(ims::ImageStatus::Queued));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.last().unwrap().url.query(), Some("disk_format=qcow2"));
}
