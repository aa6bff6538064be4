//! The small typed helpers the generated dispatch table calls.

use otc_client::{ApiError, Error, ResponseValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What came back from the server, as the client surfaced it.
#[derive(Debug)]
pub enum Outcome {
    /// A success status, its body decoded into the generated type and encoded again.
    Success { status: u16, body: Value },
    /// A success of an operation documenting statuses with and without a body
    /// (`ResponseValue<Option<T>>`): the body, if one came, decoded and encoded again.
    OptionalSuccess { status: u16, body: Option<Value> },
    /// A non-success status, as the client's error surfaces it.
    Failure(ApiError),
}

#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("no operation `{0}` in the dispatch table")]
    UnknownOperation(String),
    #[error("no component schema `{0}` in the dispatch table")]
    UnknownSchema(String),
    #[error("parameter `{name}` does not decode into its generated type: {error}")]
    Parameter { name: String, error: serde_json::Error },
    #[error("the body does not decode into its generated type: {0}")]
    Body(serde_json::Error),
    #[error("the decoded value does not encode again: {0}")]
    Encode(serde_json::Error),
    #[error("the client failed: {0}")]
    Client(otc_client::Error),
    #[error("the response body could not be read: {0}")]
    Stream(reqwest::Error),
}

/// A parameter given as JSON (`"abc"`, `true`, `3`) in its generated Rust type.
pub fn param_from<T: DeserializeOwned>(name: &str, value: &Value) -> Result<T, DispatchError> {
    serde_json::from_value(value.clone()).map_err(|error| DispatchError::Parameter { name: name.to_owned(), error })
}

/// A request body in its generated Rust type.
pub fn body_from<T: DeserializeOwned>(value: &Value) -> Result<T, DispatchError> {
    serde_json::from_value(value.clone()).map_err(DispatchError::Body)
}

/// The bytes of a raw (`application/octet-stream`) body, given as a JSON string.
pub fn body_bytes(value: &Value) -> Result<Vec<u8>, DispatchError> {
    serde_json::from_value::<String>(value.clone()).map(String::into_bytes).map_err(DispatchError::Body)
}

/// Decodes into `T` and encodes again.
pub fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, DispatchError> {
    let typed: T = serde_json::from_value(value.clone()).map_err(DispatchError::Body)?;
    serde_json::to_value(&typed).map_err(DispatchError::Encode)
}

/// Turns what the generated `send()` returned into an [`Outcome`].
pub async fn finish<T: Serialize>(result: Result<ResponseValue<T>, Error>) -> Result<Outcome, DispatchError> {
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = serde_json::to_value(response.into_inner()).map_err(DispatchError::Encode)?;
            Ok(Outcome::Success { status, body })
        }
        Err(Error::Api(error)) => Ok(Outcome::Failure(error)),
        Err(other) => Err(DispatchError::Client(other)),
    }
}

/// [`finish`] for an optional body: `None` stays distinguishable from a body.
pub async fn finish_optional<T: Serialize>(
    result: Result<ResponseValue<Option<T>>, Error>,
) -> Result<Outcome, DispatchError> {
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response.into_inner().map(|body| serde_json::to_value(body).map_err(DispatchError::Encode));
            Ok(Outcome::OptionalSuccess { status, body: body.transpose()? })
        }
        Err(Error::Api(error)) => Ok(Outcome::Failure(error)),
        Err(other) => Err(DispatchError::Client(other)),
    }
}

/// [`finish`] for a raw response: the body's bytes, read to the end, as a (lossy UTF-8) string.
pub async fn finish_stream(
    result: Result<ResponseValue<otc_client::ByteStream>, Error>,
) -> Result<Outcome, DispatchError> {
    use futures_util::TryStreamExt;
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let chunks: Vec<_> =
                response.into_inner().into_inner().try_collect().await.map_err(DispatchError::Stream)?;
            let bytes: Vec<u8> = chunks.concat();
            Ok(Outcome::Success { status, body: Value::String(String::from_utf8_lossy(&bytes).into_owned()) })
        }
        Err(Error::Api(error)) => Ok(Outcome::Failure(error)),
        Err(other) => Err(DispatchError::Client(other)),
    }
}

/// JSON equality where a `null` member equals an absent one (the only normalization the golden
/// comparison allows): removes `null` object members, recursively.
pub fn without_null_members(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_null_members(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_null_members).collect()),
        other => other.clone(),
    }
}
