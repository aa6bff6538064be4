//! The HTTP client a `Cloud` builds bounds silence, not transfers: a download that keeps sending
//! outlasts the read timeout and the JSON `api_timeout` several times over, while one that stalls
//! fails once the read timeout passes. Served by a raw loopback server that trickles a chunked
//! body.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use otc_client::{Cloud, Config, Service};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const IMAGE: &str = "84ac7f2b-bf19-4efb-86a0-b5be8771b476";

/// Serves one request: `chunks` chunks of `abcd`, `pause` apart, then either the end of the body
/// or (with `stall`) five seconds of silence.
async fn trickling_server(chunks: usize, pause: Duration, stall: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|window| window == b"\r\n\r\n") && request.len() < 65_536 {
            let read = socket.read(&mut buffer).await.unwrap();
            if read == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..read]);
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        for _ in 0..chunks {
            tokio::time::sleep(pause).await;
            if socket.write_all(b"4\r\nabcd\r\n").await.is_err() {
                return;
            }
        }
        if stall {
            tokio::time::sleep(Duration::from_secs(5)).await;
        } else {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    });
    format!("http://{address}")
}

fn cloud(url: &str, read: Duration, api: Duration) -> Cloud {
    let config = Config::builder()
        .region("eu-de")
        .token("a-token")
        .endpoint(Service::Ims, url)
        .read_timeout(read)
        .api_timeout(api)
        .build()
        .unwrap();
    Cloud::new(config).unwrap()
}

#[tokio::test]
async fn a_download_that_keeps_sending_is_not_cut_off() {
    let url = trickling_server(8, Duration::from_millis(150), false).await;
    let cloud = cloud(&url, Duration::from_millis(600), Duration::from_millis(200));
    let started = Instant::now();
    let response = cloud.ims().glance_download_image_file().image_id(IMAGE).send().await.unwrap();
    let chunks: Vec<_> = response.into_inner().into_inner().try_collect().await.unwrap();
    assert_eq!(chunks.concat(), b"abcd".repeat(8));
    assert!(started.elapsed() > Duration::from_millis(1200), "the transfer outlasted both timeouts");
}

#[tokio::test]
async fn a_stalled_download_fails_after_the_read_timeout() {
    let url = trickling_server(2, Duration::from_millis(50), true).await;
    let cloud = cloud(&url, Duration::from_millis(300), Duration::from_secs(60));
    let started = Instant::now();
    let response = cloud.ims().glance_download_image_file().image_id(IMAGE).send().await.unwrap();
    let result: Result<Vec<_>, _> = response.into_inner().into_inner().try_collect().await;
    let error = result.unwrap_err();
    assert!(error.is_timeout() || error.is_body(), "{error:?}");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(3), "{elapsed:?}");
}
