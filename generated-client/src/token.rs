//! Password authentication: a token from IAM (`POST /v3/auth/tokens`, the `X-Subject-Token`
//! response header), cached and shared by every client of one configuration, refreshed ahead of
//! its expiry, with at most one request to IAM in flight however many calls wait for it.

// Without the `iam` feature only `TokenError` (part of the public error types) is used.
#![cfg_attr(not(feature = "iam"), allow(dead_code, unused_imports))]

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;
use tokio::sync::Mutex;

use crate::config::{Domain, User};
use crate::secret::Secret;

/// How long before `expires_at` a token is replaced.
const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

/// Which project the token is scoped to.
#[derive(Debug, Clone)]
pub(crate) enum Scope {
    ProjectId(String),
    /// A project name is unique only within its domain, so Keystone needs both (without a
    /// domain it answers 400 "Expecting to find domain in project").
    ProjectName {
        name: String,
        domain: Option<Domain>,
    },
    /// No project: the token is scoped to the user's domain.
    Domain,
}

/// Why no token could be had.
#[derive(Debug)]
#[non_exhaustive]
pub enum TokenError {
    /// IAM refused (wrong password, unknown project: its status, code, message and request id
    /// are in the [`crate::Error`], also as `source()`), or could not be reached.
    Iam(Box<crate::Error>),
    /// IAM answered with success, but without what makes a token.
    Malformed(&'static str),
    /// The configured identity cannot be sent as the reference documents the request.
    Unsupported(&'static str),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The cause follows as `source()`; `Error`'s Display appends it.
            TokenError::Iam(_) => f.write_str("IAM did not issue a token"),
            TokenError::Malformed(what) => write!(f, "IAM answered without {what}"),
            TokenError::Unsupported(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Iam(error) => Some(error.as_ref()),
            TokenError::Malformed(_) | TokenError::Unsupported(_) => None,
        }
    }
}

/// Without the `iam` feature there is no IAM client to ask, so no source can exist: the type is
/// uninhabited and `Cloud` refuses password credentials.
#[cfg(not(feature = "iam"))]
#[derive(Debug)]
pub(crate) struct TokenSource {
    never: std::convert::Infallible,
}

#[cfg(not(feature = "iam"))]
impl TokenSource {
    pub(crate) async fn token(&self) -> Result<Token, TokenError> {
        match self.never {}
    }

    pub(crate) async fn renew(&self, _rejected: &Secret) -> Result<Token, TokenError> {
        match self.never {}
    }
}

#[cfg(feature = "iam")]
#[derive(Debug)]
pub(crate) struct TokenSource {
    iam: crate::iam::Client,
    user: User,
    password: Secret,
    scope: Scope,
    cached: Mutex<Option<Token>>,
}

/// A token and what IAM said about it.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) value: Secret,
    pub(crate) expires_at: SystemTime,
    pub(crate) project_id: Option<String>,
}

#[cfg(feature = "iam")]
impl TokenSource {
    /// `iam` must be a client without credentials (token creation takes none).
    pub(crate) fn new(iam: crate::iam::Client, user: User, password: Secret, scope: Scope) -> Self {
        TokenSource { iam, user, password, scope, cached: Mutex::new(None) }
    }

    /// A token valid for a while yet: the cached one, or a new one.
    pub(crate) async fn token(&self) -> Result<Token, TokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|token| fresh(token, SystemTime::now())) {
            return Ok(token.clone());
        }
        let token = self.fetch().await?;
        *cached = Some(token.clone());
        Ok(token)
    }

    /// After the service rejected `rejected` (401): a new token, unless another call already
    /// replaced it.
    pub(crate) async fn renew(&self, rejected: &Secret) -> Result<Token, TokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|token| &token.value != rejected && fresh(token, SystemTime::now()))
        {
            return Ok(token.clone());
        }
        let token = self.fetch().await?;
        *cached = Some(token.clone());
        Ok(token)
    }

    async fn fetch(&self) -> Result<Token, TokenError> {
        let user = match &self.user {
            User::Name { name, domain } => {
                json!({"name": name, "password": self.password.expose(), "domain": {"name": domain}})
            }
            User::Id(_) => {
                return Err(TokenError::Unsupported(
                    "the IAM reference documents password authentication by user name and domain only",
                ));
            }
        };
        let scope = match &self.scope {
            Scope::ProjectId(id) => json!({"project": {"id": id}}),
            Scope::ProjectName { name, domain: None } => json!({"project": {"name": name}}),
            Scope::ProjectName { name, domain: Some(Domain::Name(domain)) } => {
                json!({"project": {"name": name, "domain": {"name": domain}}})
            }
            Scope::ProjectName { name, domain: Some(Domain::Id(domain)) } => {
                json!({"project": {"name": name, "domain": {"id": domain}}})
            }
            Scope::Domain => match &self.user {
                User::Name { domain, .. } => json!({"domain": {"name": domain}}),
                User::Id(_) => json!({}),
            },
        };
        let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": user}}, "scope": scope}});
        // The generated type takes every field built above; a failure here is a bug, and its
        // text would not name the password (serde_json reports positions and types only).
        let body = serde_json::from_value(body).map_err(|_| TokenError::Unsupported("cannot build the IAM request"))?;
        let request = self.iam.keystone_create_user_token_by_password();
        let request = request.body::<crate::iam::types::KeystoneCreateUserTokenByPasswordRequest>(body);
        // Boxed: the IAM call runs through the same hooks as the call waiting for the token,
        // which would make the future's type infinitely recursive.
        let response = Box::pin(request.send()).await.map_err(|error| TokenError::Iam(Box::new(error)))?;
        let value = response
            .headers()
            .get("x-subject-token")
            .and_then(|value| value.to_str().ok())
            .ok_or(TokenError::Malformed("an X-Subject-Token header"))?;
        let token = response.token.as_ref().ok_or(TokenError::Malformed("a token object"))?;
        let expires_at = token
            .expires_at
            .as_deref()
            .and_then(parse_utc)
            .ok_or(TokenError::Malformed("a readable token.expires_at"))?;
        let project_id = token.project.as_ref().and_then(|project| project.id.clone());
        Ok(Token { value: Secret::new(value), expires_at, project_id })
    }
}

fn fresh(token: &Token, now: SystemTime) -> bool {
    token.expires_at.duration_since(now).is_ok_and(|left| left > REFRESH_AHEAD)
}

/// `2019-02-13T06:52:13.855000Z` (or with a `±hh:mm` offset) as a `SystemTime`.
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if text.get(4..5)? != "-" || text.get(10..11).is_none_or(|t| t != "T" && t != "t") {
        return None;
    }
    let rest = &text[19..];
    let (fraction, zone) = match rest.strip_prefix('.') {
        Some(after) => {
            let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
            (&after[..digits], &after[digits..])
        }
        None => ("", rest),
    };
    let offset = match zone {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (zone.get(1..3)?.parse::<i64>().ok()? * 3600 + zone.get(4..6)?.parse::<i64>().ok()? * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let nanos = format!("{fraction:0<9}").get(..9)?.parse::<u32>().ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?) + Duration::from_nanos(u64::from(nanos)))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iam_timestamps() {
        let at = |text| parse_utc(text).unwrap().duration_since(UNIX_EPOCH).unwrap();
        assert_eq!(at("1970-01-01T00:00:00Z"), Duration::ZERO);
        assert_eq!(at("2019-02-13T06:52:13.855000Z"), Duration::new(1_550_040_733, 855_000_000));
        assert_eq!(at("2024-02-29T12:00:00+01:00"), Duration::from_secs(1_709_204_400));
        assert_eq!(parse_utc("yesterday"), None);
        assert_eq!(parse_utc("2019-02-13 06:52:13"), None);
    }

    #[test]
    fn a_token_is_replaced_ahead_of_its_expiry() {
        let now = SystemTime::now();
        let token = |left| Token { value: "t".into(), expires_at: now + left, project_id: None };
        assert!(fresh(&token(Duration::from_secs(3600)), now));
        assert!(!fresh(&token(Duration::from_secs(60)), now));
    }
}
