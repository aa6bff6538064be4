//! Slow and silent servers: every call ends within the configured bound, and a slow but steady
//! transfer is not cut by the whole-call limit that JSON calls get.
//!
//! Raw loopback TCP servers (wiremock cannot stall mid-body); each test bounds itself with an
//! outer `tokio::time::timeout` far above the limit under test.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use otc_client::{Body, Error, RetryPolicy, Runtime, ims, modelarts};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const IMAGE: &str = "84ac7f2b-bf19-4efb-86a0-b5be8771b476";
const OUTER_BOUND: Duration = Duration::from_secs(20);

/// A server running `behave` on every connection it accepts.
async fn server<F, Fut>(behave: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(behave(stream));
        }
    });
    format!("http://{address}")
}

/// Reads a request head (bounded), so the client's write does not fail first.
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 65_536 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(count) => head.extend_from_slice(&buffer[..count]),
        }
    }
}

fn runtime(api_timeout: Duration) -> Runtime {
    Runtime::builder().project_id("p").retry(RetryPolicy::none()).api_timeout(api_timeout).build()
}

fn http(read_timeout: Duration) -> reqwest::Client {
    otc_client::http::client_builder().read_timeout(read_timeout).build().unwrap()
}

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_ends_a_json_call_at_the_api_timeout() {
    let base = server(|mut stream| async move {
        read_head(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    })
    .await;
    // The read timeout is far longer: the whole-call limit is what ends this call.
    let client =
        modelarts::Client::new_with_client(&base, http(Duration::from_secs(60)), runtime(Duration::from_millis(400)));
    let started = Instant::now();
    let error = tokio::time::timeout(OUTER_BOUND, client.show_notebook().id("nb").send()).await.unwrap().unwrap_err();
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(5), "{took:?}");
    let shown = error.to_string();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(shown.starts_with("ShowNotebook timed out after 0."), "{shown}");
}

#[tokio::test]
async fn a_body_that_stops_mid_way_ends_a_json_call() {
    let base = server(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
            .await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    })
    .await;
    let client =
        modelarts::Client::new_with_client(&base, http(Duration::from_millis(300)), runtime(Duration::from_secs(30)));
    let started = Instant::now();
    let error = tokio::time::timeout(OUTER_BOUND, client.show_notebook().id("nb").send()).await.unwrap().unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "the read timeout ended it: {:?}", started.elapsed());
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn a_download_that_stalls_ends_at_the_read_timeout() {
    let base = server(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\nabc",
            )
            .await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    })
    .await;
    let client =
        ims::Client::new_with_client(&base, http(Duration::from_millis(300)), runtime(Duration::from_secs(30)));
    let started = Instant::now();
    let outcome = tokio::time::timeout(OUTER_BOUND, async {
        let response = client.glance_download_image_file().image_id(IMAGE).send().await?;
        let mut stream = response.into_inner().into_inner();
        let mut read = 0;
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(bytes) => read += bytes.len(),
                Err(error) => return Ok::<_, Error>(Err((read, error))),
            }
        }
        Ok(Ok(read))
    })
    .await
    .expect("bounded")
    .expect("the headers arrive");
    let (read, error) = outcome.expect_err("a stalled body is an error, not a hang");
    assert_eq!(read, 3);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(
        format!("{error}").to_lowercase().contains("timed out") || format!("{error:?}").contains("TimedOut"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_but_steady_download_outlives_the_api_timeout() {
    let base = server(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 20\r\n\r\n")
            .await;
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(60)).await;
            if stream.write_all(b"x").await.is_err() {
                return;
            }
        }
    })
    .await;
    // 20 × 60 ms = 1.2 s of transfer, three times the whole-call limit, never 300 ms silent.
    let client =
        ims::Client::new_with_client(&base, http(Duration::from_millis(300)), runtime(Duration::from_millis(400)));
    let body = tokio::time::timeout(OUTER_BOUND, async {
        let response = client.glance_download_image_file().image_id(IMAGE).send().await.unwrap();
        response
            .into_inner()
            .into_inner()
            .try_fold(Vec::new(), |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            })
            .await
    })
    .await
    .expect("bounded")
    .expect("a steady download is not cut off");
    assert_eq!(body, vec![b'x'; 20]);
}

#[tokio::test]
async fn a_slow_but_steady_upload_outlives_the_api_timeout() {
    let base = server(|mut stream| async move {
        // Read everything until the chunked body's end, then answer.
        let mut seen = Vec::new();
        let mut buffer = [0u8; 4096];
        while !seen.ends_with(b"0\r\n\r\n") && seen.len() < 1_000_000 {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(count) => seen.extend_from_slice(&buffer[..count]),
            }
        }
        let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").await;
    })
    .await;
    let chunks = futures_util::stream::iter(0..12).then(|_| async {
        tokio::time::sleep(Duration::from_millis(60)).await;
        Ok::<_, std::io::Error>(vec![7u8; 1024])
    });
    let client = ims::Client::new_with_client(&base, http(Duration::from_secs(5)), runtime(Duration::from_millis(300)));
    let upload = client.glance_upload_image_file().image_id(IMAGE).body(Body::wrap_stream(chunks)).send();
    let response = tokio::time::timeout(OUTER_BOUND, upload).await.expect("bounded").expect("not cut off");
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn an_upload_to_a_server_that_never_reads_nor_answers_ends() {
    let base = server(|stream| async move {
        // Accept, then neither read nor write.
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(stream);
    })
    .await;
    let chunks = futures_util::stream::iter(0..10_000).map(|_| Ok::<_, std::io::Error>(vec![0u8; 64 * 1024]));
    let client =
        ims::Client::new_with_client(&base, http(Duration::from_millis(500)), runtime(Duration::from_secs(30)));
    let started = Instant::now();
    let upload = client.glance_upload_image_file().image_id(IMAGE).body(Body::wrap_stream(chunks)).send();
    let error = tokio::time::timeout(OUTER_BOUND, upload).await.expect("bounded by the read timeout").unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = modelarts::Client::new(&format!("http://127.0.0.1:{port}"), runtime(Duration::from_secs(5)));
    let error = client.show_notebook().id("nb").send().await.unwrap_err();
    let shown = error.to_string();
    assert!(shown.starts_with("ShowNotebook could not connect: "), "{shown}");
    assert!(shown.to_lowercase().contains("connection refused"), "the root cause is in Display: {shown}");
}
