//! When to try a request again: connection failures and 429/502/503/504, with exponential
//! backoff and jitter, bounded in attempts and in total time, honouring `Retry-After`. Only
//! idempotent methods are retried after the request may have reached the server; a request
//! that provably never left (the connection was not established) is retried whatever its method.

use std::time::Duration;

use reqwest::{Method, StatusCode};

/// How persistently to retry. The default: 3 attempts, 200 ms doubling to at most 5 s, within
/// 30 s overall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The server answered with this status (and maybe a `Retry-After` delay).
    Answered(StatusCode, Option<Duration>),
    /// The connection could not be established: the request never reached the server.
    NotConnected,
    /// Failed after the request may have reached the server (timeout, reset).
    Failed,
}

impl RetryPolicy {
    /// The delay before attempt `number + 1`, or `None` to stop. `jitter` in [0, 1) spreads
    /// clients that failed together.
    pub(crate) fn next_delay(
        &self,
        method: &Method,
        attempt: Attempt,
        number: u32,
        elapsed: Duration,
        jitter: impl FnOnce() -> f64,
    ) -> Option<Duration> {
        if number >= self.max_attempts {
            return None;
        }
        let (retryable, retry_after) = match attempt {
            Attempt::NotConnected => (true, None),
            Attempt::Failed => (is_idempotent(method), None),
            Attempt::Answered(status, retry_after) => (is_idempotent(method) && is_retryable(status), retry_after),
        };
        if !retryable {
            return None;
        }
        let exponential = self.base_delay.saturating_mul(1 << (number - 1).min(16)).min(self.max_delay);
        // "Equal jitter": half the backoff fixed, half random.
        let delay = retry_after.unwrap_or_else(|| exponential / 2 + exponential.mul_f64(jitter() / 2.0));
        (elapsed + delay <= self.max_elapsed).then_some(delay)
    }
}

/// Statuses that say "try again later".
pub(crate) fn is_retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Methods whose repetition has the effect of one call.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
}

/// `Retry-After` as seconds (the HTTP-date form is rare in APIs and ignored).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A number in [0, 1) that differs between calls, without a random-number crate.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher
        .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn delay(method: Method, attempt: Attempt, number: u32) -> Option<Duration> {
        RetryPolicy::default().next_delay(&method, attempt, number, Duration::ZERO, || 0.0)
    }

    #[test]
    fn retries_idempotent_methods_on_throttling_and_gateway_errors() {
        for status in [429, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(delay(Method::GET, Attempt::Answered(status, None), 1), Some(Duration::from_millis(100)));
            assert_eq!(delay(Method::PUT, Attempt::Answered(status, None), 2), Some(Duration::from_millis(200)));
        }
    }

    #[test]
    fn never_retries_other_statuses_or_posts_that_reached_the_server() {
        for status in [400, 401, 403, 404, 409, 500] {
            assert_eq!(delay(Method::GET, Attempt::Answered(StatusCode::from_u16(status).unwrap(), None), 1), None);
        }
        assert_eq!(delay(Method::POST, Attempt::Answered(StatusCode::SERVICE_UNAVAILABLE, None), 1), None);
        assert_eq!(delay(Method::POST, Attempt::Failed, 1), None);
        assert!(delay(Method::POST, Attempt::NotConnected, 1).is_some());
    }

    #[test]
    fn honours_retry_after_and_the_bounds() {
        let throttled = Attempt::Answered(StatusCode::TOO_MANY_REQUESTS, Some(2 * SECOND));
        assert_eq!(delay(Method::GET, throttled, 1), Some(2 * SECOND));
        assert_eq!(delay(Method::GET, throttled, 3), None, "max attempts");
        let policy = RetryPolicy::default();
        assert_eq!(policy.next_delay(&Method::GET, throttled, 1, 29 * SECOND, || 0.0), None, "max elapsed");
        assert_eq!(RetryPolicy::none().next_delay(&Method::GET, throttled, 1, Duration::ZERO, || 0.0), None);
    }

    #[test]
    fn backoff_grows_with_jitter_within_bounds() {
        let policy = RetryPolicy { max_attempts: 20, ..RetryPolicy::default() };
        let busy = Attempt::Answered(StatusCode::SERVICE_UNAVAILABLE, None);
        let at = |n, j| policy.next_delay(&Method::GET, busy, n, Duration::ZERO, || j).unwrap();
        assert_eq!(at(1, 0.0), Duration::from_millis(100));
        assert_eq!(at(1, 0.999_999), Duration::from_millis(200) - Duration::from_nanos(100));
        assert_eq!(at(3, 0.0), Duration::from_millis(400));
        assert_eq!(at(10, 0.0), Duration::from_millis(2500), "capped at max_delay / 2 + jitter");
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn reads_retry_after_seconds() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(3 * SECOND));
        headers.insert(reqwest::header::RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
