//! The state every generated `Client` carries (progenitor's "inner" value): the project id
//! that fills `{project_id}`, how to authenticate, and how to retry. Clones share it.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use progenitor_client::OperationInfo;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::decode::MaxResponseBytes;
use crate::redirect;
use crate::retry::{self, Attempt, RetryPolicy};
use crate::secret::Secret;
use crate::signer::{AccessKey, Signer};
use crate::token::TokenSource;

/// Per-session state shared by the clients of one configuration. `Runtime::default()` has no
/// project and no authentication (useful against local test servers).
#[derive(Clone, Default, Debug)]
pub struct Runtime {
    shared: Arc<Shared>,
}

#[derive(Default, Debug)]
struct Shared {
    project_id: Option<String>,
    auth: Auth,
    retry: RetryPolicy,
    /// The whole-call limit of a JSON attempt; `None`: [`DEFAULT_API_TIMEOUT`].
    api_timeout: Option<Duration>,
    max_response_bytes: MaxResponseBytes,
}

/// How long one attempt of a JSON call may take, from sending to the end of the body, unless
/// configured otherwise. Streamed uploads and downloads have no such limit (only the client's
/// connect and read timeouts, see [`crate::http`]).
pub const DEFAULT_API_TIMEOUT: Duration = Duration::from_secs(60);

/// How requests are authenticated.
#[derive(Default, Debug)]
pub(crate) enum Auth {
    #[default]
    None,
    /// A fixed token, sent as `X-Auth-Token`.
    Token(Secret),
    /// AK/SK: every attempt is signed anew (the signature covers the time).
    AccessKey(Box<Signer>),
    /// A token from IAM for a user and password, cached and renewed.
    Password(Arc<TokenSource>),
}

/// Every operation of a generated module: (id, method, path template, takes credentials,
/// streams a raw body).
pub(crate) type Operations = [Operation];
pub(crate) type Operation = (&'static str, &'static str, &'static str, bool, bool);

/// What the runtime assumes of an operation missing from its module's table (none is).
const UNLISTED: Operation = ("", "", "", true, false);

fn find(operations: &Operations, info: &OperationInfo) -> Operation {
    operations.iter().find(|operation| operation.0 == info.operation_id).copied().unwrap_or(UNLISTED)
}

const AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

impl Runtime {
    /// Starts a runtime; see [`RuntimeBuilder`].
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// How many bytes of a JSON success body are buffered ([`RuntimeBuilder::max_response_bytes`]).
    pub(crate) fn max_response_bytes(&self) -> MaxResponseBytes {
        self.shared.max_response_bytes
    }

    /// The value the runtime supplies for a path parameter (`project_id`), if configured.
    pub fn path_parameter(&self, name: &str) -> Option<String> {
        match name {
            "project_id" => self.shared.project_id.clone(),
            _ => None,
        }
    }

    /// The time one attempt of a JSON call may take.
    fn api_timeout(&self) -> Duration {
        self.shared.api_timeout.unwrap_or(DEFAULT_API_TIMEOUT)
    }

    /// Adds the credentials to a request before it is sent; operations declared without
    /// security (IAM token creation) get none. A failure keeps its typed cause (the
    /// [`crate::TokenError`] with IAM's answer, or the [`crate::signer::SignError`]).
    pub(crate) async fn authorize(
        &self,
        request: &mut Request,
        info: &OperationInfo,
        operations: &Operations,
    ) -> Result<(), crate::error::Cause> {
        if !find(operations, info).3 {
            return Ok(());
        }
        match &self.shared.auth {
            Auth::None => Ok(()),
            Auth::Token(token) => Ok(set_token(request, token)?),
            Auth::AccessKey(signer) => Ok(signer.sign(request, SystemTime::now())?),
            Auth::Password(source) => Ok(set_token(request, &source.token().await?.value)?),
        }
    }

    /// After a 401: renews a password token once and authorizes `request` with the new one.
    /// `false` when there is nothing to renew.
    async fn renew(&self, request: &mut Request, rejected: Option<&HeaderValue>) -> bool {
        let (Auth::Password(source), Some(rejected)) = (&self.shared.auth, rejected) else { return false };
        let Ok(rejected) = rejected.to_str() else { return false };
        match source.renew(&Secret::new(rejected)).await {
            Ok(token) => set_token(request, &token.value).is_ok(),
            Err(error) => {
                tracing::warn!(%error, "renewing the token failed");
                false
            }
        }
    }

    /// Sends a request with bounded retries and same-origin redirects, inside one tracing span
    /// (operation id, method, path template, status, request id, attempts, duration).
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        mut request: Request,
        info: &OperationInfo,
        operations: &Operations,
    ) -> reqwest::Result<Response> {
        let operation = find(operations, info);
        let span = tracing::info_span!(
            "otc.request",
            operation = info.operation_id,
            method = %request.method(),
            path = operation.2,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let streams = operation.4;
        if !streams && request.timeout().is_none() {
            *request.timeout_mut() = Some(self.api_timeout());
        }
        let started = Instant::now();
        let (result, attempts) =
            self.send_with_retries(http, request, info, operations, operation, started).instrument(span.clone()).await;
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
            if let Some(id) = crate::error::request_id(response.headers()) {
                span.record("request_id", id);
            }
        }
        result
    }

    async fn send_with_retries(
        &self,
        http: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        operations: &Operations,
        operation: Operation,
        started: Instant,
    ) -> (reqwest::Result<Response>, u32) {
        let method = request.method().clone();
        let mut pending = request;
        let mut number = 1;
        let mut redirects = 0;
        let mut renewed = false;
        loop {
            // A streamed body cannot be sent twice: such a request gets exactly one attempt.
            let mut spare = pending.try_clone();
            let sent_token = pending.headers().get(AUTH_TOKEN).cloned();
            let mut result = http.execute(pending).await;
            if let Ok(response) = &mut result
                && redirect::is_redirect(response.status())
            {
                // An operation that takes no credentials in headers carries them in its body.
                let credentials_in_body = !operation.3;
                // Whether followed or refused, this attempt ends here: the spare is the next hop.
                match redirect::follow(response, spare.take(), redirects, credentials_in_body) {
                    Ok(mut next) => {
                        // Not a retry: the same attempt, at the URL the origin named.
                        redirects += 1;
                        tracing::debug!(
                            status = response.status().as_u16(),
                            hop = redirects,
                            "following a same-origin redirect"
                        );
                        if let Err(error) = self.authorize(&mut next, info, operations).await {
                            tracing::warn!(%error, "authorizing a redirected request failed");
                        }
                        pending = next;
                        continue;
                    }
                    Err(refused) => {
                        response.extensions_mut().insert(refused);
                        return (result, number);
                    }
                }
            }
            let Some(mut again) = spare else { return (result, number) };
            if !renewed
                && matches!(&result, Ok(response) if response.status() == reqwest::StatusCode::UNAUTHORIZED)
                && self.renew(&mut again, sent_token.as_ref()).await
            {
                // One renewal per call, not counted as a retry.
                renewed = true;
                pending = again;
                continue;
            }
            let attempt = match &result {
                Ok(response) => Attempt::Answered(response.status(), retry::retry_after(response.headers())),
                Err(error) if error.is_connect() => Attempt::NotConnected,
                Err(_) => Attempt::Failed,
            };
            let Some(delay) = self.shared.retry.next_delay(&method, attempt, number, started.elapsed(), retry::jitter)
            else {
                return (result, number);
            };
            tracing::debug!(attempt = number, ?delay, "retrying");
            drop(result);
            tokio::time::sleep(delay).await;
            if let Err(error) = self.authorize(&mut again, info, operations).await {
                tracing::warn!(%error, "authorizing a retry failed");
            }
            pending = again;
            number += 1;
        }
    }
}

/// The error names no part of the token (`InvalidHeaderValue` shows nothing of the value).
fn set_token(request: &mut Request, token: &Secret) -> Result<(), reqwest::header::InvalidHeaderValue> {
    let mut value = HeaderValue::from_str(token.expose())?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTH_TOKEN, value);
    Ok(())
}

/// Builds a [`Runtime`]. The order of the calls does not matter: the signer of
/// [`RuntimeBuilder::access_key`] is made in [`RuntimeBuilder::build`], with the project id set
/// by then.
#[derive(Default, Debug)]
pub struct RuntimeBuilder {
    shared: Shared,
    /// An access key pair waiting for the final project id (its `Debug` hides the secrets).
    access_key: Option<AccessKey>,
}

impl RuntimeBuilder {
    /// The project every `{project_id}` path parameter defaults to.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.shared.project_id = Some(project_id.into());
        self
    }

    /// Authenticate with a token obtained elsewhere (`X-Auth-Token`).
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.shared.auth = Auth::Token(token.into());
        self.access_key = None;
        self
    }

    /// Sign every request with an access key pair (`SDK-HMAC-SHA256`); the project id, when
    /// configured (before or after this call), is sent and signed as `X-Project-Id`.
    pub fn access_key(mut self, credentials: AccessKey) -> Self {
        self.shared.auth = Auth::None;
        self.access_key = Some(credentials);
        self
    }

    pub(crate) fn password(mut self, source: Arc<TokenSource>) -> Self {
        self.shared.auth = Auth::Password(source);
        self.access_key = None;
        self
    }

    /// How long one attempt of a JSON call may take, from sending to the end of the body
    /// (default 60 s). Streamed uploads and downloads are bounded by the HTTP
    /// client's connect and read timeouts instead.
    pub fn api_timeout(mut self, timeout: Duration) -> Self {
        self.shared.api_timeout = Some(timeout);
        self
    }

    /// How idempotent calls are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.shared.retry = policy;
        self
    }

    /// The most bytes of a JSON success body a call buffers (default 32 MiB); a longer body
    /// fails the call with `Error::ResponseTooLarge` without being read to the end. Streamed
    /// downloads (`GlanceDownloadImageFile`) are not limited.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.shared.max_response_bytes = MaxResponseBytes(limit);
        self
    }

    /// The runtime, ready to be a generated `Client`'s inner value.
    pub fn build(mut self) -> Runtime {
        if let Some(credentials) = self.access_key {
            self.shared.auth = Auth::AccessKey(Box::new(Signer::new(credentials, self.shared.project_id.clone())));
        }
        Runtime { shared: Arc::new(self.shared) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_timeout_is_kept_for_the_requests() {
        assert_eq!(Runtime::builder().build().api_timeout(), DEFAULT_API_TIMEOUT);
        let runtime = Runtime::builder().api_timeout(Duration::from_secs(7)).build();
        assert_eq!(runtime.api_timeout(), Duration::from_secs(7));
    }

    #[test]
    fn a_pending_access_key_stays_hidden_in_debug() {
        let builder = Runtime::builder().access_key(AccessKey::temporary("AK", "topsecret", "sessiontoken"));
        let pending = format!("{builder:?}");
        let shown = format!("{pending} {:?}", builder.project_id("p").build());
        assert!(shown.contains("AK") && !shown.contains("topsecret") && !shown.contains("sessiontoken"), "{shown}");
    }
}
