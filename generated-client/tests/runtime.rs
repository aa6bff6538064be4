//! The runtime around the generated clients, over a real HTTP server on loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use otc_client::{RetryPolicy, Runtime, modelarts::Client};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn fast_retries() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(5), ..RetryPolicy::default() }
}

fn client(server: &MockServer, runtime: Runtime) -> Client {
    Client::new(&server.uri(), runtime)
}

#[tokio::test]
async fn the_configured_project_fills_the_path_and_the_token_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "nb"}))).mount(&server).await;
    let runtime = Runtime::builder().project_id(PROJECT).token("secret-token").build();
    client(&server, runtime).show_notebook().id("nb").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), format!("/v1/{PROJECT}/notebooks/nb"));
    assert_eq!(requests[0].headers.get("x-auth-token").unwrap(), "secret-token");
}

#[tokio::test]
async fn an_explicit_project_id_overrides_the_configured_one() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let runtime = Runtime::builder().project_id(PROJECT).build();
    client(&server, runtime).show_notebook().project_id("other").id("nb").send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].url.path(), "/v1/other/notebooks/nb");
}

#[tokio::test]
async fn get_is_retried_on_503_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "nb"}))).mount(&server).await;
    let runtime = Runtime::builder().project_id(PROJECT).retry(fast_retries()).build();
    let notebook = client(&server, runtime).show_notebook().id("nb").send().await.unwrap();
    assert_eq!(notebook.id.as_deref(), Some("nb"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_answer_is_the_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw("<html>502 Bad Gateway</html>", "text/html"))
        .mount(&server)
        .await;
    let runtime = Runtime::builder().project_id(PROJECT).retry(fast_retries()).build();
    let error = client(&server, runtime).show_notebook().id("nb").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let runtime = Runtime::builder().project_id(PROJECT).retry(fast_retries()).build();
    let started = std::time::Instant::now();
    client(&server, runtime).show_notebook().id("nb").send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn post_is_not_retried_once_it_reached_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let runtime = Runtime::builder().project_id(PROJECT).retry(fast_retries()).build();
    let body: otc_client::modelarts::types::RegisterImageRequest =
        serde_json::from_value(json!({"swr_path": "swr.example/org/image:tag"})).unwrap();
    let error = client(&server, runtime).register_image().body(body).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_post() {
    // Nothing listens on this port: the request provably never reached a server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let runtime = Runtime::builder().project_id(PROJECT).retry(fast_retries()).build();
    let client = Client::new(&format!("http://{address}"), runtime);
    let body: otc_client::modelarts::types::RegisterImageRequest =
        serde_json::from_value(json!({"swr_path": "x"})).unwrap();
    let (spans, _guard) = capture_traces();
    let error = client.register_image().body(body).send().await.unwrap_err();
    assert!(matches!(error, otc_client::Error::Transport { .. }), "{error}");
    // Three attempts: two retries logged. (Asserted on the retry events rather than the span's
    // close, whose callsite other tests' threads can race to register without a subscriber.)
    let lines = spans.lock().unwrap();
    assert!(lines.iter().any(|line| line.contains("retrying attempt=2")), "{lines:?}");
    assert!(!lines.iter().any(|line| line.contains("retrying attempt=3")), "{lines:?}");
}

/// A subscriber that keeps every formatted event and span close, for assertions.
fn capture_traces() -> (Arc<Mutex<Vec<String>>>, tracing::subscriber::DefaultGuard) {
    #[derive(Clone)]
    struct Sink(Arc<Mutex<Vec<String>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().push(String::from_utf8_lossy(bytes).into_owned());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Sink(lines.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // Tests on other threads may have registered the runtime's callsites while no subscriber
    // wanted them; tracing caches that verdict globally, so ask it again now.
    tracing::callsite::rebuild_interest_cache();
    (lines, guard)
}

#[tokio::test]
async fn one_span_per_request_with_operation_template_status_and_request_id_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).insert_header("x-request-id", "req-7"))
        .mount(&server)
        .await;
    let (lines, _guard) = capture_traces();
    let runtime = Runtime::builder().project_id(PROJECT).token("very-secret-token").build();
    assert!(!format!("{runtime:?}").contains("very-secret-token"));
    client(&server, runtime).show_notebook().id("nb-1").send().await.unwrap();
    let text = lines.lock().unwrap().join("");
    let close =
        text.lines().find(|line| line.contains("otc.request") && line.contains("close")).expect("a span closed");
    for field in [
        "operation=\"ShowNotebook\"",
        "method=GET",
        "path=\"/v1/{project_id}/notebooks/{id}\"",
        "status=200",
        "request_id=\"req-7\"",
        "attempts=1",
        "duration_ms=",
    ] {
        assert!(close.contains(field), "{field} missing in {close}");
    }
    assert!(!text.contains("very-secret-token"), "{text}");
    assert!(!text.contains("nb-1"), "the span names the template, not the concrete path: {text}");
}

#[tokio::test]
async fn a_cloud_hands_out_clients_for_its_endpoints_and_project() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j"})))
        .mount(&server)
        .await;
    let config = otc_client::Config::builder()
        .region("eu-de")
        .project_id(PROJECT)
        .token("tok")
        .endpoint(otc_client::Service::ModelArts, server.uri())
        .endpoint(otc_client::Service::Ims, format!("{}/", server.uri()))
        .build()
        .unwrap();
    let cloud = otc_client::Cloud::new(config).unwrap();
    cloud.modelarts().show_notebook().id("nb").send().await.unwrap();
    let body = serde_json::from_value(
        json!({"name": "n", "image_url": "b:f", "os_version": "CentOS 7.0 64bit", "min_disk": 40}),
    )
    .unwrap();
    cloud
        .ims()
        .import_image_quick()
        .body::<otc_client::ims::types::ImportImageQuickRequest>(body)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), format!("/v1/{PROJECT}/notebooks/nb"));
    assert_eq!(requests[1].url.path(), "/v2/cloudimages/quickimport/action");
    assert!(requests.iter().all(|request| request.headers.get("x-auth-token").unwrap() == "tok"));
    assert!(requests[0].headers.get("user-agent").unwrap().to_str().unwrap().starts_with("otc-client/"));
}

#[tokio::test]
async fn access_keys_sign_every_attempt_and_send_the_project() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let config = otc_client::Config::builder()
        .region("eu-de")
        .project_id(PROJECT)
        .credentials(otc_client::Credentials::AccessKey {
            access_key: "AKEXAMPLE".into(),
            secret_key: "SKEXAMPLE".into(),
            security_token: None,
        })
        .endpoint(otc_client::Service::ModelArts, server.uri())
        .retry(fast_retries())
        .build()
        .unwrap();
    otc_client::Cloud::new(config).unwrap().modelarts().show_notebook().id("nb").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let authorization = request.headers.get("authorization").unwrap().to_str().unwrap();
        assert!(authorization.starts_with("SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders="), "{authorization}");
        assert!(authorization.contains("x-project-id"), "{authorization}");
        assert_eq!(request.headers.get("x-project-id").unwrap(), PROJECT);
        assert!(request.headers.get("x-sdk-date").is_some());
    }
}
