//! Whatever a server answers, a call returns: a property test drives the retry, decode and error
//! paths with thousands of generated raw HTTP answers (any status, absurd or lying headers,
//! arbitrary bodies) from a loopback TCP server, and asserts that every call ends, in bounded
//! time, without a panic and without the token in its error.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use otc_client::{Error, RetryPolicy, Runtime};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "token-never-in-an-error";

/// Header lines a hostile server might send: the ones the runtime reads, with absurd values.
fn header() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        Just("Retry-After"),
        Just("Content-Length"),
        Just("Content-Type"),
        Just("Location"),
        Just("X-Request-Id"),
        Just("Transfer-Encoding"),
        Just("X-Subject-Token"),
        Just("X-Odd"),
    ];
    let value = prop_oneof![
        Just("18446744073709551615".to_owned()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("chunked".to_owned()),
        Just("application/json".to_owned()),
        Just("text/html; charset=utf-8".to_owned()),
        Just("http://127.0.0.1:1/elsewhere".to_owned()),
        (0usize..20_000).prop_map(|length| "v".repeat(length)),
        "[ -~]{0,40}",
        any::<u64>().prop_map(|number| number.to_string()),
    ];
    (name, value).prop_map(|(name, value)| format!("{name}: {value}\r\n").into_bytes())
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        Just(Vec::new()),
        Just(br#"{"error_code":"ModelArts.6309","error_msg":"gone"}"#.to_vec()),
        Just(br#"{"id":"nb","status":"RUNNING","unexpected":[1,2,3]}"#.to_vec()),
        Just(br#"{"id":7}"#.to_vec()),
        Just(b"<html><title>502</title><body>Bad <b>Gateway</b></body></html>".to_vec()),
        (1usize..50_000).prop_map(|depth| "[".repeat(depth).into_bytes()),
        "[ -~]{0,200}".prop_map(String::into_bytes),
    ]
}

/// A whole answer: status line, headers, blank line, body — or a truncated prefix of it.
fn answer() -> impl Strategy<Value = Vec<u8>> {
    let status = prop_oneof![100u16..1000, Just(200), Just(204), Just(302), Just(401), Just(429), Just(503)];
    (status, proptest::collection::vec(header(), 0..6), body(), proptest::option::of(0usize..400)).prop_map(
        |(status, headers, body, cut)| {
            let mut bytes = format!("HTTP/1.1 {status} Whatever\r\n").into_bytes();
            headers.iter().for_each(|line| bytes.extend_from_slice(line));
            bytes.extend_from_slice(b"Connection: close\r\n\r\n");
            bytes.extend_from_slice(&body);
            if let Some(cut) = cut {
                bytes.truncate(cut);
            }
            bytes
        },
    )
}

/// Serves `answer` to every connection: reads the request head (bounded), writes, closes.
async fn serve(answer: Arc<Mutex<Vec<u8>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let bytes = answer.lock().unwrap().clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                let read = async {
                    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 65_536 {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(count) => head.extend_from_slice(&buffer[..count]),
                        }
                    }
                };
                let _ = tokio::time::timeout(Duration::from_secs(2), read).await;
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

#[test]
fn whatever_a_server_answers_every_call_ends_without_panicking() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let current = Arc::new(Mutex::new(Vec::new()));
    let base = runtime.block_on(serve(current.clone()));
    let retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_elapsed: Duration::from_millis(200),
    };
    let otc = Runtime::builder().project_id("p").token(TOKEN).retry(retry).api_timeout(Duration::from_secs(5)).build();
    let modelarts = otc_client::modelarts::Client::new(&base, otc.clone());
    let ims = otc_client::ims::Client::new(&base, otc);

    let mut runner = TestRunner::new(Config { cases: 1500, failure_persistence: None, ..Config::default() });
    let outcome = runner.run(&(answer(), any::<bool>()), |(bytes, download)| {
        *current.lock().unwrap() = bytes;
        let call = async {
            if download {
                ims.glance_download_image_file().image_id("img").send().await.map(|_| ())
            } else {
                modelarts.show_notebook().id("nb").send().await.map(|_| ())
            }
        };
        let result = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(10), call).await });
        let result = result.map_err(|_| TestCaseError::fail("the call did not end within 10 s"))?;
        if let Err(error) = result {
            let shown = format!("{error} {error:?}");
            prop_assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
            prop_assert!(!error.to_string().is_empty());
            if let Error::Api(api) = &error {
                prop_assert!(api.body.chars().count() <= 4096, "kept error text is bounded");
            }
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
