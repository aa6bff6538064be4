//! AK/SK request signing, `SDK-HMAC-SHA256`: the `Access=` form that the OTC API Gateway and the
//! Huawei Cloud SDKs use. Services accept it instead of a Keystone token, so a client with an
//! access key pair needs no token round trip.
//!
//! The signature covers the method, the path, the query, the signed headers and a hash of the
//! body bytes, and is keyed with the secret key:
//!
//! ```text
//! canonical request = METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n hex(sha256(body))
//! string to sign    = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(canonical request))
//! signature         = hex(hmac-sha256(secret key, string to sign))
//! Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b>, Signature=<hex>
//! ```
//!
//! [`Signer::sign`] does all of it on a `reqwest::Request`. Each step is also a pure public
//! function ([`sdk_date`], [`canonical_uri`], [`canonical_query`], [`signed_headers`],
//! [`canonical_headers`], [`canonical_request`], [`string_to_sign`], [`signature`]) so each rule
//! can be tested on its own, and so a test server can verify what it received.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, percent_encode};
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HOST, HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// The algorithm name, first in the string to sign and in the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

const SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
const PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");

/// What stays unencoded in canonical path segments and query parts: the RFC 3986 unreserved
/// characters. Everything else is `%XX` with uppercase hex (what `percent_encode` writes).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// An access key pair, optionally temporary (with a security token). The secret parts are
/// [`Secret`]s, so `{:?}` shows the access key (an identifier, sent in clear anyway) but never
/// the secret key or the token.
#[derive(Clone, Debug)]
pub struct AccessKey {
    access_key: String,
    secret_key: Secret,
    security_token: Option<Secret>,
}

impl AccessKey {
    /// Permanent credentials: an access key (AK) and its secret key (SK).
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        AccessKey { access_key: access_key.into(), secret_key: secret_key.into(), security_token: None }
    }

    /// Temporary credentials (from IAM's securitytokens API): requests must also carry the
    /// security token in `X-Security-Token`, and it is signed so it cannot be swapped.
    pub fn temporary(
        access_key: impl Into<String>,
        secret_key: impl Into<Secret>,
        security_token: impl Into<Secret>,
    ) -> Self {
        AccessKey {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: Some(security_token.into()),
        }
    }

    /// The access key (AK), as sent in `Authorization`.
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// Whether these are temporary credentials (a security token is sent with each request).
    pub fn is_temporary(&self) -> bool {
        self.security_token.is_some()
    }
}

/// Signs requests with one key pair. `project_id`, when set, is sent as `X-Project-Id`, which
/// AK/SK-authenticated calls need to name the project a token would otherwise carry.
#[derive(Clone, Debug)]
pub struct Signer {
    credentials: AccessKey,
    project_id: Option<String>,
    /// HMAC state already keyed with the secret key: each signature clones it instead of
    /// deriving the key pads again.
    keyed: KeyedMac,
}

/// A keyed HMAC whose `Debug` shows nothing of the key.
#[derive(Clone)]
struct KeyedMac(Hmac<Sha256>);

impl fmt::Debug for KeyedMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyedMac(***)")
    }
}

impl Signer {
    /// A signer for `credentials`; `project_id` is the project AK/SK calls act in (`None` for
    /// global services such as IAM, which take no project header).
    pub fn new(credentials: AccessKey, project_id: Option<String>) -> Self {
        let keyed = KeyedMac(
            <Hmac<Sha256> as Mac>::new_from_slice(credentials.secret_key.expose().as_bytes())
                .expect("HMAC takes keys of any length"),
        );
        Signer { credentials, project_id, keyed }
    }

    /// The key pair requests are signed with (its `Debug` hides the secrets).
    pub fn credentials(&self) -> &AccessKey {
        &self.credentials
    }

    /// The project sent as `X-Project-Id`, if any.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// Signs `request` in place for the instant `now` (a parameter, so callers and tests control
    /// the clock). Adds `Host` if missing (reqwest adds it only while sending, too late to be
    /// signed), `X-Sdk-Date`, `X-Project-Id` and `X-Security-Token` when configured, and
    /// `Authorization`. An `Authorization` already present (an earlier attempt's) is replaced and
    /// not signed, so a retried request can be signed again.
    ///
    /// On error the request is left unchanged. A streaming body is an error: its bytes are not
    /// known before sending, and the signature covers their hash.
    pub fn sign(&self, request: &mut reqwest::Request, now: SystemTime) -> Result<(), SignError> {
        let body: &[u8] = match request.body() {
            None => &[],
            Some(body) => body.as_bytes().ok_or(SignError::StreamingBody)?,
        };
        let body_hash = sha256_hex(body);

        // Every fallible step happens before the request is touched, so a failure leaves it as
        // it was; the headers this adds replace any of the same name.
        let date = sdk_date(now);
        let mut added: Vec<(HeaderName, HeaderValue)> = Vec::with_capacity(4);
        if !request.headers().contains_key(HOST) {
            added.push((HOST, header_value("host", &host(request.url())?)?));
        }
        added.push((SDK_DATE, header_value("x-sdk-date", &date)?));
        if let Some(project_id) = &self.project_id {
            added.push((PROJECT_ID, header_value("x-project-id", project_id)?));
        }
        if let Some(token) = &self.credentials.security_token {
            let mut value = header_value("x-security-token", token.expose())?;
            value.set_sensitive(true);
            added.push((SECURITY_TOKEN, value));
        }
        let kept = request
            .headers()
            .iter()
            .filter(|(name, _)| **name != AUTHORIZATION && !added.iter().any(|(added, _)| added == *name));
        let lines = header_lines(kept.chain(added.iter().map(|(name, value)| (name, value))))?;
        let canonical = canonical_from_lines(request.method().as_str(), request.url(), &lines, &body_hash);
        // HMAC over the string to sign, fed piece by piece (same bytes as `string_to_sign`).
        let mut mac = self.keyed.0.clone();
        let mut canonical_hash = [0u8; 64];
        mac.update(ALGORITHM.as_bytes());
        mac.update(b"\n");
        mac.update(date.as_bytes());
        mac.update(b"\n");
        mac.update(hex_into(&Sha256::digest(canonical.text.as_bytes()), &mut canonical_hash));
        let mut signature_hex = [0u8; 64];
        let signature =
            std::str::from_utf8(hex_into(&mac.finalize().into_bytes(), &mut signature_hex)).expect("hex is ASCII");
        let authorization = format!(
            "{ALGORITHM} Access={}, SignedHeaders={}, Signature={signature}",
            self.credentials.access_key, canonical.signed_headers
        );
        let mut authorization = header_value("authorization", &authorization)?;
        authorization.set_sensitive(true);

        let headers = request.headers_mut();
        for (name, value) in added {
            headers.insert(name, value);
        }
        headers.insert(AUTHORIZATION, authorization);
        Ok(())
    }
}

/// Why a request could not be signed. Names headers, never their values, so it cannot carry a
/// secret into a log.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The body is a stream: its bytes, which the signature hashes, are unknown before sending.
    StreamingBody,
    /// The URL has no host to put in the signed `Host` header.
    NoHost,
    /// A header to be signed has a value that is not UTF-8, so it has no canonical text form.
    NonUtf8Header(String),
    /// A value the signer would send (access key, project id, token) is not a valid header
    /// value, e.g. it contains a line break. Names the header only.
    InvalidHeaderValue(&'static str),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::StreamingBody => f.write_str("cannot sign a streaming request body; its bytes must be known"),
            SignError::NoHost => f.write_str("cannot sign a request whose URL has no host"),
            SignError::NonUtf8Header(name) => write!(f, "cannot sign header `{name}`: its value is not UTF-8"),
            SignError::InvalidHeaderValue(name) => {
                write!(f, "the value for header `{name}` is not a valid header value")
            }
        }
    }
}

impl std::error::Error for SignError {}

/// The parts of a canonical request the signer needs: the text that is hashed, and the signed
/// header names (`a;b`) that go into `Authorization`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalRequest {
    /// The canonical request text, whose hash is signed.
    pub text: String,
    /// The signed header names, lowercase, `;`-separated.
    pub signed_headers: String,
}

/// The `X-Sdk-Date` value: UTC as `YYYYMMDD'T'HHMMSS'Z'`, seconds truncated. The gateway compares
/// it with its own clock (within 15 minutes), so it must be UTC whatever the local zone is.
pub fn sdk_date(time: SystemTime) -> String {
    let seconds: i64 = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        // Before 1970: round down to the whole second, as after it.
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            -whole - i64::from(before.subsec_nanos() > 0)
        }
    };
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// The proleptic Gregorian date of a day count since 1970-01-01, by Howard Hinnant's
/// `civil_from_days` (<https://howardhinnant.github.io/date_algorithms.html>): exact for every
/// day, leap years included, without a date crate.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // days since 0000-03-01, the start of a 400-year era
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365], from March 1
    let month_from_march = (5 * day_of_year + 2) / 153; // [0, 11]
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32; // [1, 31]
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The canonical URI of an (already percent-encoded) URL path: each segment decoded, then
/// encoded with only the unreserved characters kept, always ending in `/`. Decoding first makes
/// the result independent of how the client escaped the path, while a `%2F` inside a segment
/// stays `%2F` (it is not a separator).
pub fn canonical_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len() + 1);
    write_canonical_uri(&mut uri, path);
    uri
}

fn write_canonical_uri(out: &mut String, path: &str) {
    for (index, segment) in path.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        if segment.bytes().all(is_unreserved) {
            out.push_str(segment);
        } else {
            let decoded: Vec<u8> = percent_decode(segment.as_bytes()).collect();
            out.extend(percent_encode(&decoded, UNRESERVED));
        }
    }
    if !out.ends_with('/') {
        out.push('/');
    }
}

/// A–Z a–z 0–9 `-_.~`: what stays as it is in canonical URIs and queries.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// The canonical query of a raw query string (without `?`): pairs decoded as a server decodes
/// them (`+` is a space, which is what reqwest's `query()` writes for one), keys sorted, each
/// key's values sorted, all re-encoded like path segments, joined as `k=v` with `&`. A key
/// without `=` has the empty value. Empty when there is no query.
pub fn canonical_query(query: &str) -> String {
    // Most queries need no decoding: sort the raw pairs (the same order the decoded ones have).
    if query.bytes().all(|byte| is_unreserved(byte) || byte == b'=' || byte == b'&') {
        let mut pairs: Vec<(&str, &str)> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .collect();
        pairs.sort_unstable();
        let mut canonical = String::with_capacity(query.len() + pairs.len());
        for (index, (key, value)) in pairs.into_iter().enumerate() {
            if index > 0 {
                canonical.push('&');
            }
            canonical.push_str(key);
            canonical.push('=');
            canonical.push_str(value);
        }
        return canonical;
    }
    let mut pairs: BTreeMap<Vec<u8>, Vec<Vec<u8>>> = BTreeMap::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.entry(form_decode(key)).or_default().push(form_decode(value));
    }
    let mut canonical = Vec::new();
    for (key, mut values) in pairs {
        values.sort();
        let key = percent_encode(&key, UNRESERVED).to_string();
        for value in values {
            canonical.push(format!("{key}={}", percent_encode(&value, UNRESERVED)));
        }
    }
    canonical.join("&")
}

fn form_decode(part: &str) -> Vec<u8> {
    percent_decode(part.replace('+', " ").as_bytes()).collect()
}

/// The header names that are signed: every header, lower-cased and sorted, except
/// `content-type*` (clients and proxies rewrite it, e.g. adding a charset) and names with `_`
/// (gateways such as nginx drop them by default, so the server could never verify them).
pub fn signed_headers(headers: &HeaderMap) -> Vec<String> {
    let mut names: Vec<String> =
        headers.keys().map(HeaderName::as_str).filter(|name| is_signed(name)).map(str::to_owned).collect();
    names.sort();
    names.dedup();
    names
}

/// `http` keeps header names lower case already, so no case folding is needed.
fn is_signed(name: &str) -> bool {
    !name.starts_with("content-type") && !name.contains('_')
}

/// The signed headers as `(name, value)` lines, sorted by name and then value (values not yet
/// trimmed, as the canonical form sorts them).
fn header_lines<'a>(
    headers: impl Iterator<Item = (&'a HeaderName, &'a HeaderValue)>,
) -> Result<Vec<(&'a str, &'a str)>, SignError> {
    let mut lines = Vec::with_capacity(8);
    for (name, value) in headers {
        let name = name.as_str();
        if is_signed(name) {
            let value = std::str::from_utf8(value.as_bytes()).map_err(|_| SignError::NonUtf8Header(name.to_owned()))?;
            lines.push((name, value));
        }
    }
    lines.sort_unstable();
    Ok(lines)
}

/// The canonical headers block: `name:value\n` for each value of each of `signed` (lower-case
/// names, in the given order), values trimmed; a header sent more than once gives one line per
/// value, values sorted. Values must be UTF-8.
pub fn canonical_headers(headers: &HeaderMap, signed: &[String]) -> Result<String, SignError> {
    let mut block = String::new();
    for name in signed {
        let mut values = headers
            .get_all(name.as_str())
            .iter()
            .map(|value| std::str::from_utf8(value.as_bytes()).map_err(|_| SignError::NonUtf8Header(name.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        values.sort_unstable();
        for value in values {
            block.push_str(name);
            block.push(':');
            block.push_str(value.trim());
            block.push('\n');
        }
    }
    Ok(block)
}

/// The canonical request for `method` on `url` with `headers` and the exact `body` bytes sent;
/// the headers signed are [`signed_headers`] of `headers`. Pure, so tests and servers can
/// recompute what a client signed.
pub fn canonical_request(
    method: &str,
    url: &Url,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<CanonicalRequest, SignError> {
    Ok(canonical_from_lines(method, url, &header_lines(headers.iter())?, &sha256_hex(body)))
}

/// The canonical request from sorted header lines, written into one buffer.
fn canonical_from_lines(method: &str, url: &Url, lines: &[(&str, &str)], body_hash: &str) -> CanonicalRequest {
    let mut signed_headers = String::with_capacity(lines.len() * 16);
    let mut previous = None;
    for (name, _) in lines {
        if previous != Some(*name) {
            if previous.is_some() {
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
            previous = Some(*name);
        }
    }
    let mut text = String::with_capacity(256 + url.path().len() + url.query().map_or(0, str::len));
    text.push_str(method);
    text.push('\n');
    write_canonical_uri(&mut text, url.path());
    text.push('\n');
    if let Some(query) = url.query() {
        text.push_str(&canonical_query(query));
    }
    text.push('\n');
    for (name, value) in lines {
        text.push_str(name);
        text.push(':');
        text.push_str(value.trim());
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&signed_headers);
    text.push('\n');
    text.push_str(body_hash);
    CanonicalRequest { text, signed_headers }
}

/// The string to sign: the algorithm, the `X-Sdk-Date` value, and the canonical request's hash.
pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{sdk_date}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// The signature: lowercase hex of HMAC-SHA256 keyed with the secret key.
pub fn signature(secret_key: &Secret, string_to_sign: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret_key.expose().as_bytes()).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The `Host` value reqwest would send: host, plus `:port` when it is not the scheme's default
/// (`Url::port` is `None` then). IPv6 hosts keep their brackets.
fn host(url: &Url) -> Result<String, SignError> {
    let host = url.host_str().ok_or(SignError::NoHost)?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

fn header_value(name: &'static str, value: &str) -> Result<HeaderValue, SignError> {
    HeaderValue::from_str(value).map_err(|_| SignError::InvalidHeaderValue(name))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a 32-byte digest into `out`, without allocating.
fn hex_into<'a>(bytes: &[u8], out: &'a mut [u8; 64]) -> &'a [u8] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (index, &byte) in bytes.iter().take(32).enumerate() {
        out[2 * index] = DIGITS[usize::from(byte >> 4)];
        out[2 * index + 1] = DIGITS[usize::from(byte & 0x0f)];
    }
    &out[..2 * bytes.len().min(32)]
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn sdk_date_formats_known_instants_in_utc() {
        for (seconds, expected) in [
            (0, "19700101T000000Z"),
            (1_551_953_699, "20190307T101459Z"),
            (946_684_799, "19991231T235959Z"),
            (951_782_400, "20000229T000000Z"), // 2000 is a leap year (divisible by 400)
            (1_709_251_199, "20240229T235959Z"), // ordinary leap year
            (1_677_628_800, "20230301T000000Z"), // no Feb 29 in 2023
            (4_107_499_200, "21000228T120000Z"), // 2100 is not a leap year ...
            (4_107_542_400, "21000301T000000Z"), // ... so March 1 follows Feb 28
            (253_402_300_799, "99991231T235959Z"),
        ] {
            assert_eq!(sdk_date(at(seconds)), expected, "{seconds}");
        }
    }

    #[test]
    fn sdk_date_truncates_fractions_and_handles_times_before_1970() {
        assert_eq!(sdk_date(at(1_551_953_699) + Duration::from_millis(999)), "20190307T101459Z");
        assert_eq!(sdk_date(UNIX_EPOCH - Duration::from_secs(1)), "19691231T235959Z");
        assert_eq!(sdk_date(UNIX_EPOCH - Duration::from_millis(1)), "19691231T235959Z");
    }

    /// Every day of a full 400-year cycle (and a bit) against a naive day-by-day calendar.
    #[test]
    fn civil_from_days_matches_a_naive_calendar() {
        let is_leap = |year: i64| (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_length = |year: i64, month: u32| match month {
            2 if is_leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let (mut year, mut month, mut day) = (1970, 1, 1);
        for days in 0..(146_097 + 1000) {
            assert_eq!(civil_from_days(days), (year, month, day), "day {days}");
            day += 1;
            if day > month_length(year, month) {
                day = 1;
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
        }
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn host_includes_only_non_default_ports() {
        let host_of = |url: &str| host(&Url::parse(url).unwrap()).unwrap();
        assert_eq!(host_of("https://ims.eu-de.otc.t-systems.com/v2"), "ims.eu-de.otc.t-systems.com");
        assert_eq!(host_of("https://example.com:443/"), "example.com");
        assert_eq!(host_of("http://example.com:80/"), "example.com");
        assert_eq!(host_of("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_eq!(host_of("http://[::1]:8080/"), "[::1]:8080");
    }

    #[test]
    fn errors_name_headers_but_never_values() {
        let signer = Signer::new(AccessKey::new("AK", "sk-value"), Some("bad\nproject".into()));
        let mut request = reqwest::Request::new(reqwest::Method::GET, Url::parse("https://example.com/").unwrap());
        let error = signer.sign(&mut request, at(0)).unwrap_err();
        assert_eq!(error, SignError::InvalidHeaderValue("x-project-id"));
        assert!(!error.to_string().contains("bad"), "{error}");
        assert!(request.headers().is_empty(), "a failed sign leaves the request unchanged");
    }
}
