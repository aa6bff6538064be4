//! The one error type users see. Every generated `send()` returns it (the codegen pass
//! `typed_errors` wraps progenitor's error), so a failed call always says which operation
//! failed, with the HTTP status, the service's error code and message, and the request id.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName};
use serde_json::Value;

use crate::html_text;

/// How much of a non-JSON error body (an HTML gateway page, as text) is kept, in characters.
const BODY_LIMIT: usize = 2048;

/// How much of an error body is read at all. Every documented error body is a few hundred
/// bytes; a gateway page a few KiB. The rest is not read: the connection is dropped instead.
pub(crate) const ERROR_BODY_CAP: usize = 64 * 1024;

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
    InvalidRequest {
        /// The operation id (`ShowNotebook`).
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The credentials could not be applied: obtaining a token failed ([`crate::TokenError`],
    /// whose source is IAM's own error with status and request id), or the request could not
    /// be signed ([`crate::signer::SignError`]). `source()` is that cause.
    Authentication {
        /// The operation id.
        operation: &'static str,
        /// The typed cause.
        source: Cause,
    },
    /// No response: connection, TLS, timeout, or reading the body failed. `elapsed` is the
    /// time the whole call took (all attempts), which a timeout's message reports.
    Transport {
        /// The operation id.
        operation: &'static str,
        /// What reqwest reported.
        source: reqwest::Error,
        /// How long the call took, all attempts.
        elapsed: Duration,
    },
    /// The service answered with a redirect the runtime does not follow (see
    /// [`crate::http`]); nothing was sent to `location`.
    Redirect {
        /// The operation id.
        operation: &'static str,
        /// The redirect's status (`301`, `302`, `307`, …).
        status: StatusCode,
        /// The `Location` header as sent (shortened when absurdly long), if any.
        location: Option<String>,
        /// Why it was not followed.
        reason: crate::redirect::NotFollowed,
    },
    /// A paged list's server stopped making progress (see [`crate::pagination`]).
    Stalled {
        /// The list operation's id.
        operation: &'static str,
        /// How many pages, and what the server repeated.
        stalled: crate::pagination::Stalled,
    },
    /// A success response whose body does not decode into the documented type. `path` is the
    /// JSON path of the failing field (`.spec.storage.type`, `.` for the whole body). The body
    /// itself is not kept: a success body can carry a credential (a notebook's `token`).
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The JSON path of the failing field.
        path: String,
        /// serde's message, without the body's text.
        message: String,
    },
    /// A success body longer than `limit` bytes (`RuntimeBuilder::max_response_bytes`); it was
    /// not read further.
    ResponseTooLarge {
        /// The operation id.
        operation: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
}

/// An error answer of a service.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The operation id (`ShowNotebook`).
    pub operation: &'static str,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The service's error code (`ModelArts.6309`, `IMG.0024`, or Keystone's numeric code).
    pub code: Option<String>,
    /// The service's message, when the body has one.
    pub message: Option<String>,
    /// The request id the service assigned, for support requests.
    pub request_id: Option<String>,
    /// The body as received, for bodies no known shape matches; an HTML page reduced to its
    /// text. Ends with `…` when truncated.
    pub body: String,
    /// Whether `body` is only the start of what the service sent (more than
    /// 64 KiB, which are not read, or more text than is kept).
    pub truncated: bool,
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
            | Error::ResponseTooLarge { .. }
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
            | Error::Decode { operation, .. }
            | Error::ResponseTooLarge { operation, .. } => operation,
        }
    }

    /// Converts a failure the generated code returned; reads the start of an error response's
    /// body. Generated calls pass only failures here, so a success value (often a large struct)
    /// is not moved through this future's state. `started` is when the call began.
    #[doc(hidden)]
    pub async fn from_generated_error(
        error: crate::decode::Generated,
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
                match read_capped(response, ERROR_BODY_CAP).await {
                    Ok((body, cut_off)) => {
                        Error::Api(ApiError::from_capped(operation, status, &headers, &body, cut_off))
                    }
                    Err(source) => transport(source),
                }
            }
            // The runtime's own failure on a success response (`crate::decode`), carried out
            // unchanged but for the time a transport failure reports.
            Generated::ErrorResponse(value) => match value.into_inner() {
                Error::Transport { source, .. } => transport(source),
                other => other,
            },
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
            Generated::InvalidResponsePayload(_, error) => {
                Error::Decode { operation, path: ".".to_owned(), message: error.to_string() }
            }
        }
    }
}

/// At most `cap` bytes of the body, and whether more followed (left unread: dropping the
/// response drops the connection).
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
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
    /// kept as text, an HTML page as its readable text.
    pub fn from_parts(operation: &'static str, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        Self::from_capped(operation, status, headers, body, false)
    }

    /// [`ApiError::from_parts`] for the start of a body whose rest was not read (`cut_off`).
    fn from_capped(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        cut_off: bool,
    ) -> Self {
        let (code, message) = match serde_json::from_slice::<Value>(body) {
            Ok(json) => code_and_message(&json),
            Err(_) => (None, None),
        };
        // A cut may split a character: the incomplete tail is dropped, not shown as U+FFFD.
        let body = match std::str::from_utf8(body) {
            Err(error) if cut_off && error.error_len().is_none() => &body[..error.valid_up_to()],
            _ => body,
        };
        let mut text = String::from_utf8_lossy(body);
        let content_type = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok());
        if code.is_none() && message.is_none() && html_text::is_html(content_type, &text) {
            text = html_text::to_text(&text).into();
        }
        let truncated = cut_off || text.chars().nth(BODY_LIMIT).is_some();
        let mut body = truncate(&text);
        if cut_off && !body.ends_with('…') {
            body.push('…');
        }
        let request_id = request_id(headers).map(str::to_owned);
        ApiError { operation, status, code, message, request_id, body, truncated }
    }

    /// What the text after the status shows: the body without a leading echo of the status
    /// (`502 Bad Gateway …` under `HTTP 502 Bad Gateway`), and whether there was one.
    fn shown_body(&self) -> (&str, bool) {
        let body = self.body.trim();
        let code = self.status.as_str();
        let Some(rest) = body.strip_prefix(code) else { return (body, false) };
        if rest.starts_with(|c: char| c.is_alphanumeric()) {
            return (body, false);
        }
        let mut rest = rest.trim_start();
        if let Some(reason) = self.status.canonical_reason()
            && rest.len() >= reason.len()
            && rest.is_char_boundary(reason.len())
            && rest[..reason.len()].eq_ignore_ascii_case(reason)
        {
            rest = &rest[reason.len()..];
        }
        (rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '.')), true)
    }
}

fn code_and_message(json: &Value) -> (Option<String>, Option<String>) {
    let text = |value: Option<&Value>| match value {
        Some(Value::String(text)) => Some(html_text::one_line_message(text)),
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
            Error::Decode { operation, path, message, .. } => {
                write!(f, "the response of {operation} does not decode: at {path}: {message}")
            }
            Error::ResponseTooLarge { operation, limit } => write!(
                f,
                "the response of {operation} is larger than the limit of {limit} bytes (RuntimeBuilder::max_response_bytes)"
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.as_u16();
        let (body, echoed) = self.shown_body();
        match (&self.code, echoed, self.status.canonical_reason()) {
            (Some(code), _, _) => write!(f, "{code} ({status}) on {}", self.operation)?,
            // The page said the status itself: shown once, with its reason.
            (None, true, Some(reason)) => write!(f, "HTTP {status} {reason} on {}", self.operation)?,
            (None, _, _) => write!(f, "HTTP {status} on {}", self.operation)?,
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None if !body.is_empty() => write!(f, ": {body}")?,
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
            // What a real Glance answers (webob's line breaks in a JSON message).
            (
                r#"{"message": "No image found with ID x<br /><br />\n\n\n", "code": "404 Not Found", "title": "Not Found"}"#,
                "404 Not Found",
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
        let text = format!("Service unavailable {}", "x".repeat(5000));
        let error = api(503, &text);
        assert_eq!((error.code.as_deref(), error.message.as_deref()), (None, None));
        assert!(error.body.starts_with("Service unavailable xxx"));
        assert!(error.body.ends_with('…') && error.truncated);
        assert_eq!(error.body.chars().count(), BODY_LIMIT + 1);
        assert!(error.to_string().starts_with("HTTP 503 on ShowNotebook: Service unavailable xxx"));
        assert!(!api(503, "short").truncated);
    }

    #[test]
    fn an_html_page_is_its_text_and_the_status_shows_once() {
        let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        let error = api(502, page);
        assert_eq!(error.body, "502 Bad Gateway nginx");
        assert_eq!(error.to_string(), "HTTP 502 Bad Gateway on ShowNotebook: nginx [request-id req-1]");
        let bare = api(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert_eq!(bare.to_string(), "HTTP 502 Bad Gateway on ShowNotebook [request-id req-1]");
        let other = api(504, "<html><body><h1>Gateway Time-out</h1><p>The upstream did not answer.</p></body></html>");
        assert_eq!(
            other.to_string(),
            "HTTP 504 on ShowNotebook: Gateway Time-out The upstream did not answer. [request-id req-1]"
        );
        // A number that only starts like the status is not an echo.
        assert_eq!(
            api(500, "5000 jobs queued").to_string(),
            "HTTP 500 on ShowNotebook: 5000 jobs queued [request-id req-1]"
        );
    }

    #[test]
    fn a_body_cut_at_the_cap_is_marked_and_loses_no_character_to_the_cut() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "text/plain".parse().unwrap());
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        // "ü" is two bytes; the cut falls between them.
        let error = ApiError::from_capped("ShowNotebook", status, &headers, "abcü".as_bytes().split_at(4).0, true);
        assert_eq!((error.body.as_str(), error.truncated), ("abc…", true));
    }

    #[test]
    fn displays_decode_and_size_errors_with_path_and_limit() {
        let decode = Error::Decode {
            operation: "ShowNotebook",
            path: ".spec.storage.type".to_owned(),
            message: "invalid type: integer `5`, expected a string".to_owned(),
        };
        assert_eq!(
            decode.to_string(),
            "the response of ShowNotebook does not decode: at .spec.storage.type: invalid type: integer `5`, expected a string"
        );
        let large = Error::ResponseTooLarge { operation: "ListImages", limit: 1024 };
        assert_eq!(
            large.to_string(),
            "the response of ListImages is larger than the limit of 1024 bytes (RuntimeBuilder::max_response_bytes)"
        );
    }
}
