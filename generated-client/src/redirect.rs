//! Which redirects the runtime follows. reqwest follows none (see [`crate::http`]); the runtime
//! follows a redirect only when nothing can leak and nothing changes meaning:
//!
//! - the `Location` has the request's origin (scheme, host and port): a credential never goes
//!   to another one;
//! - at most [`MAX_REDIRECTS`] hops per attempt;
//! - `301`/`302` only for `GET` and `HEAD` (clients traditionally turn other methods into a
//!   `GET`, which would silently change the call); `303` becomes a `GET` without body, as the
//!   status means; `307`/`308` repeat the method and body, which must be replayable;
//! - never for an operation that takes no credentials (IAM token creation): its body is the
//!   password.
//!
//! Each hop is authorized anew (an AK/SK signature covers the path). Anything else ends the call
//! with [`crate::Error::Redirect`], which names the status and the `Location`.

use std::fmt;

use reqwest::{Method, Request, Response, StatusCode, Url};

/// Hops followed within one attempt before the call fails.
pub const MAX_REDIRECTS: u32 = 5;

/// A `Location` longer than this is not worth quoting whole in an error.
const LOCATION_SHOWN: usize = 256;

/// Why a redirect was not followed; attached to the `3xx` response for [`crate::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotFollowed {
    /// The `Location` names another scheme, host or port.
    OtherOrigin,
    /// No `Location`, or one that is not a URL.
    NoLocation,
    /// More than [`MAX_REDIRECTS`] hops.
    TooMany,
    /// `301`/`302` for a method other than `GET`/`HEAD`.
    MethodWouldChange,
    /// The body was streamed and cannot be sent again.
    BodyNotReplayable,
    /// The operation carries credentials in its body (IAM token creation).
    CredentialsInBody,
}

impl fmt::Display for NotFollowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotFollowed::OtherOrigin => "it points to another origin, which must not receive this call's credentials",
            NotFollowed::NoLocation => "it has no usable Location",
            NotFollowed::TooMany => "too many redirects",
            NotFollowed::MethodWouldChange => "following it would change the request method",
            NotFollowed::BodyNotReplayable => "the request body was streamed and cannot be sent again",
            NotFollowed::CredentialsInBody => "the request carries credentials in its body",
        })
    }
}

/// `301`, `302`, `303`, `307` or `308`: the statuses that ask a client to go elsewhere (`300`
/// is an answer, `304` a cache hit).
pub(crate) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The next request for a redirect `response`, made from `spare` (a copy of the request that got
/// it, `None` when its body was streamed), after `hops` redirects already followed; or why not.
pub(crate) fn follow(
    response: &Response,
    spare: Option<Request>,
    hops: u32,
    credentials_in_body: bool,
) -> Result<Request, NotFollowed> {
    let target = location(response).ok_or(NotFollowed::NoLocation)?;
    if !same_origin(response.url(), &target) {
        return Err(NotFollowed::OtherOrigin);
    }
    if credentials_in_body {
        return Err(NotFollowed::CredentialsInBody);
    }
    if hops >= MAX_REDIRECTS {
        return Err(NotFollowed::TooMany);
    }
    let mut next = spare.ok_or(NotFollowed::BodyNotReplayable)?;
    let safe = matches!(*next.method(), Method::GET | Method::HEAD);
    match response.status().as_u16() {
        301 | 302 if !safe => return Err(NotFollowed::MethodWouldChange),
        303 if !safe => {
            *next.method_mut() = Method::GET;
            *next.body_mut() = None;
            let headers = next.headers_mut();
            headers.remove(reqwest::header::CONTENT_TYPE);
            headers.remove(reqwest::header::CONTENT_LENGTH);
        }
        _ => {}
    }
    *next.url_mut() = target;
    Ok(next)
}

/// The `Location` of a response, resolved against its URL.
pub(crate) fn location(response: &Response) -> Option<Url> {
    let value = response.headers().get(reqwest::header::LOCATION)?.to_str().ok()?;
    response.url().join(value).ok()
}

/// The `Location` as the server sent it, shortened for an error message.
pub(crate) fn shown_location(response: &Response) -> Option<String> {
    let value = response.headers().get(reqwest::header::LOCATION)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    Some(match text.char_indices().nth(LOCATION_SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    })
}

fn same_origin(from: &Url, to: &Url) -> bool {
    from.scheme() == to.scheme()
        && from.host() == to.host()
        && from.port_or_known_default() == to.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let url = |text: &str| Url::parse(text).unwrap();
        assert!(same_origin(&url("https://ims.example/v2/a"), &url("https://ims.example:443/v2/b?x=1")));
        assert!(!same_origin(&url("https://ims.example/"), &url("http://ims.example/")));
        assert!(!same_origin(&url("https://ims.example/"), &url("https://ims.example:8443/")));
        assert!(!same_origin(&url("https://ims.example/"), &url("https://evil.example/")));
        assert!(!same_origin(&url("https://ims.example/"), &url("https://ims.example.evil/")));
    }

    #[test]
    fn only_the_five_redirect_statuses_are_redirects() {
        let redirects: Vec<u16> = (300..400).filter(|&code| is_redirect(StatusCode::from_u16(code).unwrap())).collect();
        assert_eq!(redirects, [301, 302, 303, 307, 308]);
    }
}
