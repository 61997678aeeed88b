//! Retries and back-off: [`RetryPolicy`] (the budget of one request) and the shared back-off gate (one per
//! endpoint, so concurrent requests wait together instead of stampeding a busy server).
//!
//! What is retried, and how long the wait is:
//!
//! | Signal | Wait | Gate |
//! |---|---|---|
//! | `ErrorServerBusy` (fault or single message) with `BackOffMilliseconds` | the server's value | shared |
//! | other busy codes (`ErrorExceededConnectionCount`...) | exponential | shared |
//! | HTTP 503 | `Retry-After`, else exponential | shared |
//! | connect failure | exponential | this request |
//! | timeout or reset | exponential, read-only operations only | this request |
//!
//! Exponential waits double from [`RetryPolicy::base_delay`] up to [`RetryPolicy::max_delay`] with
//! "equal jitter" (half fixed, half random). A 401 is never retried as throttling.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use crate::clock::Clock;

/// The retry budget of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// At most this many retries after the first attempt. Default 6.
    pub max_retries: u32,
    /// At most this much waiting across all retries of one request; a server asking for more makes the
    /// request fail at once with [`crate::Error::RetriesExhausted`]. Default 5 minutes.
    pub max_total_wait: Duration,
    /// The first exponential delay. Default 1 second.
    pub base_delay: Duration,
    /// The largest exponential delay. Default 60 seconds.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 6,
            max_total_wait: Duration::from_secs(300),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The exponential delay before retry number `retry` (0 for the first retry), with `jitter` in
    /// `[0, 1)` choosing within the upper half.
    pub fn exponential_delay(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(20));
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// Whether another wait of `delay` fits the budget after `retries` retries and `waited` so far.
    pub(crate) fn allows(&self, retries: u32, waited: Duration, delay: Duration) -> bool {
        retries < self.max_retries && waited.saturating_add(delay) <= self.max_total_wait
    }
}

/// Parses `Retry-After`: delay seconds or an HTTP date (measured from `now`).
pub(crate) fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds.min(86_400)));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    Some(SystemTime::from(at).duration_since(now).unwrap_or_default())
}

/// One gate per endpoint: while it is closed no request of the client is sent.
#[derive(Debug, Default)]
pub(crate) struct BackOffGate {
    open_at: Mutex<Option<Instant>>,
}

impl BackOffGate {
    /// Keeps the gate closed until at least `until`.
    pub(crate) fn close_until(&self, until: Instant) {
        let mut open_at = self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
        if open_at.is_none_or(|current| current < until) {
            *open_at = Some(until);
        }
    }

    /// How long is left until the gate opens.
    pub(crate) fn remaining(&self, now: Instant) -> Duration {
        let open_at = self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
        open_at.map_or(Duration::ZERO, |at| at.saturating_duration_since(now))
    }

    /// Waits until the gate is open (it may be pushed further while waiting) and returns the time waited.
    pub(crate) async fn pass(&self, clock: &impl Clock) -> Duration {
        let mut waited = Duration::ZERO;
        loop {
            let remaining = self.remaining(clock.now());
            if remaining.is_zero() {
                return waited;
            }
            tracing::debug!(
                wait_ms = remaining.as_millis() as u64,
                "back-off gate closed; waiting"
            );
            clock.sleep(remaining).await;
            waited = waited.saturating_add(remaining);
        }
    }
}

/// A small deterministic random source for jitter (splitmix64), so tests can fix the seed.
#[derive(Debug)]
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    pub(crate) fn new(seed: u64) -> Self {
        Self(AtomicU64::new(seed))
    }

    /// A value in `[0, 1)`.
    pub(crate) fn next(&self) -> f64 {
        let mut z = self
            .0
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_delay_doubles_and_is_capped_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.exponential_delay(0, 0.0), Duration::from_millis(500));
        assert_eq!(policy.exponential_delay(0, 1.0), Duration::from_secs(1));
        assert_eq!(policy.exponential_delay(3, 1.0), Duration::from_secs(8));
        assert_eq!(policy.exponential_delay(30, 1.0), Duration::from_secs(60));
        assert_eq!(policy.exponential_delay(30, 0.0), Duration::from_secs(30));
    }

    #[test]
    fn the_budget_counts_retries_and_total_wait() {
        let policy = RetryPolicy {
            max_retries: 2,
            max_total_wait: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        assert!(policy.allows(0, Duration::ZERO, Duration::from_secs(10)));
        assert!(!policy.allows(0, Duration::ZERO, Duration::from_secs(11)));
        assert!(!policy.allows(2, Duration::ZERO, Duration::from_secs(1)));
        assert!(!RetryPolicy::never().allows(0, Duration::ZERO, Duration::ZERO));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = http::HeaderMap::new();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        headers.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:30 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn the_gate_only_ever_moves_later() {
        let gate = BackOffGate::default();
        let now = Instant::now();
        gate.close_until(now + Duration::from_secs(5));
        gate.close_until(now + Duration::from_secs(2));
        assert_eq!(gate.remaining(now), Duration::from_secs(5));
        assert_eq!(gate.remaining(now + Duration::from_secs(6)), Duration::ZERO);
    }

    #[test]
    fn jitter_stays_in_the_unit_interval() {
        let jitter = Jitter::new(42);
        assert!(
            (0..1000)
                .map(|_| jitter.next())
                .all(|x| (0.0..1.0).contains(&x))
        );
    }
}
