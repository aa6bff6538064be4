//! Image files over the wire: `GlanceUploadImageFile` streams a file as it reads it (chunked,
//! never one buffer), is sent once even when the server asks for a retry, and
//! `GlanceDownloadImageFile` hands the bytes back as a stream.

use futures_util::TryStreamExt;
use otc_client::{Body, Runtime, ims};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGE: &str = "84ac7f2b-bf19-4efb-86a0-b5be8771b476";

/// Three MiB of bytes that are not all alike, so a reordered or truncated body shows.
fn image_bytes() -> Vec<u8> {
    (0..3 * 1024 * 1024u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 24) as u8).collect()
}

async fn upload_server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(format!("/v2/images/{IMAGE}/file")))
        .respond_with(ResponseTemplate::new(status).insert_header("content-type", "text/html"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_file_upload_is_streamed_with_its_exact_bytes() {
    let bytes = image_bytes();
    let dir = tempfile::tempdir().unwrap();
    let file_path = dir.path().join("image.zvhd2");
    std::fs::write(&file_path, &bytes).unwrap();
    let server = upload_server(204).await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());

    let file = tokio::fs::File::open(&file_path).await.unwrap();
    let response = client.glance_upload_image_file().image_id(IMAGE).body(file).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);

    let requests = server.received_requests().await.unwrap();
    let [request] = requests.as_slice() else { panic!("{} requests", requests.len()) };
    assert_eq!(request.headers.get("content-type").unwrap(), "application/octet-stream");
    // Streamed: the length is not known up front, so the body goes out chunked.
    assert_eq!(request.headers.get("transfer-encoding").map(|v| v.to_str().unwrap()), Some("chunked"));
    assert!(request.headers.get("content-length").is_none());
    assert!(request.body == bytes, "the server received {} bytes, not the file", request.body.len());
}

#[tokio::test]
async fn a_streamed_upload_is_sent_once_even_when_the_server_asks_for_a_retry() {
    let server = upload_server(503).await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(b"part one, ".to_vec()), Ok(b"part two".to_vec())]);
    let error =
        client.glance_upload_image_file().image_id(IMAGE).body(Body::wrap_stream(chunks)).send().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "a stream cannot be replayed");
    assert_eq!(requests[0].body, b"part one, part two");
}

#[tokio::test]
async fn in_memory_bytes_upload_with_a_length() {
    let server = upload_server(204).await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());
    client.glance_upload_image_file().image_id(IMAGE).body(b"small".to_vec()).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("content-length").unwrap(), "5");
}

#[tokio::test]
async fn a_download_streams_the_file_back() {
    let bytes = image_bytes();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/images/{IMAGE}/file")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());
    let response = client.glance_download_image_file().image_id(IMAGE).send().await.unwrap();
    let mut stream = response.into_inner().into_inner();
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.try_next().await.unwrap() {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert!(received == bytes, "downloaded {} bytes", received.len());
    assert!(chunks > 1, "a 3 MiB body arrives in several chunks, not one buffer");
}

#[tokio::test]
async fn an_image_without_data_downloads_as_an_empty_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/images/{IMAGE}/file")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = ims::Client::new(&server.uri(), Runtime::builder().token("a-token").build());
    let response = client.glance_download_image_file().image_id(IMAGE).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let chunks: Vec<_> = response.into_inner().into_inner().try_collect().await.unwrap();
    assert!(chunks.iter().all(|chunk| chunk.is_empty()));
}
