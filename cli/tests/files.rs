//! Image files through the built `otc` against a loopback wiremock Glance: uploads from a file
//! and from standard input go out streamed (chunked, not read whole first), downloads go to
//! `--output FILE` or standard output, and an error leaves no file behind.

use std::io::Write;
use std::process::Stdio;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{command, on_a_terminal};

/// 1 MiB and a bit, not a multiple of the 64 KiB read buffer.
fn file_bytes() -> Vec<u8> {
    (0..(1024 * 1024 + 4321u32)).map(|i| (i * 31 % 253) as u8).collect()
}

async fn mount_upload(server: &MockServer) {
    Mock::given(method("PUT"))
        .and(path("/v2/images/img-1/file"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(server)
        .await;
}

/// The one request's body, and whether it came chunked (streamed, no length given upfront).
async fn received_upload(server: &MockServer) -> (Vec<u8>, bool) {
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let chunked = request
        .headers
        .get("transfer-encoding")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"));
    (request.body.clone(), chunked)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_is_uploaded_as_a_stream() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("disk.raw");
    std::fs::write(&file, file_bytes()).expect("written");
    let output = command(
        &server,
        &["ims", "glance-upload-image-file", "--image-id", "img-1", "--body", file.to_str().expect("UTF-8")],
    )
    .output()
    .expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty() && output.stderr.is_empty(), "no progress bar off a terminal");
    let (body, chunked) = received_upload(&server).await;
    assert!(body == file_bytes(), "the uploaded bytes differ");
    assert!(chunked, "streamed (chunked), not read into one buffer first");
}

#[tokio::test(flavor = "multi_thread")]
async fn standard_input_is_uploaded_as_a_stream() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    let mut child = command(&server, &["ims", "glance-upload-image-file", "--image-id", "img-1", "--body", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("otc runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&file_bytes()));
    let output = child.wait_with_output().expect("otc ends");
    writer.join().expect("the writer ends").expect("written");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let (body, chunked) = received_upload(&server).await;
    assert!(body == file_bytes(), "the uploaded bytes differ");
    assert!(chunked, "streamed (chunked)");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_upload_file_is_a_usage_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let output = command(
        &server,
        &["ims", "glance-upload-image-file", "--image-id", "img-1", "--body", "/nonexistent/disk.raw"],
    )
    .output()
    .expect("otc runs");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

async fn mount_download(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v2/images/img-1/file"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Type", "application/octet-stream")
                .set_body_bytes(file_bytes()),
        )
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/images/missing/file"))
        .respond_with(ResponseTemplate::new(404).set_body_string("404 Not Found\n\nNo image found with ID missing"))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_download_goes_to_the_output_file_or_standard_output() {
    let server = MockServer::start().await;
    mount_download(&server).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("out.raw");
    let output = command(
        &server,
        &["ims", "glance-download-image-file", "--image-id", "img-1", "--output", file.to_str().expect("UTF-8")],
    )
    .output()
    .expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty(), "the file went to --output");
    assert!(std::fs::read(&file).expect("the file") == file_bytes(), "the downloaded file differs");

    let output =
        command(&server, &["ims", "glance-download-image-file", "--image-id", "img-1"]).output().expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout == file_bytes(), "standard output differs");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_download_exits_4_and_creates_no_file() {
    let server = MockServer::start().await;
    mount_download(&server).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("out.raw");
    let output = command(
        &server,
        &["ims", "glance-download-image-file", "--image-id", "missing", "--output", file.to_str().expect("UTF-8")],
    )
    .output()
    .expect("otc runs");
    assert_eq!(output.status.code(), Some(4), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!file.exists(), "no file for a failed download");
}

/// On a terminal (a pseudo-terminal from util-linux `script`) the download shows a progress bar
/// with the byte counts on standard error; off a terminal (the tests above) nothing shows.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_a_download_shows_a_progress_bar() {
    let server = MockServer::start().await;
    mount_download(&server).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("out.raw");
    let output = on_a_terminal(
        &server,
        &format!("{{otc}} ims glance-download-image-file --image-id img-1 --output {}", file.display()),
    );
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    // 1 MiB and 4321 bytes, all of it, of a known total (Content-Length).
    assert!(shown.contains("1.00 MiB/1.00 MiB"), "the terminal showed: {shown:?}");
    assert!(std::fs::read(&file).expect("the file") == file_bytes());
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_access_key_the_upload_is_read_whole_and_signed() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("disk.raw");
    std::fs::write(&file, file_bytes()).expect("written");
    let output = command(
        &server,
        &["ims", "glance-upload-image-file", "--image-id", "img-1", "--body", file.to_str().expect("UTF-8")],
    )
    .env_remove("OS_TOKEN")
    .env("OS_ACCESS_KEY", "AKEXAMPLE")
    .env("OS_SECRET_KEY", "a-secret-key")
    .output()
    .expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let requests = server.received_requests().await.expect("recorded");
    let request = &requests[0];
    assert!(request.body == file_bytes(), "the uploaded bytes differ");
    let authorization = request.headers.get("authorization").and_then(|value| value.to_str().ok()).unwrap_or_default();
    assert!(authorization.starts_with("SDK-HMAC-SHA256"), "signed: {authorization}");
    let length = request.headers.get("content-length").and_then(|value| value.to_str().ok());
    assert_eq!(length, Some(file_bytes().len().to_string().as_str()), "sent with its length, not chunked");
}
