//! The JSON body of an example `<pre>`. Request examples often start with the request line
//! (`POST https://{Endpoint}/v2/images`) and some responses with a sentence about headers; the
//! body is what follows.

use serde_json::Value;

/// `None` when the block holds no body (a bare request line, `STATUS CODE 200`); `Some(Err)`
/// when it looks like a body but is no valid JSON.
pub fn json(text: &str) -> Option<Result<Value, String>> {
    let text = text.trim();
    let body = match text.split_once('\n') {
        Some((first, rest)) if super::html::uri_line(&request_line(first)).is_some() => rest.trim(),
        None if super::html::uri_line(&request_line(text)).is_some() => return None,
        _ => text,
    };
    let start = if body.starts_with(['{', '[']) {
        0
    } else {
        body.lines()
            .scan(0, |offset, line| {
                let at = *offset;
                *offset += line.len() + 1;
                Some((at, line))
            })
            .find(|(_, line)| line.trim_start().starts_with(['{', '[']))
            .map(|(at, line)| at + line.len() - line.trim_start().len())
            .or_else(|| body.find(['{', '[']))?
    };
    let mut values = serde_json::Deserializer::from_str(&body[start..]).into_iter::<Value>();
    Some(values.next()?.map_err(|error| error.to_string()))
}

/// `POST https://{Endpoint}/v2/images` → `POST /v2/images`, so the URI-line check applies.
fn request_line(line: &str) -> String {
    let line = line.trim();
    let Some((method, target)) = line.split_once(' ') else { return line.to_owned() };
    let target = target.trim();
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => target,
    };
    format!("{method} {path}")
}
