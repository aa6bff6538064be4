//! The small typed helpers the generated dispatch calls.

use otc_client::{Error, ResponseValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a successful call produced.
pub enum Output {
    /// A JSON body.
    Json(Value),
    /// A raw (`application/octet-stream`) body, not read yet: streamed where it goes.
    Download(ResponseValue<otc_client::ByteStream>),
    /// No body.
    Empty,
}

#[derive(Debug)]
pub enum CallError {
    /// Not in the table (cannot happen for commands built from it).
    UnknownOperation(String),
    /// A flag's value does not decode into the parameter's type.
    Parameter { name: String, error: serde_json::Error },
    /// The body does not decode into the request type: where, never the value (a body file can
    /// hold a password).
    Body(BodyError),
    /// The response could not be encoded as JSON again.
    Encode(serde_json::Error),
    /// What the client reported.
    Client(Error),
    /// A raw response body could not be read.
    Stream(String),
    /// A streamed body given to an operation whose body is JSON (cannot happen for commands
    /// built from the table).
    StreamedJson,
    /// `--all` stopped after this many items ([`MAX_ALL_ITEMS`]).
    TooManyItems(u64),
    /// Writing the output failed (a closed pipe is not reported: the reader has what it wanted).
    Write(std::io::Error),
}

/// `--all` stops with an error after this many items, whatever the server keeps naming.
pub const MAX_ALL_ITEMS: u64 = 10_000_000;

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::UnknownOperation(operation) => write!(f, "no operation `{operation}`"),
            CallError::Parameter { name, error } => write!(f, "invalid value for `{name}`: {error}"),
            CallError::Body(error) => write!(f, "the body does not match the request type: {error}"),
            CallError::Encode(error) => write!(f, "the response does not encode as JSON: {error}"),
            CallError::Client(error) => write!(f, "{error}"),
            CallError::Stream(error) => write!(f, "reading the response failed: {error}"),
            CallError::StreamedJson => write!(f, "a JSON body must be read whole, not streamed"),
            CallError::TooManyItems(count) => write!(f, "stopped after {count} items (the most --all prints)"),
            CallError::Write(error) => write!(f, "writing the output: {error}"),
        }
    }
}

/// A parameter given as JSON (`"abc"`, `true`, `3`) in its generated Rust type.
pub fn param_from<T: DeserializeOwned>(name: &str, value: &Value) -> Result<T, CallError> {
    serde_json::from_value(value.clone()).map_err(|error| CallError::Parameter { name: name.to_owned(), error })
}

/// Why a body did not decode, without quoting it: serde's message for a value of the wrong type
/// or shape names the value (`invalid type: string "…"`), so only its JSON path and position are
/// kept; a syntax error's message quotes nothing and is kept.
#[derive(Debug)]
pub struct BodyError {
    /// The JSON path of the field that did not fit (`auth.identity.password`), `.` for the whole body.
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// serde_json's message for syntax errors only.
    pub syntax: Option<String>,
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.syntax {
            Some(message) => write!(f, "{message}"),
            None => write!(
                f,
                "the field `{}` has the wrong type or shape (line {}, column {})",
                self.path, self.line, self.column
            ),
        }
    }
}

/// A request body as `--body` gave it.
pub enum RequestBody {
    /// Read whole: JSON, decoded into the request type before anything is sent.
    Bytes(Vec<u8>),
    /// A raw body (an image file) streamed as it is sent, never whole in memory.
    Stream(otc_client::Body),
}

/// A JSON request body in its generated Rust type.
pub fn body_json<T: DeserializeOwned>(body: &RequestBody) -> Result<T, CallError> {
    let RequestBody::Bytes(bytes) = body else { return Err(CallError::StreamedJson) };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.inner();
        let syntax = matches!(inner.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof)
            .then(|| inner.to_string());
        CallError::Body(BodyError { path, line: inner.line(), column: inner.column(), syntax })
    })
}

/// A raw request body, as given.
pub fn body_raw(body: RequestBody) -> otc_client::Body {
    match body {
        RequestBody::Bytes(bytes) => bytes.into(),
        RequestBody::Stream(body) => body,
    }
}

/// Turns what the generated `send()` returned into an [`Output`].
pub async fn finish<T: Serialize>(result: Result<ResponseValue<T>, Error>) -> Result<Output, CallError> {
    let body = serde_json::to_value(result.map_err(CallError::Client)?.into_inner()).map_err(CallError::Encode)?;
    Ok(if body.is_null() { Output::Empty } else { Output::Json(body) })
}

/// [`finish`] for an optional body.
pub async fn finish_optional<T: Serialize>(
    result: Result<ResponseValue<Option<T>>, Error>,
) -> Result<Output, CallError> {
    match result.map_err(CallError::Client)?.into_inner() {
        Some(body) => Ok(Output::Json(serde_json::to_value(body).map_err(CallError::Encode)?)),
        None => Ok(Output::Empty),
    }
}

/// [`finish`] for a raw response: the response itself, its body read where it is written.
pub async fn finish_stream(result: Result<ResponseValue<otc_client::ByteStream>, Error>) -> Result<Output, CallError> {
    Ok(Output::Download(result.map_err(CallError::Client)?))
}

/// Hands every item of a paged list to `on_item` as JSON, as the pages arrive; at most
/// [`MAX_ALL_ITEMS`]. The stream itself ends on the last page, on an error, or when the server
/// repeats a page (`otc_client::Error::Stalled`).
pub async fn each_item<T: Serialize>(
    items: impl futures_util::Stream<Item = Result<T, Error>>,
    on_item: &mut dyn FnMut(Value) -> Result<(), CallError>,
) -> Result<(), CallError> {
    each_item_up_to(items, MAX_ALL_ITEMS, on_item).await
}

async fn each_item_up_to<T: Serialize>(
    items: impl futures_util::Stream<Item = Result<T, Error>>,
    max: u64,
    on_item: &mut dyn FnMut(Value) -> Result<(), CallError>,
) -> Result<(), CallError> {
    use futures_util::TryStreamExt;
    let mut items = std::pin::pin!(items);
    let mut count = 0u64;
    while let Some(item) = items.try_next().await.map_err(CallError::Client)? {
        count += 1;
        if count > max {
            return Err(CallError::TooManyItems(max));
        }
        on_item(serde_json::to_value(item).map_err(CallError::Encode)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_list_stops_at_the_bound() {
        let endless = futures_util::stream::repeat_with(|| Ok::<u32, Error>(7));
        let mut seen = 0u64;
        let mut on_item = |item: Value| {
            assert_eq!(item, 7);
            seen += 1;
            Ok(())
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let result = runtime.block_on(each_item_up_to(endless, 5, &mut on_item));
        assert!(matches!(result, Err(CallError::TooManyItems(5))), "{result:?}");
        assert_eq!(seen, 5);
    }
}
