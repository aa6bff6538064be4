//! The state every generated `Client` carries (progenitor's "inner" value): the project id
//! that fills `{project_id}`, how to authenticate, and how to retry. Clones share it.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use progenitor_client::OperationInfo;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::retry::{self, Attempt, RetryPolicy};
use crate::secret::Secret;
use crate::signer::{AccessKey, Signer};

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
}

/// How requests are authenticated.
#[derive(Default, Debug)]
pub(crate) enum Auth {
    #[default]
    None,
    /// A fixed token, sent as `X-Auth-Token`.
    Token(Secret),
    /// AK/SK: every attempt is signed anew (the signature covers the time).
    AccessKey(Signer),
}

const AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");
/// Response headers naming the request, in order of preference.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "x-openstack-request-id"];

impl Runtime {
    /// Starts a runtime; see [`RuntimeBuilder`].
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// The value the runtime supplies for a path parameter (`project_id`), if configured.
    pub fn path_parameter(&self, name: &str) -> Option<String> {
        match name {
            "project_id" => self.shared.project_id.clone(),
            _ => None,
        }
    }

    /// Adds the credentials to a request before it is first sent.
    pub(crate) async fn authorize(&self, request: &mut Request, _info: &OperationInfo) -> Result<(), String> {
        match &self.shared.auth {
            Auth::None => Ok(()),
            Auth::Token(token) => {
                let mut value =
                    HeaderValue::from_str(token.expose()).map_err(|_| "the token is not a valid header value")?;
                value.set_sensitive(true);
                request.headers_mut().insert(AUTH_TOKEN, value);
                Ok(())
            }
            Auth::AccessKey(signer) => signer.sign(request, SystemTime::now()).map_err(|error| error.to_string()),
        }
    }

    /// Sends a request with bounded retries, inside one tracing span (operation id, method,
    /// path template, status, request id, attempts, duration).
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        operations: &[(&str, &str, &str)],
    ) -> reqwest::Result<Response> {
        let template = operations.iter().find(|(id, _, _)| *id == info.operation_id).map_or("", |(_, _, path)| *path);
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
        let (result, attempts) = self.send_with_retries(http, request, info, started).instrument(span.clone()).await;
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
            let headers = response.headers();
            if let Some(id) = REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name)?.to_str().ok()) {
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
        started: Instant,
    ) -> (reqwest::Result<Response>, u32) {
        let method = request.method().clone();
        let mut pending = request;
        let mut number = 1;
        loop {
            // A streamed body cannot be sent twice: such a request gets exactly one attempt.
            let spare = pending.try_clone();
            let result = http.execute(pending).await;
            let attempt = match &result {
                Ok(response) => Attempt::Answered(response.status(), retry::retry_after(response.headers())),
                Err(error) if error.is_connect() => Attempt::NotConnected,
                Err(_) => Attempt::Failed,
            };
            let delay = self.shared.retry.next_delay(&method, attempt, number, started.elapsed(), retry::jitter());
            let (Some(mut again), Some(delay)) = (spare, delay) else { return (result, number) };
            tracing::debug!(attempt = number, ?delay, "retrying");
            drop(result);
            tokio::time::sleep(delay).await;
            if self.authorize(&mut again, info).await.is_err() {
                return (http.execute(again).await, number + 1);
            }
            pending = again;
            number += 1;
        }
    }
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
        self.shared.auth = Auth::AccessKey(signer);
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.shared.retry = policy;
        self
    }

    pub fn build(self) -> Runtime {
        Runtime { shared: Arc::new(self.shared) }
    }
}
