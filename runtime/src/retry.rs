//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// Bounds and pacing of retries.
///
/// A call is retried after a connection failure or a 429, 502, 503 or 504
/// response, waiting exponentially longer each time (with jitter) or as long
/// as `Retry-After` asks. It stops after [`max_attempts`](Self::max_attempts)
/// sends or when the next wait would end after [`max_elapsed`](Self::max_elapsed)
/// has passed since the first send, and then returns what the last attempt
/// got. Only idempotent operations are retried unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) is set.
///
/// # Timeouts
///
/// A request that times out (the client's per-request timeout, 60 s by
/// default, see [`ClientBuilder::timeout`](crate::ClientBuilder::timeout))
/// may have reached the server and may still be carried out there. So:
///
/// - an idempotent operation that times out is retried like any other
///   failure without a response, within the same bounds; each attempt gets
///   the whole timeout, so a call can take up to about
///   `max_attempts × timeout` plus the waits. Turn this off with
///   [`with_retry_timeouts(false)`](Self::with_retry_timeouts) when the
///   timeout should bound the whole call;
/// - a non-idempotent operation is never sent again after a timeout or any
///   other failure after the connection was made, not even with
///   [`with_retry_non_idempotent(true)`](Self::with_retry_non_idempotent),
///   which then only adds retries after a failed connect (the request
///   never left) and after 429/502/503/504.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    retry_non_idempotent: bool,
    retry_timeouts: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts in at most 60 seconds, waits of 500 ms doubling up to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
            retry_non_idempotent: false,
            retry_timeouts: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Most sends per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Wait before the first retry; it doubles for each further one.
    pub fn with_initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// Longest computed wait between two attempts (a longer `Retry-After`
    /// is still honoured if it fits in [`with_max_elapsed`](Self::with_max_elapsed)).
    pub fn with_max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// Longest time from the first send until the last retry starts.
    pub fn with_max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// Also retry operations that are not idempotent (e.g. a `POST` that
    /// creates something), accepting that it may then happen twice.
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Whether an idempotent operation whose request timed out is sent
    /// again (default `true`). Non-idempotent operations never are.
    pub fn with_retry_timeouts(mut self, retry: bool) -> Self {
        self.retry_timeouts = retry;
        self
    }

    /// Whether timed-out requests of idempotent operations are retried.
    pub fn retry_timeouts(&self) -> bool {
        self.retry_timeouts
    }

    /// Whether a failure without a response is retried for an operation
    /// that is (`idempotent`) or is not idempotent: a failed connect always
    /// (the request was not sent), a timeout only for idempotent
    /// operations when [`retry_timeouts`](Self::retry_timeouts) is set,
    /// any other sending failure only for idempotent operations.
    pub fn retries_failure(&self, e: &reqwest::Error, idempotent: bool) -> bool {
        if e.is_timeout() && !(idempotent && self.retry_timeouts) {
            return false;
        }
        if e.is_connect() {
            return true;
        }
        idempotent && is_retryable_error(e)
    }

    /// Most sends per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Longest time from the first send until the last retry starts.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether non-idempotent operations are retried.
    pub fn retry_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The wait before retry number `retry` (1 for the first retry): the
    /// exponential backoff with "equal jitter", between half and all of
    /// `initial * 2^(retry-1)`, capped at the maximum backoff.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = full / 2;
        half + full.mul_f64(fastrand::f64() * 0.5)
    }
}

/// Whether a response with this status is worth sending again.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether a failure without a response is worth sending again, if the
/// operation is idempotent (see [`RetryPolicy::retries_failure`] for the
/// rule that also looks at idempotency and timeouts).
pub fn is_retryable_error(e: &reqwest::Error) -> bool {
    e.is_connect() || e.is_timeout() || e.is_request()
}

/// The wait `Retry-After` asks for: delay-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        for _ in 0..100 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = p.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = p.backoff(10);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350));
        }
        assert!(p.backoff(u32::MAX) <= Duration::from_millis(350));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(
            retry_after(&h, SystemTime::now()),
            Some(Duration::from_secs(7))
        );
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        h.insert(RETRY_AFTER, later.parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(30)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        h.insert(RETRY_AFTER, earlier.parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn attempts_are_at_least_one() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
    }
}
