//! Every operation against a local server: method, path, headers and the JSON body on
//! the wire (checked against the spec's request schema), and what each answer becomes.

mod support;

use std::time::Duration;

use payspec_core::secret::AuthorizationCode;
use payspec_mediacube::{Client, Error, ErrorCode, Limits, PaymentBatch};
use payspec_tests::{assert_valid, request_validator, spec};
use serde_json::{json, Value};
use support::{
    authorization, batch_answer, credentials, docs_payout_batch, docs_request_id, payment,
    received_on, start, token_endpoint,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// The documented request example `name` of `operation`.
fn documented_request(operation: &str, name: &str) -> Value {
    payspec_tests::examples(&spec("mediacube"))
        .into_iter()
        .find(|example| example.operation == operation && example.name == name)
        .unwrap_or_else(|| panic!("no example {name} of {operation}"))
        .value
}

/// The documented response example `name` of `operation` under `status`.
fn documented_response(operation: &str, status: &str, name: &str) -> Value {
    payspec_tests::examples(&spec("mediacube"))
        .into_iter()
        .find(|example| {
            example.operation == operation
                && example.kind == payspec_tests::ExampleKind::Response(status.to_string())
                && example.name == name
        })
        .unwrap_or_else(|| panic!("no example {name} of {operation} {status}"))
        .value
}

/// The one request on `on`: a JSON POST valid for `operation`, returned as JSON.
async fn only_json_post(
    server: &wiremock::MockServer,
    on: &str,
    operation: &str,
) -> (Value, Option<String>) {
    let requests = received_on(server, on).await;
    assert_eq!(requests.len(), 1, "requests on {on}");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert!(
        request.headers.get("api-version").is_none(),
        "generator header stripped"
    );
    let body: Value = request.body_json().expect("JSON body");
    assert_valid(
        &request_validator(&spec("mediacube"), operation),
        &body,
        operation,
    );
    (body, authorization(request).map(str::to_string))
}

async fn assert_partner_token_request(server: &wiremock::MockServer) {
    let (body, auth) = only_json_post(server, "/oauth/token", "issue_token").await;
    assert_eq!(body, documented_request("issue_token", "partner"));
    assert_eq!(auth, None, "the token request authenticates with its body");
}

#[tokio::test]
async fn payout_sends_the_documented_body_with_the_payment_token() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(documented_response(
                "create_payout",
                "200",
                "success",
            )),
        )
        .mount(&server)
        .await;

    let accepted = client
        .create_payout(docs_payout_batch())
        .await
        .expect("accepted");

    assert_eq!(accepted.request_id, docs_request_id());
    assert_eq!(accepted.result.transactions.len(), 2);
    assert_eq!(
        accepted.result.transactions[1].invoice_path.as_deref(),
        Some("/api/transactions/2/invoice")
    );
    assert_partner_token_request(&server).await;
    let (body, auth) = only_json_post(&server, "/payments", "create_payout").await;
    assert_eq!(body, documented_request("create_payout", "payout"));
    assert_eq!(
        body["data"][0]["amount"],
        json!("10.0000000001"),
        "amount as an exact string"
    );
    assert_eq!(auth.as_deref(), Some("Bearer payment-token-1"));
    assert!(
        !format!("{client:?}").contains("payment-token-1"),
        "a cached token is not in Debug"
    );
}

#[tokio::test]
async fn debit_sends_the_documented_body_to_payments_debit() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments/debit"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(documented_response(
                "create_debit_payment",
                "200",
                "success",
            )),
        )
        .mount(&server)
        .await;
    let batch = PaymentBatch::with_request_id(
        "715f685f-03f4-442a-a49f-add9a9f88ac0".parse().unwrap(),
        vec![
            payment("15.0000000001", "3333444455556666", "Test payment 3"),
            payment("8.3", "6666777788889999", "Test payment 4"),
        ],
    );

    let accepted = client.create_debit_payment(batch).await.expect("accepted");

    assert_eq!(
        accepted.request_id.to_string(),
        "715f685f-03f4-442a-a49f-add9a9f88ac0"
    );
    assert_partner_token_request(&server).await;
    let (body, auth) = only_json_post(&server, "/payments/debit", "create_debit_payment").await;
    assert_eq!(body, documented_request("create_debit_payment", "debit"));
    assert_eq!(auth.as_deref(), Some("Bearer payment-token-1"));
}

#[tokio::test]
async fn regional_payout_sends_the_documented_body_to_payments_regional() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments/regional"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(documented_response(
                "create_regional_payout",
                "200",
                "success",
            )),
        )
        .mount(&server)
        .await;

    let accepted = client
        .create_regional_payout(docs_payout_batch())
        .await
        .expect("accepted");

    assert_eq!(accepted.result.transactions.len(), 2);
    assert!(accepted.result.company.is_empty());
    assert_partner_token_request(&server).await;
    let (body, auth) =
        only_json_post(&server, "/payments/regional", "create_regional_payout").await;
    assert_eq!(
        body,
        documented_request("create_regional_payout", "regional_payout")
    );
    assert_eq!(auth.as_deref(), Some("Bearer payment-token-1"));
}

#[tokio::test]
async fn exchange_code_sends_the_documented_authorization_code_grant() {
    let (server, client) = start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": 31536000,
            "access_token": "user-token",
            "refresh_token": "user-refresh",
            "unknown_field": true,
        })))
        .mount(&server)
        .await;

    let token = client
        .exchange_code(
            AuthorizationCode::new("<code>"),
            "https://example.com/callback",
        )
        .await
        .expect("token");

    assert_eq!(
        token.access_token.as_ref().map(|t| t.expose()),
        Some("user-token")
    );
    assert_eq!(token.expires_in, Some(31536000));
    let (body, auth) = only_json_post(&server, "/oauth/token", "issue_token").await;
    assert_eq!(
        body,
        documented_request("issue_token", "authorization_code")
    );
    assert_eq!(auth, None);
}

#[tokio::test]
async fn refused_code_exchange_is_a_typed_token_error() {
    let (server, client) = start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "The authorization code has expired.",
        })))
        .mount(&server)
        .await;

    let error = client
        .exchange_code(
            AuthorizationCode::new("<code>"),
            "https://example.com/callback",
        )
        .await
        .expect_err("refused");

    let Error::Api {
        status,
        error,
        body,
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status, 400);
    assert!(error.to_string().contains("invalid_grant"), "{error}");
    assert!(body.starts_with(b"{"), "raw body kept");
}

#[tokio::test]
async fn status_3_under_http_200_is_an_error_with_its_code_never_a_success() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_answer(
            docs_request_id(),
            3,
            Some(3000),
        )))
        .mount(&server)
        .await;

    let failed = client
        .create_payout(docs_payout_batch())
        .await
        .expect_err("status 3");

    assert_eq!(failed.request_id, docs_request_id());
    assert_eq!(failed.code(), Some(ErrorCode::InsufficientFunds));
    let Error::Api { status, body, .. } = &failed.error else {
        panic!("{failed:?}")
    };
    assert_eq!(*status, 200);
    let body: Value = serde_json::from_slice(body).expect("evidence is JSON");
    assert_eq!(body["data"]["err_msg"], json!(3000));
    assert_eq!(
        received_on(&server, "/payments").await.len(),
        1,
        "not repeated"
    );
}

#[tokio::test]
async fn regional_error_under_http_4xx_keeps_code_and_raw_body() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    let mut answer = documented_response("create_regional_payout", "4XX", "error");
    answer["data"]["err_msg"] = json!(9000);
    let raw = serde_json::to_vec(&answer).unwrap();
    Mock::given(method("POST"))
        .and(path("/payments/regional"))
        .respond_with(ResponseTemplate::new(422).set_body_raw(raw.clone(), "application/json"))
        .mount(&server)
        .await;

    let failed = client
        .create_regional_payout(docs_payout_batch())
        .await
        .expect_err("refused");

    assert_eq!(failed.code(), Some(ErrorCode::RegionalPartnerNotFound));
    let Error::Api {
        status,
        body,
        error,
    } = &failed.error
    else {
        panic!("{failed:?}")
    };
    assert_eq!(*status, 422);
    assert_eq!(body.as_ref(), raw.as_slice());
    assert!(
        error.to_string().contains("Regional partner not found"),
        "{error}"
    );
}

#[tokio::test]
async fn a_batch_without_a_given_request_id_gets_one_and_returns_it() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    let batch = PaymentBatch::new(vec![payment("1.5", "1111222233334444", "one")]);
    let request_id = batch.request_id();
    assert_eq!(request_id.get_version_num(), 4);
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_answer(
            request_id,
            3,
            Some(4000),
        )))
        .mount(&server)
        .await;

    let failed = client.create_payout(batch).await.expect_err("status 3");

    assert_eq!(failed.request_id, request_id);
    assert_eq!(failed.code(), Some(ErrorCode::Internal));
    let (body, _) = only_json_post(&server, "/payments", "create_payout").await;
    assert_eq!(body["request_id"], json!(request_id.to_string()));
    assert_ne!(
        PaymentBatch::new(Vec::new()).request_id(),
        PaymentBatch::new(Vec::new()).request_id(),
        "each batch gets its own request_id"
    );
}

#[tokio::test]
async fn an_undocumented_batch_status_is_outcome_unknown_with_the_request_id() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments/debit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_answer(
            docs_request_id(),
            1,
            None,
        )))
        .mount(&server)
        .await;

    let failed = client
        .create_debit_payment(docs_payout_batch())
        .await
        .expect_err("status 1");

    let Error::OutcomeUnknown(unknown) = &failed.error else {
        panic!("{failed:?}")
    };
    assert_eq!(unknown.operation, "create_debit_payment");
    assert_eq!(unknown.reference, docs_request_id().to_string());
    assert!(
        unknown.cause.to_string().contains("data.status 1"),
        "{}",
        unknown.cause
    );
}

#[tokio::test]
async fn a_5xx_is_outcome_unknown_and_is_not_repeated() {
    let (server, client) = start().await;
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(504).set_body_string("gateway timeout"))
        .mount(&server)
        .await;

    let failed = client
        .create_payout(docs_payout_batch())
        .await
        .expect_err("504");

    let Error::OutcomeUnknown(unknown) = &failed.error else {
        panic!("{failed:?}")
    };
    assert_eq!(unknown.reference, docs_request_id().to_string());
    let cause = unknown
        .cause
        .downcast_ref::<payspec_mediacube::UndescribedStatus>()
        .expect("status and body kept");
    assert_eq!(cause.status, 504);
    assert_eq!(cause.body.as_ref(), b"gateway timeout");
    assert_eq!(
        received_on(&server, "/payments").await.len(),
        1,
        "never repeated"
    );
}

#[tokio::test]
async fn a_timed_out_payout_is_outcome_unknown_and_is_not_repeated() {
    let server = wiremock::MockServer::start().await;
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let client = Client::builder(&server.uri(), credentials())
        .limits(limits)
        .build()
        .unwrap();
    token_endpoint("payment-token-1").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(batch_answer(docs_request_id(), 2, None))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;

    let failed = tokio::time::timeout(
        Duration::from_secs(5),
        client.create_payout(docs_payout_batch()),
    )
    .await
    .expect("bounded")
    .expect_err("timed out");

    let Error::OutcomeUnknown(unknown) = &failed.error else {
        panic!("{failed:?}")
    };
    assert_eq!(unknown.operation, "create_payout");
    assert_eq!(unknown.reference, docs_request_id().to_string());
    assert_eq!(
        received_on(&server, "/payments").await.len(),
        1,
        "never repeated"
    );
}

#[tokio::test]
async fn an_empty_batch_is_refused_before_anything_is_sent() {
    let (server, client) = start().await;

    let failed = client
        .create_payout(PaymentBatch::new(Vec::new()))
        .await
        .expect_err("empty");

    assert!(
        matches!(failed.error, Error::InvalidRequest(_)),
        "{failed:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn refused_partner_credentials_fail_before_the_batch_is_sent() {
    let (server, client) = start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({ "error": "invalid_client" })),
        )
        .mount(&server)
        .await;

    let failed = client
        .create_payout(docs_payout_batch())
        .await
        .expect_err("no token");

    let Error::Auth(message) = &failed.error else {
        panic!("{failed:?}")
    };
    assert!(message.contains("invalid_client"), "{message}");
    assert!(!message.contains("<secret>"));
    assert_eq!(failed.request_id, docs_request_id());
    assert!(received_on(&server, "/payments").await.is_empty());
}
