//! The token lifecycle on the wire: one `authenticate` shared by concurrent calls, the
//! token reused until shortly before it expires (its JWT `exp`, else 24 hours), and one
//! repeat with a new token after a 401/403.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{
    client, client_with_clock, documented_request, header, issue_tokens, jwt, jwt_expiring, opaque,
    received_at, start,
};
use http::StatusCode;
use payspec_billon::{Error, DEFAULT_REFRESH_AHEAD, TOKEN_LIFETIME};
use payspec_core::token::ManualClock;
use serde_json::json;
use wiremock::matchers::{header as header_is, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CANCEL: &str = "/api/payment/cancel";
const CREATE: &str = "/api/payment/create";
const AUTHENTICATE: &str = "/api/authenticate";

async fn cancel_succeeds(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(CANCEL))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": 1})))
        .mount(server)
        .await;
}

/// The token each cancel call carried, in order.
async fn tokens_sent(server: &MockServer) -> Vec<String> {
    received_at(server, CANCEL)
        .await
        .iter()
        .map(|request| {
            header(request, "x-access-token")
                .expect("a token")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn fifty_concurrent_calls_share_one_authenticate() {
    let server = MockServer::start().await;
    // Slow enough that every call finds the token still being fetched.
    let issued = issue_tokens(&server, opaque, Duration::from_millis(200)).await;
    Mock::given(method("POST"))
        .and(path(CREATE))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::created_response()))
        .mount(&server)
        .await;
    let client = client(&server);

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        calls.spawn(async move { client.create_payout(&documented_request()).await });
    }
    while let Some(result) = calls.join_next().await {
        result.expect("task").expect("create");
    }

    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(received_at(&server, AUTHENTICATE).await.len(), 1);
    let creates = received_at(&server, CREATE).await;
    assert_eq!(creates.len(), 50);
    assert!(creates
        .iter()
        .all(|request| header(request, "x-access-token") == Some("token-1")));
}

/// The docs' token has no `exp` (payload `{"example":"JWT"}`): it lives 24 hours from
/// issue and is replaced [`DEFAULT_REFRESH_AHEAD`] before that.
#[tokio::test]
async fn a_token_without_exp_is_reused_for_24_hours() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    cancel_succeeds(&server).await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client_with_clock(&server, &clock);

    let _ = client.cancel_payouts(&[1]).await.unwrap();
    clock.advance(TOKEN_LIFETIME - DEFAULT_REFRESH_AHEAD - Duration::from_secs(1));
    let _ = client.cancel_payouts(&[1]).await.unwrap();
    clock.advance(Duration::from_secs(2));
    let _ = client.cancel_payouts(&[1]).await.unwrap();

    assert_eq!(
        tokens_sent(&server).await,
        ["token-1", "token-1", "token-2"]
    );
    assert_eq!(TOKEN_LIFETIME, Duration::from_secs(24 * 60 * 60));
}

/// A JWT's `exp` decides, also when it is sooner than 24 hours.
#[tokio::test]
async fn a_jwt_is_refreshed_ahead_of_its_exp() {
    let server = MockServer::start().await;
    issue_tokens(
        &server,
        |serial| jwt_expiring(Duration::from_secs(3600) * serial as u32, serial),
        Duration::ZERO,
    )
    .await;
    cancel_succeeds(&server).await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client_with_clock(&server, &clock);

    let _ = client.cancel_payouts(&[1]).await.unwrap();
    clock.advance(Duration::from_secs(3600) - DEFAULT_REFRESH_AHEAD - Duration::from_secs(1));
    let _ = client.cancel_payouts(&[1]).await.unwrap();
    clock.advance(Duration::from_secs(2));
    let _ = client.cancel_payouts(&[1]).await.unwrap();

    let sent = tokens_sent(&server).await;
    assert_eq!(sent[0], jwt_expiring(Duration::from_secs(3600), 1));
    assert_eq!(sent[1], sent[0]);
    assert_eq!(sent[2], jwt_expiring(Duration::from_secs(7200), 2));
}

#[tokio::test]
async fn a_jwt_without_exp_falls_back_to_24_hours() {
    let server = MockServer::start().await;
    issue_tokens(
        &server,
        |serial| jwt(&json!({ "id": serial })),
        Duration::ZERO,
    )
    .await;
    cancel_succeeds(&server).await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client_with_clock(&server, &clock);

    let _ = client.cancel_payouts(&[1]).await.unwrap();
    clock.advance(Duration::from_secs(23 * 3600));
    let _ = client.cancel_payouts(&[1]).await.unwrap();
    clock.advance(Duration::from_secs(3600));
    let _ = client.cancel_payouts(&[1]).await.unwrap();

    assert_eq!(received_at(&server, AUTHENTICATE).await.len(), 2);
}

async fn create_rejects_token(server: &MockServer, token: &str, status: u16) {
    Mock::given(method("POST"))
        .and(path(CREATE))
        .and(header_is("x-access-token", token))
        .respond_with(ResponseTemplate::new(status))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_rejected_token_is_replaced_and_the_call_repeated_once() {
    for status in [401, 403] {
        let server = MockServer::start().await;
        issue_tokens(&server, opaque, Duration::ZERO).await;
        create_rejects_token(&server, "token-1", status).await;
        Mock::given(method("POST"))
            .and(path(CREATE))
            .and(header_is("x-access-token", "token-2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(common::created_response()))
            .mount(&server)
            .await;
        let client = client(&server);

        let created = client.create_payout(&documented_request()).await.unwrap();
        assert_eq!(created.payments[0].id, 1, "HTTP {status}");
        let creates = received_at(&server, CREATE).await;
        let tokens: Vec<_> = creates
            .iter()
            .map(|request| header(request, "x-access-token"))
            .collect();
        assert_eq!(tokens, [Some("token-1"), Some("token-2")], "HTTP {status}");
        assert_eq!(
            creates[0].body, creates[1].body,
            "the same payout, sent again"
        );

        // The new token is kept for later calls.
        client.create_payout(&documented_request()).await.unwrap();
        assert_eq!(received_at(&server, AUTHENTICATE).await.len(), 2);
    }
}

#[tokio::test]
async fn a_second_rejection_is_returned_not_repeated() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    create_rejects_token(&server, "token-1", 401).await;
    create_rejects_token(&server, "token-2", 401).await;

    let error = client(&server)
        .create_payout(&documented_request())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED), "{error:?}");
    assert!(
        !matches!(error, Error::OutcomeUnknown(_)),
        "a 401 is a refusal: {error:?}"
    );
    assert_eq!(received_at(&server, CREATE).await.len(), 2);
    assert_eq!(received_at(&server, AUTHENTICATE).await.len(), 2);
}

#[tokio::test]
async fn other_failures_of_create_are_never_repeated() {
    for status in [400, 404, 429, 500, 503] {
        let server = MockServer::start().await;
        issue_tokens(&server, opaque, Duration::ZERO).await;
        create_rejects_token(&server, "token-1", status).await;
        let _ = client(&server)
            .create_payout(&documented_request())
            .await
            .unwrap_err();
        assert_eq!(received_at(&server, CREATE).await.len(), 1, "HTTP {status}");
        assert_eq!(
            received_at(&server, AUTHENTICATE).await.len(),
            1,
            "HTTP {status}"
        );
    }
}

#[tokio::test]
async fn a_failed_authenticate_sends_no_payout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(AUTHENTICATE))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": {"message": "Invalid authentication password", "type": "INVALID_PARAMS"}, "errors": []}),
        ))
        .mount(&server)
        .await;

    let error = client(&server)
        .create_payout(&documented_request())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Auth(message) if message.contains("Invalid authentication password")),
        "{error:?}"
    );
    assert!(received_at(&server, CREATE).await.is_empty());
}

/// `authenticate` is declared retry-safe: a 5xx from it is repeated by the transport,
/// and the payout is sent once, with the token that was finally issued.
#[tokio::test]
async fn a_transient_authenticate_failure_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(AUTHENTICATE))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    cancel_succeeds(&server).await;

    let _ = client(&server).cancel_payouts(&[1]).await.unwrap();
    assert_eq!(received_at(&server, AUTHENTICATE).await.len(), 2);
    assert_eq!(tokens_sent(&server).await, ["token-1"]);
}
