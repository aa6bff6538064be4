//! Bodies a broken or hostile server sends, through the generated client against loopback
//! servers: huge bodies (written lazily, never allocated) are cut off at the runtime's limits,
//! bad JSON names the failing field, deep nesting is an error rather than a stack overflow,
//! HTML error pages read as text, and documented bodiless successes succeed.

use std::time::{Duration, Instant};

use otc_client::Runtime;
use otc_client::modelarts::Client;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
/// What the hostile server offers: far more than any limit, never held in memory.
const HUGE: u64 = 500 * 1024 * 1024;
/// Every call and server here finishes well within this, or the test fails.
const BOUND: Duration = Duration::from_secs(30);

fn runtime() -> otc_client::RuntimeBuilder {
    Runtime::builder().project_id(PROJECT)
}

/// How the raw server frames its body.
#[derive(Clone, Copy)]
enum Framing {
    /// `Content-Length` announcing the whole body.
    Announced,
    /// `Transfer-Encoding: chunked`: the length is known only by reading.
    Chunked,
    /// No length at all: the body ends when the connection closes.
    UntilClose,
    /// `Content-Length` announcing this many bytes, while far more follow.
    Lying(u64),
}

/// What the raw server managed to send before the client went away.
#[derive(Debug)]
struct Sent {
    body_bytes: u64,
    finished: bool,
}

/// A server on 127.0.0.1 answering one request with `head` and `total` bytes of `filler`,
/// written 64 KiB at a time from one buffer; it stops at the first failed write (the client
/// dropped the connection) or after `total` bytes.
async fn lazy_server(
    status_line: &'static str,
    content_type: &'static str,
    framing: Framing,
    total: u64,
) -> (String, tokio::task::JoinHandle<Sent>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = tokio::time::timeout(BOUND, listener.accept()).await.expect("a client connects").unwrap();
        read_request_head(&mut socket).await;
        let length = match framing {
            Framing::Announced => format!("Content-Length: {total}\r\n"),
            Framing::Chunked => "Transfer-Encoding: chunked\r\n".to_owned(),
            Framing::UntilClose => "Connection: close\r\n".to_owned(),
            Framing::Lying(announced) => format!("Content-Length: {announced}\r\n"),
        };
        let head = format!("{status_line}\r\nContent-Type: {content_type}\r\nx-request-id: req-7\r\n{length}\r\n");
        socket.write_all(head.as_bytes()).await.unwrap();
        let filler = vec![b' '; 64 * 1024];
        let mut sent = Sent { body_bytes: 0, finished: false };
        while sent.body_bytes < total {
            let chunk = &filler[..(total - sent.body_bytes).min(filler.len() as u64) as usize];
            let written = match framing {
                Framing::Announced | Framing::UntilClose | Framing::Lying(_) => socket.write_all(chunk).await,
                Framing::Chunked => {
                    let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
                    socket.write_all(&framed).await
                }
            };
            if written.is_err() {
                return sent;
            }
            sent.body_bytes += chunk.len() as u64;
        }
        if let Framing::Chunked = framing {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
        sent.finished = true;
        sent
    });
    (url, task)
}

/// Reads up to the end of the request head (bounded: a request head here is well under 64 KiB).
async fn read_request_head(socket: &mut tokio::net::TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let read = socket.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the client closed before sending its request");
        head.extend_from_slice(&buffer[..read]);
    }
}

async fn show_notebook(
    url: &str,
    runtime: Runtime,
) -> Result<otc_client::ResponseValue<otc_client::modelarts::types::Notebook>, otc_client::Error> {
    let client = Client::new(url, runtime);
    tokio::time::timeout(BOUND, client.show_notebook().id("nb").send()).await.expect("the call finishes")
}

#[tokio::test]
async fn an_announced_huge_success_body_is_refused_before_reading() {
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/json", Framing::Announced, HUGE).await;
    let started = Instant::now();
    let error = show_notebook(&url, runtime().build()).await.unwrap_err();
    assert!(
        matches!(error, otc_client::Error::ResponseTooLarge { operation: "ShowNotebook", limit: 33_554_432 }),
        "{error:?}"
    );
    assert!(error.to_string().contains("larger than the limit of 33554432 bytes"), "{error}");
    let sent = tokio::time::timeout(BOUND, server).await.unwrap().unwrap();
    assert!(!sent.finished && sent.body_bytes < 32 * 1024 * 1024, "{sent:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn an_unannounced_huge_success_body_is_cut_off_at_the_configured_limit() {
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/json", Framing::Chunked, HUGE).await;
    let error = show_notebook(&url, runtime().max_response_bytes(1024 * 1024).build()).await.unwrap_err();
    assert!(matches!(error, otc_client::Error::ResponseTooLarge { limit: 1_048_576, .. }), "{error:?}");
    let sent = tokio::time::timeout(BOUND, server).await.unwrap().unwrap();
    // Whatever the socket buffers took, the server was stopped far from the end.
    assert!(!sent.finished && sent.body_bytes < HUGE / 10, "{sent:?}");
}

#[tokio::test]
async fn the_default_limit_applies_to_unannounced_bodies_too() {
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/json", Framing::Chunked, HUGE).await;
    let error = show_notebook(&url, runtime().build()).await.unwrap_err();
    assert!(matches!(error, otc_client::Error::ResponseTooLarge { limit: 33_554_432, .. }), "{error:?}");
    let sent = tokio::time::timeout(BOUND, server).await.unwrap().unwrap();
    assert!(!sent.finished && sent.body_bytes >= 32 * 1024 * 1024 && sent.body_bytes < HUGE / 4, "{sent:?}");
}

#[tokio::test]
async fn a_body_delimited_by_closing_the_connection_is_cut_off_too() {
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/json", Framing::UntilClose, HUGE).await;
    let error = show_notebook(&url, runtime().max_response_bytes(1024 * 1024).build()).await.unwrap_err();
    assert!(matches!(error, otc_client::Error::ResponseTooLarge { limit: 1_048_576, .. }), "{error:?}");
    let sent = tokio::time::timeout(BOUND, server).await.unwrap().unwrap();
    assert!(!sent.finished && sent.body_bytes < HUGE / 10, "{sent:?}");
}

#[tokio::test]
async fn a_content_length_that_understates_the_body_reads_only_what_it_announced() {
    // 100 bytes announced, 500 MB following: the client reads the 100 (spaces: no JSON value)
    // and the rest is never read.
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/json", Framing::Lying(100), HUGE).await;
    let error = show_notebook(&url, runtime().build()).await.unwrap_err();
    assert!(
        matches!(&error, otc_client::Error::Decode { message, .. } if message.starts_with("EOF while parsing")),
        "{error:?}"
    );
    let sent = tokio::time::timeout(BOUND, server).await.unwrap().unwrap();
    assert!(!sent.finished && sent.body_bytes < HUGE / 10, "{sent:?}");
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_is_read_to_its_end() {
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/json", Framing::Chunked, 4 * 64 * 1024).await;
    // Spaces only: no JSON value, so the body is read to its end and then fails to decode.
    let error = show_notebook(&url, runtime().max_response_bytes(4 * 64 * 1024).build()).await.unwrap_err();
    assert!(
        matches!(&error, otc_client::Error::Decode { message, .. } if message.starts_with("EOF while parsing")),
        "{error:?}"
    );
    assert!(tokio::time::timeout(BOUND, server).await.unwrap().unwrap().finished);
}

#[tokio::test]
async fn a_huge_error_body_is_read_only_up_to_its_cap() {
    let (url, server) = lazy_server("HTTP/1.1 500 Internal Server Error", "text/plain", Framing::Chunked, HUGE).await;
    let error = show_notebook(&url, runtime().build()).await.unwrap_err();
    let otc_client::Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.request_id.as_deref(), Some("req-7"));
    // The filler is spaces: the kept text is empty but marked as cut.
    assert!(api.truncated && api.body.trim() == "…", "{api:?}");
    let sent = tokio::time::timeout(BOUND, server).await.unwrap().unwrap();
    assert!(!sent.finished && sent.body_bytes < HUGE / 10, "{sent:?}");
}

#[tokio::test]
async fn a_long_error_text_is_truncated_and_marked() {
    let server = MockServer::start().await;
    let text = "overloaded ".repeat(20_000);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw(text.clone(), "text/plain"))
        .mount(&server)
        .await;
    let error = show_notebook(&server.uri(), runtime().build()).await.unwrap_err();
    let otc_client::Error::Api(api) = error else { panic!("expected an API error") };
    assert!(api.truncated);
    assert_eq!(api.body.chars().count(), 2049);
    assert!(api.body.starts_with("overloaded overloaded") && api.body.ends_with('…'));
}

#[tokio::test]
async fn a_decode_error_names_the_json_path() {
    for (body, path) in [
        (json!({"token": "notebook-secret-0123", "lease": {"duration": "long"}}), ".lease.duration"),
        (json!({"endpoints": [{"uri": "a"}, {"ssh_keys": ["k", 7]}]}), ".endpoints[1].ssh_keys[1]"),
        (json!("a notebook"), "."),
        (json!([{"id": 1}]), ".[0]"),
    ] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(&body)).mount(&server).await;
        let error = show_notebook(&server.uri(), runtime().build()).await.unwrap_err();
        let otc_client::Error::Decode { path: got, message, .. } = &error else {
            panic!("expected a decode error, got {error:?}")
        };
        assert_eq!(got, path, "{body}");
        assert!(error.to_string().contains(&format!("at {path}: {message}")), "{error}");
        // The body (with the notebook's token) is not kept in the error.
        assert!(!format!("{error:?} {error}").contains("notebook-secret"), "{error:?}");
    }
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    let server = MockServer::start().await;
    let body = format!("{{\"properties\":{{\"deep\":{}", "[".repeat(100_000));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = otc_client::ims::Client::new(&server.uri(), runtime().build());
    let error =
        tokio::time::timeout(BOUND, client.glance_list_image_member_schemas().send()).await.unwrap().unwrap_err();
    let otc_client::Error::Decode { path, message, .. } = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert!(message.starts_with("recursion limit exceeded"), "{message}");
    assert!(path.starts_with(".properties.deep"), "{path}");
}

#[tokio::test]
async fn an_html_gateway_page_reads_as_text_with_the_status_once() {
    let server = MockServer::start().await;
    let page = "<html>\r\n<head><title>502 Bad Gateway</title><style>h1 { font: 2em }</style></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25 &amp; friends</center>\r\n<script>document.write('<p>ad</p>')</script></body>\r\n</html>\r\n";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html").insert_header("x-request-id", "req-9"))
        .mount(&server)
        .await;
    // No retries: one answer is enough to read.
    let runtime = runtime().retry(otc_client::RetryPolicy { max_attempts: 1, ..Default::default() }).build();
    let error = show_notebook(&server.uri(), runtime).await.unwrap_err();
    let otc_client::Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
    assert_eq!((api.body.as_str(), api.truncated), ("502 Bad Gateway nginx/1.25 & friends", false));
    assert_eq!(error.to_string(), "HTTP 502 Bad Gateway on ShowNotebook: nginx/1.25 & friends [request-id req-9]");
}

#[tokio::test]
async fn a_bodiless_success_is_none_a_body_is_some_and_an_undocumented_empty_body_fails() {
    let body = json!({"id": "image-1", "name": "img"});
    for (status, answer, expected) in
        [(201, None, Ok(None)), (200, Some(&body), Ok(Some("image-1"))), (200, None, Err("EOF while parsing"))]
    {
        let server = MockServer::start().await;
        let template = match answer {
            Some(body) => ResponseTemplate::new(status).set_body_json(body),
            None => ResponseTemplate::new(status),
        };
        Mock::given(any()).respond_with(template).mount(&server).await;
        let request: otc_client::modelarts::types::RegisterImageRequest =
            serde_json::from_value(json!({"swr_path": "swr.example/org/image:tag"})).unwrap();
        let client = Client::new(&server.uri(), runtime().build());
        let outcome = tokio::time::timeout(BOUND, client.register_image().body(request).send()).await.unwrap();
        match (outcome, expected) {
            (Ok(response), Ok(id)) => {
                assert_eq!(response.status().as_u16(), status);
                assert_eq!(response.into_inner().map(|image| image.id), id.map(|id| Some(id.to_owned())));
            }
            (Err(otc_client::Error::Decode { path, message, .. }), Err(start)) => {
                assert_eq!(path, ".");
                assert!(message.starts_with(start), "{message}");
            }
            (outcome, expected) => panic!("status {status}: got {outcome:?}, expected {expected:?}"),
        }
    }
}

#[tokio::test]
async fn a_streamed_download_is_not_limited() {
    use futures_util::TryStreamExt;
    let total = 3 * 1024 * 1024;
    let (url, server) = lazy_server("HTTP/1.1 200 OK", "application/octet-stream", Framing::Chunked, total).await;
    let client = otc_client::ims::Client::new(&url, runtime().max_response_bytes(1024 * 1024).build());
    let download = async {
        let response =
            client.glance_download_image_file().image_id("image-1").send().await.map_err(|e| e.to_string())?;
        let mut stream = response.into_inner();
        let mut received = 0u64;
        while let Some(chunk) = stream.try_next().await.map_err(|e| e.to_string())? {
            received += chunk.len() as u64;
        }
        Ok::<_, String>(received)
    };
    let received = tokio::time::timeout(BOUND, download).await.expect("the download finishes").unwrap();
    assert_eq!(received, total);
    assert!(tokio::time::timeout(BOUND, server).await.unwrap().unwrap().finished);
}

#[tokio::test]
async fn the_limit_is_configurable_through_config() {
    let server = MockServer::start().await;
    let body = json!({"id": "nb", "description": "d".repeat(4096)});
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let cloud = |limit: Option<usize>| {
        let mut builder = otc_client::Config::builder()
            .region("eu-de")
            .project_id(PROJECT)
            .endpoint(otc_client::Service::ModelArts, server.uri());
        if let Some(limit) = limit {
            builder = builder.max_response_bytes(limit);
        }
        otc_client::Cloud::new(builder.build().unwrap()).unwrap()
    };
    let error = cloud(Some(1024)).modelarts().show_notebook().id("nb").send().await.unwrap_err();
    assert!(matches!(error, otc_client::Error::ResponseTooLarge { limit: 1024, .. }), "{error:?}");
    let notebook = cloud(None).modelarts().show_notebook().id("nb").send().await.unwrap();
    assert_eq!(notebook.id.as_deref(), Some("nb"), "the default limit takes a 4 KiB body");
}
