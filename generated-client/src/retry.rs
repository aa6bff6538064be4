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
    /// The backoff before the first retry (half of it fixed, half random), doubled for each
    /// further one.
    pub base_delay: Duration,
    /// The most backoff between two attempts; a server's `Retry-After` is bounded by
    /// `max_elapsed` instead.
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
        let exponential = self.base_delay.saturating_mul(1 << number.saturating_sub(1).min(16)).min(self.max_delay);
        // "Equal jitter": half the backoff fixed, half random. `jitter` is clamped: a NaN or an
        // out-of-range value must not make `mul_f64` panic.
        let spread = jitter();
        let spread = if spread.is_finite() { spread.clamp(0.0, 1.0) } else { 0.0 };
        let delay = retry_after.unwrap_or_else(|| exponential / 2 + (exponential / 2).mul_f64(spread));
        // Every figure here may come from a server (`Retry-After: 18446744073709551615`):
        // an overflowing sum means "later than any bound".
        elapsed.checked_add(delay).is_some_and(|total| total <= self.max_elapsed).then_some(delay)
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

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::ZERO),
            Just(Duration::MAX),
            any::<u64>().prop_map(Duration::from_secs),
            any::<u64>().prop_map(Duration::from_nanos),
            (any::<u64>(), 0u32..1_000_000_000).prop_map(|(secs, nanos)| Duration::new(secs, nanos)),
        ]
    }

    fn method() -> impl Strategy<Value = Method> {
        prop_oneof![Just(Method::GET), Just(Method::POST), Just(Method::PUT), Just(Method::DELETE), Just(Method::PATCH)]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        /// Whatever a server sends and however the policy is set, deciding on a retry never
        /// panics, and a delay it returns fits in the overall bound.
        #[test]
        fn next_delay_never_panics_and_stays_within_bounds(
            max_attempts in any::<u32>(), base in duration(), max in duration(), max_elapsed in duration(),
            method in method(), status in 100u16..1000, retry_after in proptest::option::of(duration()),
            kind in 0u8..3, number in any::<u32>(), elapsed in duration(), jitter in any::<f64>(),
        ) {
            let policy = RetryPolicy { max_attempts, base_delay: base, max_delay: max, max_elapsed };
            let attempt = match kind {
                0 => Attempt::Answered(StatusCode::from_u16(status).unwrap(), retry_after),
                1 => Attempt::NotConnected,
                _ => Attempt::Failed,
            };
            if let Some(delay) = policy.next_delay(&method, attempt, number, elapsed, || jitter) {
                prop_assert!(elapsed.checked_add(delay).is_some_and(|total| total <= max_elapsed));
            }
        }

        #[test]
        fn any_retry_after_header_reads_without_panicking(value in proptest::collection::vec(any::<u8>(), 0..40)) {
            let mut headers = reqwest::header::HeaderMap::new();
            if let Ok(value) = reqwest::header::HeaderValue::from_bytes(&value) {
                headers.insert(reqwest::header::RETRY_AFTER, value);
            }
            let _ = retry_after(&headers);
        }
    }

    #[test]
    fn the_largest_retry_after_after_a_moment_is_no_retry() {
        let throttled = Attempt::Answered(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(u64::MAX)));
        let delay = RetryPolicy::default().next_delay(&Method::GET, throttled, 1, Duration::from_millis(3), || 0.5);
        assert_eq!(delay, None);
    }
}
