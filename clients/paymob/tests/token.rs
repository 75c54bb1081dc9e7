//! The token lifecycle on the wire: the form-encoded grant with HTTP Basic client
//! authentication, refresh before the 60-minute expiry, the fallback to the password
//! grant, one token request for many callers, and one repeat after a rejected token.

mod support;

use std::collections::BTreeMap;

use payspec_paymob::types::{DisbursementResponseStatusCode, TokenErrorResponseError};
use payspec_paymob::{ApiError, Error, HttpFailure};
use serde_json::{json, Value};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn the_password_grant_is_a_form_with_basic_client_authentication() {
    let server = MockServer::start().await;
    mount_password_grant(&server, "access-1", "refresh-1").await;
    let client = client(&server);

    let token = client.access_token().await.expect("a token");
    assert_eq!(token.access_token.expose(), "access-1");

    let requests = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        header(request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header(request, "authorization"), Some(BASIC));
    assert_eq!(
        header(request, "api-version"),
        None,
        "the generator's header is stripped"
    );
    // Exactly the documented fields: the client credentials travel in the header only.
    assert_eq!(
        form(request),
        fields(&[
            ("grant_type", "password"),
            ("username", USERNAME),
            ("password", PASSWORD)
        ])
    );
    let body: Value = form(request)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let spec = payspec_tests::spec("paymob");
    payspec_tests::assert_valid(
        &payspec_tests::request_validator(&spec, "generate_token"),
        &body,
        "the password grant",
    );
}

#[tokio::test]
async fn the_token_is_refreshed_with_its_refresh_token_before_it_expires() {
    let server = MockServer::start().await;
    mount_password_grant(&server, "access-1", "refresh-1").await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "refresh_token"))
        .and(FormField("refresh_token", "refresh-1"))
        .respond_with(issued("access-2", "refresh-2"))
        .mount(&server)
        .await;
    mount_disbursement_success(&server).await;
    let (client, clock) = client_with_clock(&server);

    client.disburse(disbursement("10.00")).await.expect("first");
    clock.advance(minutes(54));
    client
        .disburse(disbursement("10.00"))
        .await
        .expect("second, same token");
    assert_eq!(
        requests_to(&server, TOKEN_PATH).await.len(),
        1,
        "54 minutes in, the token is fresh"
    );

    // 56 minutes: within the five-minute margin before the 60-minute expiry.
    clock.advance(minutes(2));
    client
        .disburse(disbursement("10.00"))
        .await
        .expect("third, renewed token");

    let tokens = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 2);
    assert_eq!(header(&tokens[1], "authorization"), Some(BASIC));
    assert_eq!(
        form(&tokens[1]),
        fields(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "refresh-1")
        ])
    );
    assert_eq!(
        bearers(&server).await,
        ["Bearer access-1", "Bearer access-1", "Bearer access-2"]
    );
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_the_password_grant() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "password"))
        .respond_with(issued("access-1", "refresh-1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_password_grant(&server, "access-3", "refresh-3").await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "refresh_token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "Invalid credentials given."
        })))
        .mount(&server)
        .await;
    mount_disbursement_success(&server).await;
    let (client, clock) = client_with_clock(&server);

    client.disburse(disbursement("10.00")).await.expect("first");
    clock.advance(minutes(58));
    client
        .disburse(disbursement("10.00"))
        .await
        .expect("second, after the fallback");

    let grants: Vec<String> = requests_to(&server, TOKEN_PATH)
        .await
        .iter()
        .map(|request| form(request)["grant_type"].clone())
        .collect();
    assert_eq!(grants, ["password", "refresh_token", "password"]);
    assert_eq!(
        bearers(&server).await,
        ["Bearer access-1", "Bearer access-3"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_share_one_token_request_and_one_refresh() {
    let server = MockServer::start().await;
    // Slow token answers, so every caller arrives while the first request is in flight.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "password"))
        .respond_with(
            issued("access-1", "refresh-1").set_delay(std::time::Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "refresh_token"))
        .respond_with(
            issued("access-2", "refresh-2").set_delay(std::time::Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    mount_disbursement_success(&server).await;
    let (client, clock) = client_with_clock(&server);

    let disburse_all = || {
        let calls: Vec<_> = (0..16)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.disburse(disbursement("1.00")).await })
            })
            .collect();
        async move {
            for call in calls {
                call.await.expect("task").expect("disbursed");
            }
        }
    };
    disburse_all().await;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);

    clock.advance(minutes(59));
    disburse_all().await;
    let tokens = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 2, "one refresh for 16 callers");
    assert_eq!(form(&tokens[1])["grant_type"], "refresh_token");
    let bearers = bearers(&server).await;
    assert_eq!(bearers.len(), 32);
    assert!(bearers[16..]
        .iter()
        .all(|bearer| bearer == "Bearer access-2"));
}

#[tokio::test]
async fn expires_in_as_a_string_sets_the_lifetime() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "access-1",
            "expires_in": "600",
            "token_type": "Bearer"
        })))
        .mount(&server)
        .await;
    let (client, clock) = client_with_clock(&server);

    client.access_token().await.expect("token");
    clock.advance(minutes(4));
    client.access_token().await.expect("token");
    assert_eq!(
        requests_to(&server, TOKEN_PATH).await.len(),
        1,
        "fresh 4 minutes into 10"
    );

    clock.advance(minutes(2));
    client.access_token().await.expect("token");
    let tokens = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 2, "renewed 6 minutes into 10");
    assert_eq!(
        form(&tokens[1])["grant_type"],
        "password",
        "no refresh token was issued"
    );
}

#[tokio::test]
async fn an_expires_in_that_is_not_seconds_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "access-1",
            "expires_in": "an hour",
            "token_type": "Bearer"
        })))
        .mount(&server)
        .await;

    let error = client(&server)
        .access_token()
        .await
        .expect_err("unusable lifetime");
    assert!(
        matches!(&error, Error::Auth(message) if message.contains("an hour")),
        "{error:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_a_typed_token_error_and_nothing_is_disbursed() {
    let server = MockServer::start().await;
    let refused =
        r#"{"error": "invalid_grant", "error_description": "Invalid credentials given."}"#;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_raw(refused, "application/json"))
        .mount(&server)
        .await;
    mount_disbursement_success(&server).await;

    let error = client(&server)
        .disburse(disbursement("10.00"))
        .await
        .expect_err("refused");
    match &error {
        Error::Api {
            status,
            error: ApiError::Token(token_error),
            body,
        } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(token_error.error, TokenErrorResponseError::InvalidGrant);
            assert_eq!(
                token_error.error_description.as_deref(),
                Some("Invalid credentials given.")
            );
            assert_eq!(body.as_ref(), refused.as_bytes());
        }
        other => panic!("expected a token error, got {other:?}"),
    }
    assert!(requests_to(&server, DISBURSE_PATH).await.is_empty());
}

#[tokio::test]
async fn a_token_endpoint_server_error_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .mount(&server)
        .await;

    let error = client(&server).access_token().await.expect_err("no token");
    assert!(
        matches!(
            &error,
            Error::Api { error: ApiError::Http(HttpFailure::ServerError(status)), body, .. }
                if status.as_u16() == 502 && body.as_ref() == b"<html>Bad Gateway</html>"
        ),
        "{error:?}"
    );
}

/// The documented "Token is expired" body, under HTTP 200 or 401: the token is renewed
/// and the disbursement sent once more, with the new token.
#[tokio::test]
async fn a_rejected_token_is_renewed_and_the_disbursement_sent_once_more() {
    for http_status in [200, 401] {
        let server = MockServer::start().await;
        mount_password_grant(&server, "access-1", "refresh-1").await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .and(FormField("grant_type", "refresh_token"))
            .respond_with(issued("access-2", "refresh-2"))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(DISBURSE_PATH))
            .respond_with(ResponseTemplate::new(http_status).set_body_json(json!({
                "disbursement_status": "failed",
                "status_description": "Authentication credentials were not provided.",
                "status_code": "401"
            })))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        mount_disbursement_success(&server).await;

        let response = client(&server)
            .disburse(disbursement("10.00"))
            .await
            .expect("disbursed");
        assert_eq!(response.status_code, DisbursementResponseStatusCode::X200);
        assert_eq!(
            bearers(&server).await,
            ["Bearer access-1", "Bearer access-2"],
            "HTTP {http_status}"
        );
    }
}

#[tokio::test]
async fn a_token_rejected_twice_is_an_error_after_exactly_two_sends() {
    let server = MockServer::start().await;
    mount_password_grant(&server, "access-1", "refresh-1").await;
    Mock::given(method("POST"))
        .and(path(DISBURSE_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "disbursement_status": "failed",
            "status_description": "Authentication credentials were not provided.",
            "status_code": "401"
        })))
        .mount(&server)
        .await;

    let error = client(&server)
        .disburse(disbursement("10.00"))
        .await
        .expect_err("rejected");
    assert!(
        matches!(
            &error,
            Error::Api { status, error: ApiError::Disbursement(failed), .. }
                if status.as_u16() == 401
                    && failed.status_code == DisbursementResponseStatusCode::X401
        ),
        "{error:?}"
    );
    assert_eq!(requests_to(&server, DISBURSE_PATH).await.len(), 2);
}
