//! The retry decision: what may be repeated, how long to wait, when to stop (the same
//! decisions through a real server are in `call.rs`).

use std::time::{Duration, SystemTime};

use http::{HeaderValue, StatusCode};
use payspec_core::retry::{parse_retry_after, Attempt, RetryPolicy};
use payspec_core::transport::OperationPolicy::{MovesMoney, NotRetried, RetrySafe};

const NOW: fn() -> SystemTime = || SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);

fn answered(status: u16) -> Attempt<'static> {
    Attempt::Answered { status: StatusCode::from_u16(status).unwrap(), retry_after: None }
}

#[test]
fn money_moving_requests_are_repeated_only_when_they_never_left() {
    let policy = RetryPolicy::default();
    for attempt in [Attempt::Lost, answered(500), answered(502), answered(503), answered(429)] {
        assert_eq!(policy.next_delay(MovesMoney, attempt, 1, Duration::ZERO, NOW()), None, "{attempt:?}");
        assert_eq!(policy.next_delay(NotRetried, attempt, 1, Duration::ZERO, NOW()), None, "{attempt:?}");
    }
    assert!(policy.next_delay(MovesMoney, Attempt::NotConnected, 1, Duration::ZERO, NOW()).is_some());
}

#[test]
fn retry_safe_requests_are_repeated_after_transient_failures_only() {
    let policy = RetryPolicy::default();
    for attempt in [Attempt::NotConnected, Attempt::Lost, answered(429), answered(500), answered(502), answered(503)] {
        assert!(policy.next_delay(RetrySafe, attempt, 1, Duration::ZERO, NOW()).is_some(), "{attempt:?}");
    }
    for status in [200, 400, 401, 404, 422] {
        assert_eq!(policy.next_delay(RetrySafe, answered(status), 1, Duration::ZERO, NOW()), None, "{status}");
    }
}

#[test]
fn attempts_and_total_time_are_bounded() {
    let policy = RetryPolicy { max_attempts: 3, max_elapsed: Duration::from_secs(2), ..RetryPolicy::default() };
    assert_eq!(policy.next_delay(RetrySafe, Attempt::Lost, 3, Duration::ZERO, NOW()), None);
    let retry_after = HeaderValue::from_static("5");
    let attempt = Attempt::Answered { status: StatusCode::SERVICE_UNAVAILABLE, retry_after: Some(&retry_after) };
    assert_eq!(policy.next_delay(RetrySafe, attempt, 1, Duration::ZERO, NOW()), None, "would end after the budget");
}

#[test]
fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
    let policy = RetryPolicy { base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(700), ..RetryPolicy::default() };
    assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(100));
    assert_eq!(policy.backoff_ceiling(2), Duration::from_millis(200));
    assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(400));
    assert_eq!(policy.backoff_ceiling(4), Duration::from_millis(700));
    assert_eq!(policy.backoff_ceiling(40), Duration::from_millis(700));
    let policy = RetryPolicy { max_attempts: 10, ..policy };
    let delays: Vec<Duration> = (0..200)
        .filter_map(|_| policy.next_delay(RetrySafe, Attempt::Lost, 3, Duration::ZERO, NOW()))
        .collect();
    assert_eq!(delays.len(), 200);
    assert!(delays.iter().all(|d| *d <= Duration::from_millis(400)));
    assert!(delays.iter().any(|d| *d < Duration::from_millis(200)), "jittered, not fixed");
}

#[test]
fn retry_after_is_honoured_in_seconds_and_as_an_http_date_and_capped() {
    let policy = RetryPolicy::default();
    let seconds = HeaderValue::from_static("2");
    let attempt = Attempt::Answered { status: StatusCode::TOO_MANY_REQUESTS, retry_after: Some(&seconds) };
    assert_eq!(policy.next_delay(RetrySafe, attempt, 1, Duration::ZERO, NOW()), Some(Duration::from_secs(2)));

    let date = HeaderValue::from_str(&httpdate::fmt_http_date(NOW() + Duration::from_secs(7))).unwrap();
    assert_eq!(parse_retry_after(&date, NOW()), Some(Duration::from_secs(7)));
    let past = HeaderValue::from_str(&httpdate::fmt_http_date(NOW() - Duration::from_secs(7))).unwrap();
    assert_eq!(parse_retry_after(&past, NOW()), Some(Duration::ZERO));
    assert_eq!(parse_retry_after(&HeaderValue::from_static("soon"), NOW()), None);

    let too_long = HeaderValue::from_static("3600");
    let attempt = Attempt::Answered { status: StatusCode::TOO_MANY_REQUESTS, retry_after: Some(&too_long) };
    assert_eq!(policy.next_delay(RetrySafe, attempt, 1, Duration::ZERO, NOW()), None, "past the cap: stop");
}

#[test]
fn a_not_connected_attempt_is_repeated_for_every_kind_of_operation_within_the_bounds() {
    let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
    for operation in [MovesMoney, NotRetried, RetrySafe] {
        assert!(policy.next_delay(operation, Attempt::NotConnected, 1, Duration::ZERO, NOW()).is_some(), "{operation:?}");
        assert!(policy.next_delay(operation, Attempt::NotConnected, 2, Duration::ZERO, NOW()).is_some(), "{operation:?}");
        assert_eq!(policy.next_delay(operation, Attempt::NotConnected, 3, Duration::ZERO, NOW()), None, "{operation:?}");
    }
    let once = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    assert_eq!(once.next_delay(RetrySafe, Attempt::NotConnected, 1, Duration::ZERO, NOW()), None, "1 turns retries off");
    // Past the time budget, nothing is repeated.
    let late = policy.max_elapsed;
    assert_eq!(policy.next_delay(RetrySafe, Attempt::Lost, 1, late, NOW()), None);
}

#[test]
fn a_retry_after_within_the_cap_but_past_the_budget_is_not_waited_for() {
    let policy = RetryPolicy { max_elapsed: Duration::from_secs(10), ..RetryPolicy::default() };
    let retry_after = HeaderValue::from_static("8");
    let attempt = Attempt::Answered { status: StatusCode::SERVICE_UNAVAILABLE, retry_after: Some(&retry_after) };
    assert_eq!(policy.next_delay(RetrySafe, attempt, 1, Duration::from_secs(1), NOW()), Some(Duration::from_secs(8)));
    assert_eq!(policy.next_delay(RetrySafe, attempt, 1, Duration::from_secs(3), NOW()), None);
}

#[test]
fn a_malformed_retry_after_falls_back_to_backoff() {
    let policy = RetryPolicy { base_delay: Duration::from_millis(100), ..RetryPolicy::default() };
    for value in ["soon", "-1", "1.5", ""] {
        let header = HeaderValue::from_str(value).unwrap();
        let attempt = Attempt::Answered { status: StatusCode::TOO_MANY_REQUESTS, retry_after: Some(&header) };
        let delay = policy.next_delay(RetrySafe, attempt, 1, Duration::ZERO, NOW()).expect("retried");
        assert!(delay <= Duration::from_millis(100), "{value:?}: {delay:?}");
    }
}

#[test]
fn a_huge_retry_after_does_not_panic() {
    let policy = RetryPolicy { max_retry_after: Duration::MAX, ..RetryPolicy::default() };
    let huge = HeaderValue::from_static("18446744073709551615");
    let attempt = Attempt::Answered { status: StatusCode::SERVICE_UNAVAILABLE, retry_after: Some(&huge) };
    assert_eq!(policy.next_delay(RetrySafe, attempt, 1, Duration::from_secs(1), NOW()), None, "past the time budget");
}
