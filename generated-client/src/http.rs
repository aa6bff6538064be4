//! The HTTP client every generated `Client` and [`crate::Cloud`] sends through, and the policy
//! it enforces on the wire:
//!
//! - **Redirects are never followed by reqwest.** A credential (`X-Auth-Token`, an AK/SK
//!   signature, `X-Security-Token`) must reach only the origin it was configured for, and a
//!   signed request would not survive a change of URL anyway. The runtime follows a bounded
//!   number of same-origin redirects itself, re-authorizing each hop (see
//!   `Runtime::execute`); any other `3xx` ends the call with [`crate::Error::Redirect`], naming
//!   the `Location`, and nothing is sent there.
//! - **No `Referer`**: it would carry the full request URL (project ids, filters) elsewhere.
//! - **Timeouts fit transfers**: a connect timeout and an idle read timeout here, for every
//!   request; the whole-call limit (`api_timeout`) is applied by the runtime to JSON calls only,
//!   so multi-gigabyte image uploads and downloads are bounded by progress, not by size.
//! - **TLS**: rustls with the ring provider and the platform verifier, configured by [`client_builder`].

use std::time::Duration;

/// How long establishing a connection may take, unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection may stay silent (no bytes read) before the call fails, unless
/// configured otherwise. Applies to streamed transfers as well as to JSON calls.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// A reqwest builder with this crate's policy: TLS, no redirects, no `Referer`, the default
/// connect and read timeouts, and the `otc-client` user agent. The generated `Client::new` and
/// [`crate::Cloud`] start from it; a caller building its own `reqwest::Client` for
/// `Client::new_with_client` should too (a client that follows redirects itself would send
/// credentials wherever a server points it).
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::ClientBuilder::new()
        .tls_backend_preconfigured(crate::tls::client_config())
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .read_timeout(DEFAULT_READ_TIMEOUT)
        .user_agent(concat!("otc-client/", env!("CARGO_PKG_VERSION")))
}
