//! Neither the Authentication password nor the token ever shows in `Debug` output.

mod common;

use std::time::Duration;

use common::{client, issue_tokens, received_at, API_KEY};
use payspec_billon::types::{AuthenticateRequest, AuthenticateResponse};
use payspec_billon::{ApiKey, Client};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "issued-token-value";

fn assert_hidden(shown: &str) {
    assert!(!shown.contains(API_KEY), "password leaked: {shown}");
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
}

#[tokio::test]
async fn debug_shows_no_password_or_token() {
    let server = MockServer::start().await;
    issue_tokens(&server, |_| TOKEN.to_string(), Duration::ZERO).await;
    Mock::given(method("POST"))
        .and(path("/api/payment/cancel"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": 1})))
        .mount(&server)
        .await;
    let client = client(&server);
    let _ = client.cancel_payouts(&[1]).await.unwrap();
    // The token is cached now, and it is the one on the wire.
    let [cancel] = received_at(&server, "/api/payment/cancel")
        .await
        .try_into()
        .unwrap();
    assert_eq!(cancel.headers.get("x-access-token").unwrap(), TOKEN);

    let shown = format!("{client:?} {client:#?}");
    assert!(shown.contains("Client"), "{shown}");
    assert_hidden(&shown);
    assert_hidden(&format!(
        "{:?}",
        Client::builder(&server.uri(), ApiKey::new(API_KEY))
    ));
    assert_hidden(&format!(
        "{:?}",
        AuthenticateRequest {
            api_key: ApiKey::new(API_KEY)
        }
    ));
    let response: AuthenticateResponse = serde_json::from_value(json!({ "token": TOKEN })).unwrap();
    assert_hidden(&format!("{response:?}"));
}

#[test]
fn the_phone_number_shows_only_its_last_four_digits() {
    let shown = format!("{:?}", common::documented_request());
    assert!(shown.contains("****6789"), "{shown}");
    assert!(!shown.contains("123456789"), "{shown}");
}
