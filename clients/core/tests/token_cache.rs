//! The token cache: one token request for many callers whatever the outcome, renewal
//! ahead of expiry (never more than half a token's lifetime ahead), a bounded wait for a
//! hanging token endpoint, renewal after a rejection, and a cancelled caller that does
//! not strand the others.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use payspec_core::error::AuthError;
use payspec_core::token::Expiry;
use payspec_core::Error;
use support::{client_with, Plan, TestClient, TestError};

/// The access token of a successful `get`, or its error.
async fn get(client: &TestClient) -> Result<String, Error<TestError>> {
    let token = client.runtime.tokens().get(client).await?;
    Ok(token.token().access_token.expose().to_string())
}

/// `n` concurrent `get`s, each in its own task; their results in order.
async fn concurrent_gets(client: &Arc<TestClient>, n: usize) -> Vec<Result<String, Error<TestError>>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = Arc::clone(client);
            tokio::spawn(async move { get(&client).await })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.expect("the caller does not panic"));
    }
    results
}

fn tokens(results: Vec<Result<String, Error<TestError>>>) -> Vec<String> {
    results.into_iter().map(|result| result.expect("a token")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_gets_without_a_token_cause_one_fetch() {
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| builder));
    client.control.set_plan(Plan::Issue {
        expires: Expiry::In(Duration::from_secs(3600)),
        delay: Duration::from_millis(50),
    });
    let tokens = tokens(concurrent_gets(&client, 50).await);
    assert_eq!(tokens, vec!["token-1".to_string(); 50]);
    assert_eq!(client.control.fetches(), 1);
    assert_eq!(client.control.previous(), vec![None]);
    // And the token is then served from the cache.
    assert_eq!(get(&client).await.unwrap(), "token-1");
    assert_eq!(client.control.fetches(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_shorter_lived_than_refresh_ahead_is_fetched_once_and_kept_for_half_its_lifetime() {
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| {
        builder.refresh_ahead(Duration::from_secs(300))
    }));
    client.control.set_plan(Plan::Issue {
        expires: Expiry::In(Duration::from_secs(30)),
        delay: Duration::from_millis(30),
    });
    let tokens = tokens(concurrent_gets(&client, 20).await);
    assert_eq!(tokens, vec!["token-1".to_string(); 20]);
    assert_eq!(client.control.fetches(), 1, "not stale on arrival");

    client.control.clock.advance(Duration::from_secs(14));
    let tokens = crate::tokens(concurrent_gets(&client, 20).await);
    assert_eq!(tokens, vec!["token-1".to_string(); 20], "fresh for the first half of its lifetime");
    assert_eq!(client.control.fetches(), 1);

    client.control.clock.advance(Duration::from_secs(2));
    assert_eq!(get(&client).await.unwrap(), "token-2", "renewed past half its lifetime");
    assert_eq!(client.control.fetches(), 2);
    assert_eq!(client.control.previous(), vec![None, Some("token-1".to_string())]);
}

#[tokio::test]
async fn a_token_is_renewed_refresh_ahead_before_it_expires() {
    // The default margin: 60 s.
    let client = client_with("http://127.0.0.1:9", |builder| builder);
    client.control.set_plan(Plan::issue(Duration::from_secs(3600)));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(3600 - 61));
    assert_eq!(get(&client).await.unwrap(), "token-1", "still fresh");
    client.control.clock.advance(Duration::from_secs(2));
    assert_eq!(get(&client).await.unwrap(), "token-2", "within the refresh margin");
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert_eq!(client.control.fetches(), 2);
    assert_eq!(client.control.previous(), vec![None, Some("token-1".to_string())]);

    // A configured margin.
    let client = client_with("http://127.0.0.1:9", |builder| builder.refresh_ahead(Duration::from_secs(600)));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(3600 - 601));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(2));
    assert_eq!(get(&client).await.unwrap(), "token-2");
}

#[tokio::test]
async fn a_token_without_an_expiry_stays_fresh() {
    let client = client_with("http://127.0.0.1:9", |builder| builder);
    client.control.set_plan(Plan::Issue {
        expires: Expiry::Unknown,
        delay: Duration::ZERO,
    });
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(10 * 365 * 24 * 3600));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    assert_eq!(client.control.fetches(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_callers_a_request_was_made_for_use_its_token_even_if_stale_on_arrival() {
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| builder));
    client.control.set_plan(Plan::Issue {
        expires: Expiry::In(Duration::ZERO),
        delay: Duration::from_millis(30),
    });
    let tokens = tokens(concurrent_gets(&client, 20).await);
    assert_eq!(tokens, vec!["token-1".to_string(); 20]);
    assert_eq!(client.control.fetches(), 1);
    // Nobody else gets it: the next call renews.
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert_eq!(client.control.fetches(), 2);
}

/// Paused time: every spawned caller has joined before the token request's delay ends.
#[tokio::test(start_paused = true)]
async fn fifty_callers_share_one_failing_token_request() {
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| builder));
    client.control.set_plan(Plan::Fail {
        delay: Duration::from_millis(50),
    });
    let results = concurrent_gets(&client, 50).await;
    assert_eq!(client.control.fetches(), 1, "one token request for all callers");
    for result in &results {
        match result {
            Err(Error::Auth(AuthError::TokenEndpoint(cause))) => {
                assert_eq!(cause.status().map(|status| status.as_u16()), Some(503));
                assert_eq!(cause.api_error().map(|error| error.code.as_str()), Some("down"));
            }
            other => panic!("expected Auth(TokenEndpoint), got {other:?}"),
        }
        assert!(result.as_ref().unwrap_err().nothing_sent());
    }
    // A failure is not cached: the next call asks again.
    client.control.set_plan(Plan::issue(Duration::from_secs(3600)));
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert_eq!(client.control.fetches(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hanging_token_endpoint_fails_every_caller_after_one_deadline() {
    let deadline = Duration::from_millis(200);
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| {
        builder.limits(support::test_limits().token_deadline(deadline))
    }));
    client.control.set_plan(Plan::Hang);
    let started = Instant::now();
    let results = concurrent_gets(&client, 20).await;
    let elapsed = started.elapsed();
    assert_eq!(client.control.fetches(), 1, "one token request for all callers");
    for result in &results {
        assert!(
            matches!(result, Err(Error::Auth(AuthError::Deadline(waited))) if *waited == deadline),
            "expected Auth(Deadline(200ms)), got {result:?}"
        );
    }
    assert!(elapsed >= deadline - Duration::from_millis(10), "gave up early: {elapsed:?}");
    // Not one deadline per caller queued before it (that would be 20 x 200 ms).
    assert!(elapsed < deadline * 8, "each caller waits one deadline: {elapsed:?}");

    // The next call asks again.
    client.control.set_plan(Plan::issue(Duration::from_secs(3600)));
    assert_eq!(get(&client).await.unwrap(), "token-2");
}

#[tokio::test]
async fn refresh_ahead_of_duration_max_does_not_panic_and_is_capped_at_half_the_lifetime() {
    let client = client_with("http://127.0.0.1:9", |builder| builder.refresh_ahead(Duration::MAX));
    client.control.set_plan(Plan::issue(Duration::from_secs(3600)));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(1799));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(2));
    assert_eq!(get(&client).await.unwrap(), "token-2");

    // A lifetime too long to add to the issue time: no expiry.
    client.control.set_plan(Plan::issue(Duration::MAX));
    client.control.clock.advance(Duration::from_secs(3600));
    assert_eq!(get(&client).await.unwrap(), "token-3");
    client.control.clock.advance(Duration::from_secs(100 * 365 * 24 * 3600));
    assert_eq!(get(&client).await.unwrap(), "token-3");
}

#[tokio::test]
async fn a_century_long_token_deadline_works() {
    let client = client_with("http://127.0.0.1:9", |builder| {
        builder.limits(support::test_limits().token_deadline(Duration::from_secs(100 * 365 * 24 * 3600)))
    });
    assert_eq!(get(&client).await.unwrap(), "token-1");
}

#[tokio::test]
async fn a_token_deadline_of_duration_max_does_not_panic() {
    let client = client_with("http://127.0.0.1:9", |builder| {
        builder.limits(support::test_limits().token_deadline(Duration::MAX))
    });
    assert_eq!(get(&client).await.unwrap(), "token-1");
}

#[tokio::test]
async fn a_rejected_token_is_renewed_with_the_previous_token() {
    let client = client_with("http://127.0.0.1:9", |builder| builder);
    let first = client.runtime.tokens().get(&client).await.unwrap();
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.runtime.tokens().reject(&first);
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert_eq!(client.control.fetches(), 2);
    assert_eq!(client.control.previous(), vec![None, Some("token-1".to_string())]);

    // A late rejection of the replaced token does not discard the new one.
    client.runtime.tokens().reject(&first);
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert_eq!(client.control.fetches(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_rejecting_the_same_token_cause_one_renewal() {
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| builder));
    client.control.set_plan(Plan::Issue {
        expires: Expiry::In(Duration::from_secs(3600)),
        delay: Duration::from_millis(20),
    });
    let first = client.runtime.tokens().get(&client).await.unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = Arc::clone(&client);
            let first = Arc::clone(&first);
            tokio::spawn(async move {
                client.runtime.tokens().reject(&first);
                get(&client).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "token-2");
    }
    assert_eq!(client.control.fetches(), 2);
}

/// Paused time: the leader is inside its token request, the follower waiting on it, when
/// the leader is dropped.
#[tokio::test(start_paused = true)]
async fn a_cancelled_leader_lets_a_follower_take_over() {
    let client = Arc::new(client_with("http://127.0.0.1:9", |builder| builder));
    client.control.then(Plan::Hang);
    let started = tokio::time::Instant::now();
    let leader = tokio::spawn({
        let client = Arc::clone(&client);
        async move { get(&client).await }
    });
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(client.control.fetches(), 1, "the leader is fetching");
    let follower = tokio::spawn({
        let client = Arc::clone(&client);
        async move { get(&client).await }
    });
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(client.control.fetches(), 1, "the follower waits for the leader's request");

    leader.abort();
    assert!(leader.await.unwrap_err().is_cancelled());
    assert_eq!(follower.await.unwrap().unwrap(), "token-2", "the follower's own request");
    assert_eq!(client.control.fetches(), 2);
    assert!(started.elapsed() < Duration::from_secs(1), "the follower did not wait for its deadline");
    assert_eq!(get(&client).await.unwrap(), "token-2");
}

/// The same with the leader's future dropped in place (not a task), in real time.
#[tokio::test]
async fn a_dropped_get_future_does_not_strand_the_next_caller() {
    let client = client_with("http://127.0.0.1:9", |builder| builder);
    client.control.then(Plan::Hang);
    let abandoned = tokio::time::timeout(Duration::from_millis(20), get(&client)).await;
    assert!(abandoned.is_err(), "the first request hangs");
    let started = Instant::now();
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn an_absolute_expiry_is_renewed_like_a_relative_one() {
    let client = client_with("http://127.0.0.1:9", |builder| builder.refresh_ahead(Duration::from_secs(300)));
    let now = support::start();
    client.control.set_plan(Plan::Issue {
        expires: Expiry::At(now + Duration::from_secs(30)),
        delay: Duration::ZERO,
    });
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(14));
    assert_eq!(get(&client).await.unwrap(), "token-1", "fresh for half its lifetime");
    client.control.clock.advance(Duration::from_secs(2));
    assert_eq!(get(&client).await.unwrap(), "token-2");
    assert_eq!(client.control.fetches(), 2);

    // Expired before it arrived: its callers use it, the next call renews.
    client.control.set_plan(Plan::Issue {
        expires: Expiry::At(now),
        delay: Duration::ZERO,
    });
    client.control.clock.advance(Duration::from_secs(3600));
    assert_eq!(get(&client).await.unwrap(), "token-3");
    assert_eq!(get(&client).await.unwrap(), "token-4");
}

#[tokio::test]
async fn a_relative_expiry_is_measured_from_when_the_request_started() {
    let client = client_with("http://127.0.0.1:9", |builder| builder);
    // The token endpoint takes 100 s to issue an hour-long token.
    client.control.set_plan(Plan::IssueLate {
        expires: Expiry::In(Duration::from_secs(3600)),
        by: Duration::from_secs(100),
    });
    assert_eq!(get(&client).await.unwrap(), "token-1");
    // 60 s before an hour after the request started, not after the token arrived.
    client.control.clock.advance(Duration::from_secs(3600 - 100 - 61));
    assert_eq!(get(&client).await.unwrap(), "token-1");
    client.control.clock.advance(Duration::from_secs(2));
    assert_eq!(get(&client).await.unwrap(), "token-2");
}
