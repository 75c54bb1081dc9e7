//! The payment token: obtained once for many concurrent calls, renewed before expiry,
//! and renewed once (with one repeat of the call) when MediaCube answers 401.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use payspec_core::token::ManualClock;
use payspec_mediacube::{Client, Error};
use support::{
    authorization, batch_answer, credentials, docs_payout_batch, docs_request_id, received_on,
    start, token_endpoint,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn payout_accepted() -> Mock {
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_answer(
            docs_request_id(),
            2,
            None,
        )))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_payouts_without_a_token_cause_one_token_request() {
    let (server, client) = start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(
                    serde_json::json!({ "access_token": "payment-token-1", "expires_in": 3600 }),
                )
                // Slow, so every payout is waiting for the token while it is issued.
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    payout_accepted().mount(&server).await;

    let client = Arc::new(client);
    let payouts: Vec<_> = (0..50)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move { client.create_payout(docs_payout_batch()).await })
        })
        .collect();
    for payout in payouts {
        payout.await.expect("task").expect("accepted");
    }

    assert_eq!(received_on(&server, "/oauth/token").await.len(), 1);
    let payments = received_on(&server, "/payments").await;
    assert_eq!(payments.len(), 50);
    assert!(payments
        .iter()
        .all(|request| authorization(request) == Some("Bearer payment-token-1")));
}

/// A token endpoint that issues `payment-token-1`, then `payment-token-2`.
async fn mount_two_tokens(server: &MockServer) {
    token_endpoint("payment-token-1")
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    token_endpoint("payment-token-2").mount(server).await;
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_repeats_the_batch_once_unchanged() {
    let (server, client) = start().await;
    mount_two_tokens(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("authorization", "Bearer payment-token-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({ "message": "Unauthenticated." })),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("authorization", "Bearer payment-token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_answer(
            docs_request_id(),
            2,
            None,
        )))
        .mount(&server)
        .await;

    let accepted = client
        .create_payout(docs_payout_batch())
        .await
        .expect("accepted after renewal");

    assert_eq!(accepted.request_id, docs_request_id());
    assert_eq!(received_on(&server, "/oauth/token").await.len(), 2);
    let payments = received_on(&server, "/payments").await;
    assert_eq!(payments.len(), 2);
    assert_eq!(
        payments[0].body, payments[1].body,
        "the same batch, same request_id"
    );
}

#[tokio::test]
async fn a_second_401_is_returned_after_exactly_one_repeat() {
    let (server, client) = start().await;
    mount_two_tokens(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments/regional"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({ "message": "Unauthenticated." })),
        )
        .mount(&server)
        .await;

    let failed = client
        .create_regional_payout(docs_payout_batch())
        .await
        .expect_err("401");

    // A 401 means nothing was processed: a plain API error, not outcome-unknown.
    assert!(
        matches!(failed.error, Error::Api { status, .. } if status == 401),
        "{failed:?}"
    );
    assert_eq!(received_on(&server, "/oauth/token").await.len(), 2);
    assert_eq!(received_on(&server, "/payments/regional").await.len(), 2);
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_it_expires() {
    let server = MockServer::start().await;
    let clock = Arc::new(ManualClock::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    ));
    let client = Client::builder(&server.uri(), credentials())
        .clock(clock.clone())
        .refresh_ahead(Duration::from_secs(60))
        .build()
        .unwrap();
    mount_two_tokens(&server).await;
    payout_accepted().mount(&server).await;

    client
        .create_payout(docs_payout_batch())
        .await
        .expect("first");
    clock.advance(Duration::from_secs(3500));
    client
        .create_payout(docs_payout_batch())
        .await
        .expect("still fresh");
    assert_eq!(received_on(&server, "/oauth/token").await.len(), 1);

    clock.advance(Duration::from_secs(60));
    client
        .create_payout(docs_payout_batch())
        .await
        .expect("renewed");

    assert_eq!(received_on(&server, "/oauth/token").await.len(), 2);
    let payments = received_on(&server, "/payments").await;
    let tokens: Vec<_> = payments.iter().map(authorization).collect();
    assert_eq!(
        tokens,
        [
            Some("Bearer payment-token-1"),
            Some("Bearer payment-token-1"),
            Some("Bearer payment-token-2")
        ]
    );
}
