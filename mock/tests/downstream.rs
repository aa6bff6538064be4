//! Written as a crate using `otc-client` would test itself: its code talks to a `Cloud` pointed
//! at the typed mock server (`otc-client-mock` as a dev-dependency), answered with typed values
//! and with the specs' documented examples.

use otc_client::ims::types::{GlanceImage, GlanceListImagesResponse, ImageStatus};
use otc_client::modelarts::types::NotebookStatus;
use otc_client::{Cloud, Config, Service};
use otc_client_mock::MockServer;

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const NOTEBOOK: &str = "f9937afa-631e-4a8f-a8f7-3b6c800585f0";

/// What the downstream program builds: a `Cloud` whose endpoints are overridden (as
/// `OTC_MODELARTS_ENDPOINT` / `OTC_IMS_ENDPOINT` would) to the mock server.
fn cloud(server: &MockServer) -> Cloud {
    let config = Config::builder()
        .region("eu-de")
        .project_id(PROJECT)
        .token("a-token")
        .endpoint(Service::ModelArts, server.base_url())
        .endpoint(Service::Ims, server.base_url())
        .build()
        .unwrap();
    Cloud::new(config).unwrap()
}

/// The downstream code under test: names of the active images.
async fn active_image_names(cloud: &Cloud) -> Result<Vec<String>, otc_client::Error> {
    let page = cloud.ims().glance_list_images().status("active").limit(2).send().await?;
    Ok(page.into_inner().images.unwrap_or_default().into_iter().filter_map(|image| image.name).collect())
}

#[tokio::test]
async fn show_notebook_answered_with_the_documented_example() {
    use otc_client_mock::modelarts::MockServerExt as _;
    let server = MockServer::start_async().await;
    let mock = server.show_notebook(|when, then| {
        when.project_id(PROJECT).id(NOTEBOOK);
        then.example("creatingNotebook");
    });

    let notebook = cloud(&server).modelarts().show_notebook().id(NOTEBOOK).send().await.unwrap().into_inner();

    mock.assert_async().await;
    assert_eq!(notebook.id.as_deref(), Some(NOTEBOOK));
    assert_eq!(notebook.status, Some(NotebookStatus::Creating));
    assert_eq!(notebook.flavor.as_deref(), Some("modelarts.vm.cpu.2u"));
    // The same example as a typed value, to compare against.
    let documented = otc_client_mock::modelarts::example("ShowNotebook", "creatingNotebook");
    assert_eq!(documented.status, 200);
    assert_eq!(documented.decode::<otc_client::modelarts::types::Notebook>().unwrap(), notebook);
}

#[tokio::test]
async fn glance_list_images_answered_with_a_typed_page() {
    use otc_client_mock::ims::MockServerExt as _;
    let server = MockServer::start_async().await;
    let image = |name: &str| GlanceImage {
        id: Some(format!("{name}-id")),
        name: Some(name.to_owned()),
        status: Some(ImageStatus::Active),
        ..Default::default()
    };
    let page = GlanceListImagesResponse {
        images: Some(vec![image("ubuntu-24.04"), image("debian-13")]),
        ..Default::default()
    };
    let mock = server.glance_list_images(|when, then| {
        when.status(ImageStatus::Active).limit(2);
        then.ok(&page);
    });

    let names = active_image_names(&cloud(&server)).await.unwrap();

    mock.assert_async().await;
    assert_eq!(names, ["ubuntu-24.04", "debian-13"]);
}

#[tokio::test]
async fn a_documented_error_example_reaches_the_caller_as_a_typed_error() {
    use otc_client_mock::ims::MockServerExt as _;
    let server = MockServer::start_async().await;
    server.glance_list_images(|_, then| {
        then.example("invalid_image_type");
    });

    let error = active_image_names(&cloud(&server)).await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(400));
    assert_eq!(error.operation(), "GlanceListImages");
}

#[tokio::test]
async fn a_call_the_mock_does_not_match_is_not_answered_by_it() {
    use otc_client_mock::modelarts::MockServerExt as _;
    let server = MockServer::start_async().await;
    let mock = server.show_notebook(|when, then| {
        when.id("another-notebook");
        then.example("creatingNotebook");
    });

    let error = cloud(&server).modelarts().show_notebook().id(NOTEBOOK).send().await.unwrap_err();

    assert_eq!(mock.calls_async().await, 0);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404), "httpmock answers 404: {error}");
}

#[test]
#[should_panic(
    expected = "ShowNotebook documents no response example `no-such-example`; it has: \"200 creatingNotebook\""
)]
fn an_unknown_example_name_lists_the_documented_ones() {
    otc_client_mock::modelarts::example("ShowNotebook", "no-such-example");
}

#[tokio::test]
async fn a_path_parameter_matches_as_the_client_encodes_it() {
    use otc_client_mock::modelarts::MockServerExt as _;
    let server = MockServer::start_async().await;
    // `+` and `.` would be regex operators, `/` and ` ` are percent-encoded by the client.
    let id = "a+b.c/d e";
    let mock = server.show_notebook(|when, then| {
        when.id(id);
        then.example("creatingNotebook");
    });
    cloud(&server).modelarts().show_notebook().id(id).send().await.unwrap();
    mock.assert_async().await;
}
