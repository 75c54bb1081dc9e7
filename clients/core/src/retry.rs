//! When a request may be repeated, and how long to wait first.
//!
//! Repeated automatically: a request that provably never reached the provider (the
//! connection was not established), whatever it does; and an operation the spec
//! declares retry-safe (`x-payspec-retry-safe`: reads, token calls) after a timeout, a
//! reset, a 429 or a 5xx. Never repeated: anything else once it may have reached the
//! provider, above all a request that moves money.
//!
//! Waits are exponential backoff with full jitter, or the provider's `Retry-After`
//! (seconds or an HTTP date) when it sends one, capped; attempts and total time are
//! bounded.

use std::time::{Duration, SystemTime};

use http::{HeaderValue, StatusCode};

use crate::transport::OperationPolicy;

/// Bounds on repeating a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
    /// The backoff ceiling of the first retry; it doubles with each retry.
    pub base_delay: Duration,
    /// The largest backoff ceiling.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(30),
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Clone, Copy, Debug)]
pub enum Attempt<'a> {
    /// No connection was established: the provider never saw the request.
    NotConnected,
    /// Sent, or possibly sent, with no usable answer (timeout, reset).
    Lost,
    /// The provider answered.
    Answered {
        /// HTTP status.
        status: StatusCode,
        /// Its `Retry-After` header, if any.
        retry_after: Option<&'a HeaderValue>,
    },
}

impl RetryPolicy {
    /// The wait before attempt `attempts + 1`, or `None` when the request must not or
    /// need not be repeated. `attempts` have been made, the first `elapsed` ago.
    pub fn next_delay(
        &self,
        operation: OperationPolicy,
        attempt: Attempt<'_>,
        attempts: u32,
        elapsed: Duration,
        now: SystemTime,
    ) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let retry_safe = operation == OperationPolicy::RetrySafe;
        let delay = match attempt {
            Attempt::NotConnected => self.backoff(attempts),
            Attempt::Lost if retry_safe => self.backoff(attempts),
            Attempt::Answered {
                status,
                retry_after,
            } if retry_safe && is_transient(status) => match retry_after.and_then(|v| parse_retry_after(v, now)) {
                Some(wait) if wait > self.max_retry_after => return None,
                Some(wait) => wait,
                None => self.backoff(attempts),
            },
            _ => return None,
        };
        elapsed
            .checked_add(delay)
            // Strictly before the budget runs out: a zero-length backoff at the budget
            // would still start a retry after it.
            .is_some_and(|end| end < self.max_elapsed)
            .then_some(delay)
    }

    /// The backoff ceiling after `attempts` attempts: `base * 2^(attempts-1)`, capped.
    pub fn backoff_ceiling(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        self.base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }

    /// Full jitter: uniformly between zero and the ceiling.
    fn backoff(&self, attempts: u32) -> Duration {
        let ceiling = self.backoff_ceiling(attempts).as_millis() as u64;
        Duration::from_millis(fastrand::u64(0..=ceiling))
    }
}

/// Statuses that say "try again later": rate limited, or a server or gateway failure.
fn is_transient(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 section 10.2.3).
pub fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}
