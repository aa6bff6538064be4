//! The TLS setup of every HTTP client this crate builds: rustls with the *ring* crypto provider
//! and the platform's certificate verifier, handed to reqwest preconfigured.
//!
//! Why not reqwest's default: its `rustls` feature brings the aws-lc-rs provider, whose C build
//! (aws-lc-sys) is the longest step of a user's clean build. With `rustls-no-provider`, reqwest
//! would panic unless a process-wide provider were installed; passing a configured `ClientConfig`
//! instead needs no global state, so an application stays free to install its own provider.

use std::sync::Arc;

use rustls_platform_verifier::BuilderVerifierExt;

/// The TLS configuration [`crate::http::client_builder`] hands to reqwest.
pub(crate) fn client_config() -> rustls::ClientConfig {
    let mut config = platform_config().unwrap_or_else(|error| {
        // Without usable platform roots every TLS handshake fails with a certificate error,
        // which names the problem; reqwest without a preconfigured TLS setup would panic.
        tracing::warn!(%error, "cannot load the platform's certificate verifier; TLS connections will fail");
        untrusting_config()
    });
    // This crate's reqwest speaks HTTP/1.1 only (no `http2` feature).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A configuration that trusts no certificate.
fn untrusting_config() -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

fn platform_config() -> Result<rustls::ClientConfig, rustls::Error> {
    Ok(rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    #[test]
    fn without_platform_roots_clients_still_build() {
        let client = reqwest::ClientBuilder::new().tls_backend_preconfigured(super::untrusting_config()).build();
        assert!(client.is_ok(), "{client:?}");
    }

    #[test]
    fn clients_build_without_a_process_wide_provider() {
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        let client = reqwest::ClientBuilder::new().tls_backend_preconfigured(super::client_config()).build();
        assert!(client.is_ok(), "{client:?}");
        assert!(rustls::crypto::CryptoProvider::get_default().is_none(), "no global state was set");
    }
}
