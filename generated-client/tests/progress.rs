//! `otc_client::progress` on loopback transfers: a multi-MiB upload and download report byte
//! counts that only grow, end at the total, and come a bounded number of times.

use std::sync::{Arc, Mutex};

use futures_util::TryStreamExt;
use otc_client::{Runtime, ims, progress};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGE: &str = "84ac7f2b-bf19-4efb-86a0-b5be8771b476";
const SIZE: usize = 5 * 1024 * 1024 + 123;

fn image_bytes() -> Vec<u8> {
    (0..SIZE as u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 24) as u8).collect()
}

type Calls = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

fn recorder() -> (Calls, impl FnMut(u64, Option<u64>) + Send + Unpin + 'static) {
    let calls = Calls::default();
    let sink = calls.clone();
    (calls, move |done, total| sink.lock().unwrap().push((done, total)))
}

/// Strictly increasing, ending at the total, and far fewer calls than chunks.
fn assert_reports(calls: &[(u64, Option<u64>)], total: u64) {
    assert!(!calls.is_empty());
    assert!(calls.windows(2).all(|pair| pair[0].0 < pair[1].0), "not increasing: {calls:?}");
    assert!(calls.iter().all(|(_, reported)| *reported == Some(total)), "{calls:?}");
    assert_eq!(calls.last().unwrap().0, total);
    // 64 KiB apart at least (the default for this size): at most size / 64 KiB + 1 calls.
    let bound = total / (64 * 1024) + 1;
    assert!(calls.len() as u64 <= bound, "{} calls, bound {bound}", calls.len());
    assert!(calls.len() > 10, "a 5 MiB transfer reports along the way, not only at the end");
}

#[tokio::test]
async fn a_file_upload_reports_its_progress_up_to_the_file_size() {
    let bytes = image_bytes();
    let dir = tempfile::tempdir().unwrap();
    let file_path = dir.path().join("image.qcow2");
    std::fs::write(&file_path, &bytes).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(format!("/v2/images/{IMAGE}/file")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());

    let (calls, on_progress) = recorder();
    let body = progress::upload_file(&file_path, on_progress).await.unwrap();
    client.glance_upload_image_file().image_id(IMAGE).body(body).send().await.unwrap();

    assert_reports(&calls.lock().unwrap(), SIZE as u64);
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body == bytes, "the server received {} bytes, not the file", requests[0].body.len());
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let error = progress::upload_file(dir.path().join("absent"), |_, _| {}).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
}

#[tokio::test]
async fn a_download_reports_bytes_received_against_its_content_length() {
    let bytes = image_bytes();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/images/{IMAGE}/file")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());

    let (calls, on_progress) = recorder();
    let response = client.glance_download_image_file().image_id(IMAGE).send().await.unwrap();
    let mut chunks = progress::download(response, on_progress);
    let mut received = Vec::new();
    while let Some(chunk) = chunks.try_next().await.unwrap() {
        received.extend_from_slice(&chunk);
    }
    assert!(received == bytes, "downloaded {} bytes", received.len());
    assert_eq!(chunks.bytes(), SIZE as u64);
    assert_reports(&calls.lock().unwrap(), SIZE as u64);
}

#[tokio::test]
async fn a_chunked_download_reports_without_a_total() {
    // A raw server answering chunked, so no Content-Length reaches the client.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0u8; 4096];
        let _ = socket.read(&mut request).await.unwrap();
        socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n").await.unwrap();
        for _ in 0..40 {
            let chunk = vec![7u8; 32 * 1024];
            socket.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.unwrap();
            socket.write_all(&chunk).await.unwrap();
            socket.write_all(b"\r\n").await.unwrap();
        }
        socket.write_all(b"0\r\n\r\n").await.unwrap();
    });
    let client = ims::Client::new(&format!("http://{address}"), Runtime::builder().token("a-token").build());
    let (calls, on_progress) = recorder();
    let response = client.glance_download_image_file().image_id(IMAGE).send().await.unwrap();
    let chunks: Vec<_> = progress::download(response, on_progress).try_collect().await.unwrap();
    server.await.unwrap();
    let total = 40 * 32 * 1024;
    assert_eq!(chunks.iter().map(|chunk| chunk.len() as u64).sum::<u64>(), total);
    let calls = calls.lock().unwrap();
    assert!(calls.iter().all(|(_, reported)| reported.is_none()), "{calls:?}");
    assert!(calls.windows(2).all(|pair| pair[0].0 < pair[1].0), "{calls:?}");
    assert_eq!(calls.last().unwrap().0, total);
    assert!(calls.len() as u64 <= total / (64 * 1024) + 1, "{} calls", calls.len());
}
