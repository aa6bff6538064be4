//! How a success body becomes a value: read chunk by chunk up to the runtime's limit (a 500 MB
//! answer is refused, not buffered), decoded so a failure names the JSON path of the field.
//! Generated code calls [`json`] and [`optional_json`] (through `crate::__private`) instead of
//! progenitor's `ResponseValue::from_response`, which buffers any size and reports only line
//! and column. Streamed downloads (`ByteStream`) do not come here and stay unbounded.

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::Response;
use reqwest::header::CONTENT_LENGTH;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::Runtime;

/// How many bytes of a JSON success body are buffered before the call fails.
///
/// The default, 32 MiB, is far above any documented answer (a full page of 1 000 IMS images is
/// about 2 MiB) and bounds what a broken or hostile server can make a caller hold: the body
/// plus its decoded value stay within a few times this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MaxResponseBytes(pub(crate) usize);

impl Default for MaxResponseBytes {
    fn default() -> Self {
        MaxResponseBytes(32 * 1024 * 1024)
    }
}

/// A failure as progenitor's error type carries it out of the generated `send()`: the one
/// variant with a typed payload, `ErrorResponse`, holds the runtime's error (the generated
/// modules decode no error bodies of their own, see the `error_responses_to_runtime` pass), and
/// `Error::from_generated_error` takes it out again unchanged.
pub type Generated = progenitor_client::Error<Error>;

/// Decodes a body documented for this status into `T`.
pub async fn json<T: DeserializeOwned>(
    response: Response,
    runtime: &Runtime,
    info: &OperationInfo,
) -> Result<ResponseValue<T>, Generated> {
    let (status, headers) = (response.status(), response.headers().clone());
    let decoded = match read(response, runtime.max_response_bytes(), info.operation_id).await {
        Ok(body) => decode(&body, info.operation_id),
        Err(error) => Err(error),
    };
    match decoded {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(error) => Err(Generated::ErrorResponse(ResponseValue::new(error, status, headers))),
    }
}

/// For an operation documenting some success statuses with a body and others (`bodiless`)
/// without: `None` for an empty body on a bodiless status, otherwise the decoded body. An empty
/// body on a status documented with one stays a decode error.
pub async fn optional_json<T: DeserializeOwned>(
    response: Response,
    runtime: &Runtime,
    info: &OperationInfo,
    bodiless: &[u16],
) -> Result<ResponseValue<Option<T>>, Generated> {
    let (status, headers) = (response.status(), response.headers().clone());
    let may_be_empty = bodiless.contains(&status.as_u16());
    let decoded = match read(response, runtime.max_response_bytes(), info.operation_id).await {
        Ok(body) if may_be_empty && body.trim_ascii().is_empty() => Ok(None),
        Ok(body) => decode(&body, info.operation_id).map(Some),
        Err(error) => Err(error),
    };
    match decoded {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(error) => Err(Generated::ErrorResponse(ResponseValue::new(error, status, headers))),
    }
}

/// The whole body, or `ResponseTooLarge` as soon as it is known to exceed `limit`: from the
/// `Content-Length` before reading anything, or while reading (the header may lie or be
/// absent). What is left unread is dropped with the connection.
pub(crate) async fn read(
    mut response: Response,
    limit: MaxResponseBytes,
    operation: &'static str,
) -> Result<Vec<u8>, Error> {
    let MaxResponseBytes(limit) = limit;
    let too_large = || Error::ResponseTooLarge { operation, limit };
    let announced = declared_length(&response);
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    // The announced length sizes the buffer only up to a modest start: a lying header must not
    // make the caller allocate the whole limit for ten bytes.
    let start = announced.map_or(0, |length| length.min(1 << 20) as usize);
    let mut body = Vec::with_capacity(start);
    while let Some(chunk) = response.chunk().await.map_err(|source| Error::Transport {
        operation,
        source,
        elapsed: std::time::Duration::ZERO,
    })? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn declared_length(response: &Response) -> Option<u64> {
    response.headers().get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// serde_json with its recursion limit (128 levels) kept, so deep nesting is an error, not a
/// stack overflow; a failure names the path of the field (`.spec.storage.type`).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], operation: &'static str) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let failed = |path: String, error: serde_json::Error| Error::Decode { operation, path, message: error.to_string() };
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = json_path(error.path());
        failed(path, error.into_inner())
    })?;
    // Trailing characters after the value are as wrong as a bad field.
    deserializer.end().map_err(|error| failed(".".to_owned(), error))?;
    Ok(value)
}

/// jq-style: `.` for the whole body, `.data[0].name` for a field.
fn json_path(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." { text } else { format!(".{text}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Notebook {
        spec: Spec,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Spec {
        storage: Storage,
        tags: Vec<String>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Storage {
        r#type: String,
    }

    fn failure(body: &str) -> (String, String) {
        match decode::<Notebook>(body.as_bytes(), "ShowNotebook") {
            Err(Error::Decode { path, message, .. }) => (path, message),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn a_decode_error_names_the_path_of_the_field() {
        let (path, message) = failure(r#"{"spec":{"storage":{"type":5},"tags":[]}}"#);
        assert_eq!(path, ".spec.storage.type");
        assert!(message.starts_with("invalid type: integer `5`, expected a string"), "{message}");
        let (path, _) = failure(r#"{"spec":{"storage":{"type":"OBS"},"tags":["a",1]}}"#);
        assert_eq!(path, ".spec.tags[1]");
    }

    #[test]
    fn the_whole_body_is_the_root_path() {
        assert_eq!(failure("[]").0, ".");
        assert_eq!(failure("").0, ".");
        let (path, message) = failure(r#"{"spec":{"storage":{"type":"OBS"},"tags":[]}} trailing"#);
        assert_eq!(path, ".");
        assert!(message.starts_with("trailing characters"), "{message}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let body = "[".repeat(100_000);
        match decode::<serde_json::Value>(body.as_bytes(), "X") {
            Err(Error::Decode { message, .. }) => assert!(message.starts_with("recursion limit exceeded"), "{message}"),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn the_default_limit_is_32_mib() {
        assert_eq!(MaxResponseBytes::default(), MaxResponseBytes(33_554_432));
    }
}
