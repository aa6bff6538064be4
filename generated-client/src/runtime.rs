//! The state every generated `Client` carries (progenitor's "inner" value): the project id
//! that fills `{project_id}`, how to authenticate, and how to retry. Clones share it.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use progenitor_client::OperationInfo;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::decode::MaxResponseBytes;
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
    max_response_bytes: MaxResponseBytes,
}

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

/// Every operation of a generated module: (id, method, path template, takes credentials).
pub(crate) type Operations = [(&'static str, &'static str, &'static str, bool)];

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

    /// Adds the credentials to a request before it is sent; operations declared without
    /// security (IAM token creation) get none.
    pub(crate) async fn authorize(
        &self,
        request: &mut Request,
        info: &OperationInfo,
        operations: &Operations,
    ) -> Result<(), String> {
        let authenticated =
            operations.iter().find(|operation| operation.0 == info.operation_id).is_none_or(|operation| operation.3);
        if !authenticated {
            return Ok(());
        }
        match &self.shared.auth {
            Auth::None => Ok(()),
            Auth::Token(token) => set_token(request, token),
            Auth::AccessKey(signer) => signer.sign(request, SystemTime::now()).map_err(|error| error.to_string()),
            Auth::Password(source) => set_token(request, &source.token().await?.value),
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

    /// Sends a request with bounded retries, inside one tracing span (operation id, method,
    /// path template, status, request id, attempts, duration).
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        operations: &Operations,
    ) -> reqwest::Result<Response> {
        let template =
            operations.iter().find(|operation| operation.0 == info.operation_id).map_or("", |operation| operation.2);
        let span = tracing::info_span!(
            "otc.request",
            operation = info.operation_id,
            method = %request.method(),
            path = template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let (result, attempts) =
            self.send_with_retries(http, request, info, operations, started).instrument(span.clone()).await;
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
        started: Instant,
    ) -> (reqwest::Result<Response>, u32) {
        let method = request.method().clone();
        let mut pending = request;
        let mut number = 1;
        let mut renewed = false;
        loop {
            // A streamed body cannot be sent twice: such a request gets exactly one attempt.
            let spare = pending.try_clone();
            let sent_token = pending.headers().get(AUTH_TOKEN).cloned();
            let result = http.execute(pending).await;
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

fn set_token(request: &mut Request, token: &Secret) -> Result<(), String> {
    let mut value = HeaderValue::from_str(token.expose()).map_err(|_| "the token is not a valid header value")?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTH_TOKEN, value);
    Ok(())
}

/// Builds a [`Runtime`].
#[derive(Default, Debug)]
pub struct RuntimeBuilder {
    shared: Shared,
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
        self
    }

    /// Sign every request with an access key pair (`SDK-HMAC-SHA256`); the project id, when
    /// configured, is sent and signed as `X-Project-Id`.
    pub fn access_key(mut self, credentials: AccessKey) -> Self {
        let signer = Signer::new(credentials, self.shared.project_id.clone());
        self.shared.auth = Auth::AccessKey(Box::new(signer));
        self
    }

    pub(crate) fn password(mut self, source: Arc<TokenSource>) -> Self {
        self.shared.auth = Auth::Password(source);
        self
    }

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

    pub fn build(self) -> Runtime {
        Runtime { shared: Arc::new(self.shared) }
    }
}
