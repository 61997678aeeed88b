//! Throttling: one pure retry decision for single calls, pages, delta rounds and batch items alike.
//!
//! Graph answers 429 (and sometimes 503/504) with a `Retry-After` of decimal seconds (the official
//! sample is `2.128`) or an HTTP date. [`RetryPolicy::decide`] turns `(status, headers, attempt,
//! elapsed)` into [`RetryDecision::RetryAfter`] or [`RetryDecision::Fail`]; the clock and the jitter come
//! from the caller. Outlook also allows only [`OUTLOOK_CONCURRENT_REQUESTS_PER_MAILBOX`] requests in
//! flight per app and mailbox, which [`crate::client::GraphClient`] enforces.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// Outlook's limit of concurrent requests per (app id, mailbox).
pub const OUTLOOK_CONCURRENT_REQUESTS_PER_MAILBOX: usize = 4;

/// The name of the header that tells the server which retry this is.
pub const RETRY_ATTEMPT_HEADER: &str = "retry-attempt";

/// A parsed `Retry-After` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// A delay in (possibly fractional) seconds.
    Delay(Duration),
    /// An HTTP date.
    At(SystemTime),
}

impl RetryAfter {
    /// Parses a `Retry-After` value: non-negative decimal seconds (`120`, `2.128`) or an HTTP date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`). Returns `None` for anything else.
    ///
    /// ```
    /// use std::time::Duration;
    /// use graph_client::throttle::RetryAfter;
    /// assert_eq!(RetryAfter::parse("2.128"), Some(RetryAfter::Delay(Duration::from_millis(2128))));
    /// assert!(matches!(RetryAfter::parse("Wed, 21 Oct 2015 07:28:00 GMT"), Some(RetryAfter::At(_))));
    /// assert_eq!(RetryAfter::parse("soon"), None);
    /// ```
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            let seconds: f64 = value.parse().ok()?;
            // Cap absurd values at a day so the conversion cannot overflow.
            return Some(Self::Delay(Duration::from_secs_f64(seconds.min(86_400.0))));
        }
        let timestamp = jiff::fmt::rfc2822::DateTimeParser::new()
            .parse_timestamp(value)
            .ok()?;
        Some(Self::At(SystemTime::from(timestamp)))
    }

    /// Reads the `Retry-After` header of a response.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        headers
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(Self::parse)
    }

    /// The delay this asks for, measured from `now` (zero for a date in the past).
    pub fn delay_from(&self, now: SystemTime) -> Duration {
        match self {
            Self::Delay(delay) => *delay,
            Self::At(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// What to do after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum RetryDecision {
    /// Wait this long, then send the same request again.
    RetryAfter(Duration),
    /// Do not retry: the response is final (success, a non-retryable error, or the budget is spent).
    Fail,
}

/// Where a request stands in its retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attempt {
    /// Retries already made (0 for the first response).
    pub retries: u32,
    /// Total delay already spent waiting between retries.
    pub waited: Duration,
}

/// The retry policy, defaulting to the official SDKs' values: 3 retries, 3 s delay when the server
/// gives none (doubling each retry, with jitter), at most 180 s of waiting in total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Maximum number of retries (clamped to 10).
    pub max_retries: u32,
    /// The first delay when the response has no usable `Retry-After`.
    pub default_delay: Duration,
    /// The most time to spend waiting across all retries of one request.
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            default_delay: Duration::from_secs(3),
            max_total_delay: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// The absolute maximum of retries, whatever `max_retries` says.
    pub const RETRY_LIMIT: u32 = 10;

    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether a status is worth retrying: 429, 503 or 504.
    pub fn is_retryable(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 503 | 504)
    }

    /// Decides what to do after a response with `status` and `headers`. `now` measures HTTP-date
    /// `Retry-After` values; `jitter` in `[0, 1)` spreads the fallback backoff (pass a random number).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use graph_client::throttle::{Attempt, RetryDecision, RetryPolicy};
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("retry-after", "2.128".parse().unwrap());
    /// let policy = RetryPolicy::default();
    /// let decision = policy.decide(http::StatusCode::TOO_MANY_REQUESTS, &headers, Attempt::default(),
    ///     SystemTime::now(), 0.0);
    /// assert_eq!(decision, RetryDecision::RetryAfter(Duration::from_millis(2128)));
    /// let spent = Attempt { retries: 3, waited: Duration::from_secs(9) };
    /// assert_eq!(policy.decide(http::StatusCode::TOO_MANY_REQUESTS, &headers, spent,
    ///     SystemTime::now(), 0.0), RetryDecision::Fail);
    /// ```
    pub fn decide(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        attempt: Attempt,
        now: SystemTime,
        jitter: f64,
    ) -> RetryDecision {
        if !Self::is_retryable(status) {
            return RetryDecision::Fail;
        }
        let delay = match RetryAfter::from_headers(headers) {
            Some(retry_after) => retry_after.delay_from(now),
            None => self.backoff(attempt.retries, jitter),
        };
        self.within_budget(attempt, delay)
    }

    /// The fallback delay for a retry without `Retry-After`: `default_delay * 2^retries`, scaled into
    /// `[50%, 100%]` by `jitter`.
    pub fn backoff(&self, retries: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retries.min(16));
        let base = self.default_delay.saturating_mul(factor);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Duration::try_from_secs_f64(base.as_secs_f64() * (0.5 + jitter / 2.0)).unwrap_or(base)
    }

    /// `RetryAfter(delay)` if another retry after `delay` fits the budget, else `Fail`.
    pub fn within_budget(&self, attempt: Attempt, delay: Duration) -> RetryDecision {
        let max_retries = self.max_retries.min(Self::RETRY_LIMIT);
        if attempt.retries >= max_retries
            || attempt.waited.saturating_add(delay) > self.max_total_delay
        {
            RetryDecision::Fail
        } else {
            RetryDecision::RetryAfter(delay)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn http_date_is_measured_against_the_callers_clock() {
        let now = SystemTime::from(jiff::Timestamp::from_second(1_445_412_470).unwrap());
        // 2015-10-21T07:28:00Z is 1445412480: ten seconds after `now`.
        let decision = RetryPolicy::default().decide(
            StatusCode::TOO_MANY_REQUESTS,
            &headers("Wed, 21 Oct 2015 07:28:00 GMT"),
            Attempt::default(),
            now,
            0.5,
        );
        assert_eq!(decision, RetryDecision::RetryAfter(Duration::from_secs(10)));
    }

    #[test]
    fn date_in_the_past_means_retry_now() {
        let now = SystemTime::from(jiff::Timestamp::from_second(1_445_412_490).unwrap());
        let retry = RetryAfter::parse("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(retry.delay_from(now), Duration::ZERO);
    }

    #[test]
    fn no_header_backs_off_exponentially_with_jitter() {
        let policy = RetryPolicy::default();
        let empty = HeaderMap::new();
        let decide = |retries, jitter| {
            policy.decide(
                StatusCode::SERVICE_UNAVAILABLE,
                &empty,
                Attempt {
                    retries,
                    waited: Duration::ZERO,
                },
                SystemTime::UNIX_EPOCH,
                jitter,
            )
        };
        assert_eq!(
            decide(0, 1.0),
            RetryDecision::RetryAfter(Duration::from_secs(3))
        );
        assert_eq!(
            decide(0, 0.0),
            RetryDecision::RetryAfter(Duration::from_millis(1500))
        );
        assert_eq!(
            decide(2, 0.0),
            RetryDecision::RetryAfter(Duration::from_secs(6))
        );
    }

    #[test]
    fn non_retryable_statuses_and_exhausted_budgets_fail() {
        let policy = RetryPolicy::default();
        let h = headers("1");
        let first = Attempt::default();
        assert_eq!(
            policy.decide(
                StatusCode::NOT_FOUND,
                &h,
                first,
                SystemTime::UNIX_EPOCH,
                0.0
            ),
            RetryDecision::Fail
        );
        assert_eq!(
            policy.decide(
                StatusCode::GATEWAY_TIMEOUT,
                &h,
                first,
                SystemTime::UNIX_EPOCH,
                0.0
            ),
            RetryDecision::RetryAfter(Duration::from_secs(1))
        );
        let long_wait = Attempt {
            retries: 1,
            waited: Duration::from_secs(180),
        };
        assert_eq!(
            policy.decide(
                StatusCode::TOO_MANY_REQUESTS,
                &h,
                long_wait,
                SystemTime::UNIX_EPOCH,
                0.0
            ),
            RetryDecision::Fail
        );
        let greedy = RetryPolicy {
            max_retries: 50,
            ..RetryPolicy::default()
        };
        let tenth = Attempt {
            retries: 10,
            waited: Duration::ZERO,
        };
        assert_eq!(
            greedy.decide(
                StatusCode::TOO_MANY_REQUESTS,
                &h,
                tenth,
                SystemTime::UNIX_EPOCH,
                0.0
            ),
            RetryDecision::Fail
        );
    }

    #[test]
    fn huge_configured_delays_do_not_overflow() {
        let policy = RetryPolicy {
            default_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.backoff(20, 1.0), Duration::MAX);
        let waited = Attempt {
            retries: 0,
            waited: Duration::MAX,
        };
        assert_eq!(
            policy.within_budget(waited, Duration::MAX),
            RetryDecision::Fail
        );
    }

    #[test]
    fn garbage_retry_after_falls_back_to_backoff() {
        assert_eq!(RetryAfter::parse(""), None);
        assert_eq!(RetryAfter::parse("-1"), None);
        assert_eq!(RetryAfter::parse("1.2.3"), None);
        assert_eq!(
            RetryAfter::parse("99999999999999999999"),
            Some(RetryAfter::Delay(Duration::from_secs(86_400)))
        );
    }
}
