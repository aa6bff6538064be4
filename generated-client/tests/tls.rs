//! The TLS stack over a real handshake: rustls with the ring provider and the platform
//! verifier (`otc_client::tls`) against a loopback HTTPS server. A certificate from a CA the
//! platform trusts is accepted; one from another CA is refused before any request is sent.
//!
//! The platform verifier reads `SSL_CERT_FILE` on Linux, so the test trusts its own CA that way.
//! One test function: the variable is process-wide.

use std::sync::Arc;

use otc_client::{Runtime, modelarts};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Authority {
    certificate: rcgen::Certificate,
    key: KeyPair,
}

fn authority(name: &str) -> Authority {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, name);
    let key = KeyPair::generate().unwrap();
    Authority { certificate: params.self_signed(&key).unwrap(), key }
}

/// Serves one HTTPS connection with a `localhost` certificate signed by `issuer`, answering
/// every request with a ShowNotebook body. Returns the port.
async fn serve(issuer: &Authority) -> u16 {
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer.certificate, &issuer.key)
        .unwrap();
    let chain = vec![CertificateDer::from(leaf.der().to_vec())];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut received = Vec::new();
                let mut buffer = [0u8; 4096];
                while !received.windows(4).any(|window| window == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => received.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = br#"{"id": "nb-1", "status": "RUNNING"}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn a_trusted_certificate_is_accepted_and_another_refused() {
    let trusted = authority("otc-sdk test CA");
    let other = authority("someone else's CA");
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("ca.pem");
    std::fs::write(&bundle, trusted.certificate.pem()).unwrap();
    // SAFETY: the only test in this binary; nothing else reads the environment concurrently.
    unsafe { std::env::set_var("SSL_CERT_FILE", &bundle) };

    let runtime = Runtime::builder().project_id("p").build();
    let good = serve(&trusted).await;
    let client = modelarts::Client::new(&format!("https://localhost:{good}"), runtime.clone());
    let notebook = client.show_notebook().id("nb-1").send().await.expect("the handshake with a trusted CA works");
    assert_eq!(notebook.into_inner().id.as_deref(), Some("nb-1"));

    let bad = serve(&other).await;
    let client = modelarts::Client::new(&format!("https://localhost:{bad}"), runtime);
    let error = client.show_notebook().id("nb-1").send().await.unwrap_err();
    let mut chain = format!("{error}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push_str(&format!(" <- {cause}"));
        source = cause.source();
    }
    assert!(chain.to_lowercase().contains("certificate"), "{chain}");
}
