//! The one error type users see. Every generated `send()` returns it (the codegen pass
//! `typed_errors` wraps progenitor's error), so a failed call always says which operation
//! failed, with the HTTP status, the service's error code and message, and the request id.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use serde_json::Value;

/// How much of a non-JSON error body (an HTML gateway page) is kept.
const BODY_LIMIT: usize = 2048;

/// Response headers that carry the request id, in order of preference.
/// Parsed once: a lookup by `&str` parses the name on every call, on every response.
const REQUEST_ID_HEADERS: [HeaderName; 3] = [
    HeaderName::from_static("x-request-id"),
    HeaderName::from_static("x-openstack-request-id"),
    HeaderName::from_static("x-compute-request-id"),
];

/// The typed cause of an [`Error::Authentication`].
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A failed call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a non-success status.
    Api(ApiError),
    /// The request could not be built (a parameter missing or not representable).
    InvalidRequest { operation: &'static str, message: String },
    /// The credentials could not be applied: obtaining a token failed ([`crate::TokenError`],
    /// whose source is IAM's own error with status and request id), or the request could not
    /// be signed ([`crate::signer::SignError`]). `source()` is that cause.
    Authentication { operation: &'static str, source: Cause },
    /// No response: connection, TLS, timeout, or reading the body failed. `elapsed` is the
    /// time the whole call took (all attempts), which a timeout's message reports.
    Transport { operation: &'static str, source: reqwest::Error, elapsed: Duration },
    /// The service answered with a redirect the runtime does not follow (see
    /// [`crate::http`]); nothing was sent to `location`.
    Redirect {
        operation: &'static str,
        status: StatusCode,
        /// The `Location` header as sent (shortened when absurdly long), if any.
        location: Option<String>,
        reason: crate::redirect::NotFollowed,
    },
    /// A paged list's server stopped making progress (see [`crate::pagination`]).
    Stalled { operation: &'static str, stalled: crate::pagination::Stalled },
    /// A success response whose body does not decode into the documented type.
    Decode { operation: &'static str, message: String, body: String },
}

/// An error answer of a service.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub operation: &'static str,
    pub status: StatusCode,
    /// The service's error code (`ModelArts.6309`, `IMG.0024`, or Keystone's numeric code).
    pub code: Option<String>,
    /// The service's message, when the body has one.
    pub message: Option<String>,
    /// The request id the service assigned, for support requests.
    pub request_id: Option<String>,
    /// The body as received (truncated when long), for bodies no known shape matches.
    pub body: String,
}

impl Error {
    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Transport { source, .. } => source.status(),
            Error::Redirect { status, .. } => Some(*status),
            Error::InvalidRequest { .. }
            | Error::Decode { .. }
            | Error::Authentication { .. }
            | Error::Stalled { .. } => None,
        }
    }

    /// The service's error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.code.as_deref(),
            _ => None,
        }
    }

    /// The service's error message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.message.as_deref(),
            _ => None,
        }
    }

    /// The operation (`ShowNotebook`) that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(ApiError { operation, .. })
            | Error::InvalidRequest { operation, .. }
            | Error::Authentication { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::Stalled { operation, .. }
            | Error::Decode { operation, .. } => operation,
        }
    }

    /// Converts a failure the generated code returned; reads the body of an error response.
    /// Generated calls pass only failures here, so a success value (often a large struct) is
    /// not moved through this future's state. `started` is when the call began.
    #[doc(hidden)]
    pub async fn from_generated_error<E>(
        error: progenitor_client::Error<E>,
        operation: &'static str,
        started: Instant,
    ) -> Error {
        use progenitor_client::Error as Generated;
        let transport = |source| Error::Transport { operation, source, elapsed: started.elapsed() };
        match error {
            Generated::UnexpectedResponse(response) if crate::redirect::is_redirect(response.status()) => {
                let reason = response.extensions().get::<crate::redirect::NotFollowed>().copied();
                Error::Redirect {
                    operation,
                    status: response.status(),
                    location: crate::redirect::shown_location(&response),
                    // A redirect reaching here without a verdict came through a caller's own
                    // client; the runtime would not have followed it either.
                    reason: reason.unwrap_or(crate::redirect::NotFollowed::OtherOrigin),
                }
            }
            Generated::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => Error::Api(ApiError::from_parts(operation, status, &headers, &body)),
                    Err(source) => transport(source),
                }
            }
            Generated::ErrorResponse(value) => {
                Error::Api(ApiError::from_parts(operation, value.status(), value.headers(), b""))
            }
            Generated::InvalidRequest(message) => Error::InvalidRequest { operation, message },
            // Only the runtime's `pre` hook produces custom errors: authentication failed, its
            // typed cause filed under the marker the message carries.
            Generated::Custom(message) => {
                let source = crate::handoff::take(&message).unwrap_or_else(|| message.into());
                Error::Authentication { operation, source }
            }
            Generated::CommunicationError(source)
            | Generated::ResponseBodyError(source)
            | Generated::InvalidUpgrade(source) => transport(source),
            Generated::InvalidResponsePayload(body, error) => {
                Error::Decode { operation, message: error.to_string(), body: truncate(&String::from_utf8_lossy(&body)) }
            }
        }
    }
}

/// For streams built with [`crate::pagination`] directly: the operation is not known there.
impl From<crate::pagination::Stalled> for Error {
    fn from(stalled: crate::pagination::Stalled) -> Self {
        Error::Stalled { operation: "a paged list", stalled }
    }
}

/// The request id a service put in its response headers, if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(name)?.to_str().ok())
}

impl ApiError {
    /// Reads code and message from any of the documented error shapes: ModelArts
    /// `{"error_code","error_msg"}` (older APIs: `error_message`), IMS and Keystone
    /// `{"error":{"code","message"}}`, Glance `{"code","title","message"}`. Anything else is
    /// kept as text.
    pub fn from_parts(operation: &'static str, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let (code, message) = match serde_json::from_slice::<Value>(body) {
            Ok(json) => code_and_message(&json),
            Err(_) => (None, None),
        };
        let request_id = request_id(headers).map(str::to_owned);
        ApiError { operation, status, code, message, request_id, body: truncate(&text) }
    }
}

fn code_and_message(json: &Value) -> (Option<String>, Option<String>) {
    let text = |value: Option<&Value>| match value {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    if json.get("error_code").is_some() {
        let message = text(json.get("error_msg")).or_else(|| text(json.get("error_message")));
        return (text(json.get("error_code")), message);
    }
    if let Some(inner) = json.get("error").filter(|inner| inner.is_object()) {
        return (text(inner.get("code")), text(inner.get("message")).or_else(|| text(inner.get("title"))));
    }
    (text(json.get("code")), text(json.get("message")).or_else(|| text(json.get("title"))))
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(BODY_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => api.fmt(f),
            Error::InvalidRequest { operation, message } => write!(f, "invalid request for {operation}: {message}"),
            Error::Authentication { operation, source } => {
                write!(f, "authentication for {operation} failed")?;
                write_causes(f, source.as_ref())
            }
            Error::Transport { operation, source, elapsed } => {
                if source.is_timeout() {
                    write!(f, "{operation} timed out after {:.1} s", elapsed.as_secs_f64())?;
                } else if source.is_connect() {
                    write!(f, "{operation} could not connect")?;
                } else {
                    write!(f, "{operation} failed to get a response")?;
                }
                write_causes(f, source)
            }
            Error::Stalled { operation, stalled } => write!(f, "paging {operation} stopped: {stalled}"),
            Error::Redirect { operation, status, location, reason } => {
                write!(f, "{operation} was redirected (HTTP {})", status.as_u16())?;
                if let Some(location) = location {
                    write!(f, " to {location}")?;
                }
                write!(f, ", not followed: {reason}")
            }
            Error::Decode { operation, message, .. } => {
                write!(f, "the response of {operation} does not decode: {message}")
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.as_u16();
        match &self.code {
            Some(code) => write!(f, "{code} ({status}) on {}", self.operation)?,
            None => write!(f, "HTTP {status} on {}", self.operation)?,
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None if !self.body.trim().is_empty() => write!(f, ": {}", self.body.trim())?,
            None => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request-id {id}]")?;
        }
        Ok(())
    }
}

/// Writes `: cause` for `first` and each error below it, so a one-line message ends with the
/// root cause (IAM's "The username or password is wrong.", `Connection refused`). A message
/// already contained in an earlier one is skipped (reqwest and hyper repeat theirs).
pub(crate) fn write_causes(f: &mut fmt::Formatter<'_>, first: &(dyn std::error::Error + 'static)) -> fmt::Result {
    let mut shown: Vec<String> = Vec::new();
    let mut cause = Some(first);
    // Bounded: a cyclic chain cannot make Display run forever.
    for _ in 0..16 {
        let Some(error) = cause else { break };
        let text = error.to_string();
        if !shown.iter().any(|earlier| earlier.contains(&text)) {
            write!(f, ": {text}")?;
            shown.push(text);
        }
        cause = error.source();
    }
    Ok(())
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Stalled { stalled, .. } => Some(stalled),
            Error::Authentication { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str) -> ApiError {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-1".parse().unwrap());
        ApiError::from_parts("ShowNotebook", StatusCode::from_u16(status).unwrap(), &headers, body.as_bytes())
    }

    #[test]
    fn reads_every_documented_shape() {
        let cases = [
            (
                r#"{"error_code":"ModelArts.6309","error_msg":"The instance does not exist."}"#,
                "ModelArts.6309",
                "The instance does not exist.",
            ),
            (
                r#"{"error_code":"ModelArts.0104","error_message":"Parameter error."}"#,
                "ModelArts.0104",
                "Parameter error.",
            ),
            (
                r#"{"error":{"code":"IMG.0024","message":"The imagetype is invalid."}}"#,
                "IMG.0024",
                "The imagetype is invalid.",
            ),
            (
                r#"{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}"#,
                "401",
                "The request you have made requires authentication.",
            ),
            (
                r#"{"code":404,"title":"Not Found","message":"No image found with ID x"}"#,
                "404",
                "No image found with ID x",
            ),
        ];
        for (body, code, message) in cases {
            let error = api(404, body);
            assert_eq!((error.code.as_deref(), error.message.as_deref()), (Some(code), Some(message)), "{body}");
        }
    }

    #[test]
    fn displays_code_status_operation_message_and_request_id() {
        let error = api(404, r#"{"error_code":"ModelArts.6309","error_msg":"The instance does not exist."}"#);
        assert_eq!(
            error.to_string(),
            "ModelArts.6309 (404) on ShowNotebook: The instance does not exist. [request-id req-1]"
        );
    }

    #[test]
    fn keeps_non_json_bodies_as_truncated_text() {
        let page = format!("<html><body>502 Bad Gateway{}</body></html>", "x".repeat(5000));
        let error = api(502, &page);
        assert_eq!((error.code.as_deref(), error.message.as_deref()), (None, None));
        assert!(error.body.starts_with("<html><body>502 Bad Gateway"));
        assert_eq!(error.body.chars().count(), BODY_LIMIT + 1);
        assert!(error.to_string().starts_with("HTTP 502 on ShowNotebook: <html>"));
    }
}
