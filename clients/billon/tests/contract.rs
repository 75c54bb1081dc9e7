//! The client against a Billon stand-in on 127.0.0.1: what goes on the wire, and how
//! each kind of answer is reported.

mod common;

use std::time::Duration;

use common::{
    client, created_response, documented_request, header, issue_tokens, opaque, received_at,
};
use http::StatusCode;
use payspec_billon::types::{ErrorType, PayoutStatus};
use payspec_billon::Error;
use payspec_tests::{assert_valid, request_validator, spec};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CREATE: &str = "/api/payment/create";
const CANCEL: &str = "/api/payment/cancel";
const AUTHENTICATE: &str = "/api/authenticate";

async fn answer(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

fn body(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[tokio::test]
async fn authenticate_sends_the_password_and_no_token() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_json(json!({"success": 1})),
    )
    .await;

    let _ = client(&server).cancel_payouts(&[1]).await.unwrap();

    let [authenticate] = received_at(&server, AUTHENTICATE).await.try_into().unwrap();
    assert_eq!(authenticate.method.as_str(), "POST");
    assert_eq!(
        header(&authenticate, "content-type"),
        Some("application/json")
    );
    assert_eq!(header(&authenticate, "x-access-token"), None);
    assert_eq!(header(&authenticate, "api-version"), None);
    let sent = body(&authenticate);
    assert_eq!(sent, json!({"apiKey": common::API_KEY}));
    assert_valid(
        &request_validator(&spec("billon"), "authenticate"),
        &sent,
        "authenticate body",
    );
}

#[tokio::test]
async fn create_payout_on_the_wire() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CREATE,
        ResponseTemplate::new(200).set_body_json(created_response()),
    )
    .await;

    let created = client(&server)
        .create_payout(&documented_request())
        .await
        .unwrap();
    assert_eq!(created.payments[0].id, 1);
    assert_eq!(created.payments[0].status, PayoutStatus::Ready);

    let [create] = received_at(&server, CREATE).await.try_into().unwrap();
    assert_eq!(create.method.as_str(), "POST");
    assert_eq!(header(&create, "x-access-token"), Some("token-1"));
    assert_eq!(header(&create, "api-version"), None);
    assert_eq!(header(&create, "authorization"), None);
    assert_eq!(header(&create, "content-type"), Some("application/json"));
    let sent = body(&create);
    assert_valid(
        &request_validator(&spec("billon"), "create_payout"),
        &sent,
        "create_payout body",
    );
    assert_eq!(sent["amount"], json!(1));
    assert_eq!(sent["startDate"], json!("2018-01-01T12:00:00Z"));
    assert_eq!(sent["referenceId"], json!("1"));
    assert_eq!(
        sent["phoneNumber"],
        json!("123456789"),
        "the phone number is sent in full"
    );
}

#[tokio::test]
async fn cancel_payouts_on_the_wire() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_json(json!({"success": 3})),
    )
    .await;

    let outcome = client(&server).cancel_payouts(&[1, 2, 3]).await.unwrap();
    assert!(outcome.is_complete());
    assert_eq!(outcome.not_cancelled(), 0);

    let [cancel] = received_at(&server, CANCEL).await.try_into().unwrap();
    assert_eq!(header(&cancel, "x-access-token"), Some("token-1"));
    assert_eq!(header(&cancel, "api-version"), None);
    let sent = body(&cancel);
    assert_eq!(sent, json!({"ids": [1, 2, 3]}));
    assert_valid(
        &request_validator(&spec("billon"), "cancel_payouts"),
        &sent,
        "cancel_payouts body",
    );
}

#[tokio::test]
async fn partial_cancel_is_reported() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_json(json!({"success": 1})),
    )
    .await;

    let outcome = client(&server).cancel_payouts(&[7, 8, 9]).await.unwrap();
    assert!(!outcome.is_complete());
    assert_eq!(outcome.requested, vec![7, 8, 9]);
    assert_eq!(outcome.cancelled, 1);
    assert_eq!(outcome.not_cancelled(), 2);
}

#[tokio::test]
async fn a_payout_without_recipient_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CREATE,
        ResponseTemplate::new(200).set_body_json(created_response()),
    )
    .await;
    let client = client(&server);

    let mut request = documented_request();
    request.user_name = None;
    request.phone_number = None;
    request.reference_id = None;
    let error = client.create_payout(&request).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("userName")),
        "{error:?}"
    );

    // Blank identifiers identify no one either.
    request.user_name = Some("  ".to_string());
    request.reference_id = Some(String::new());
    let error = client.create_payout(&request).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");

    let received = server.received_requests().await.unwrap();
    assert!(received.is_empty(), "not even authenticate: {received:?}");

    // Any one identifier is enough.
    request.user_name = None;
    request.reference_id = Some("EMP-1".to_string());
    client.create_payout(&request).await.unwrap();
    assert_eq!(received_at(&server, CREATE).await.len(), 1);
}

#[tokio::test]
async fn cancel_ids_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for ids in [&[][..], &[4, 5, 4][..]] {
        let error = client.cancel_payouts(ids).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{ids:?}: {error:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_documented_error_is_typed_with_status_and_raw_body() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    let raw = r#"{"error":{"message":"Not enough funds","type":"INSUFFICIENT_FUNDS"},"errors":[]}"#;
    answer(
        &server,
        CREATE,
        ResponseTemplate::new(400).set_body_raw(raw, "application/json"),
    )
    .await;

    let error = client(&server)
        .create_payout(&documented_request())
        .await
        .unwrap_err();
    let Error::Api {
        status,
        error: api,
        body,
    } = error
    else {
        panic!("a documented error is Error::Api: {error:?}");
    };
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(api.is_insufficient_funds());
    assert_eq!(api.message(), "Not enough funds");
    assert_eq!(body, raw.as_bytes());
    assert_eq!(
        received_at(&server, CREATE).await.len(),
        1,
        "a refusal is not repeated"
    );
}

/// The docs give no error status: an error body under 200 is an error all the same,
/// and a refusal, not an unknown outcome.
#[tokio::test]
async fn an_error_body_under_200_is_an_error() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    let raw = r#"{"error":{"message":"One of required fields is empty!","type":"INVALID_PARAMS"},"errors":[]}"#;
    answer(
        &server,
        CREATE,
        ResponseTemplate::new(200).set_body_raw(raw, "application/json"),
    )
    .await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_raw(raw, "application/json"),
    )
    .await;
    let client = client(&server);

    let error = client
        .create_payout(&documented_request())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api { status: StatusCode::OK, error, body }
            if error.error_type() == &ErrorType::InvalidParams && body == raw.as_bytes()),
        "{error:?}"
    );
    let error = client.cancel_payouts(&[1]).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Api {
                status: StatusCode::OK,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_error_body_under_200_from_authenticate_fails_authentication() {
    let server = MockServer::start().await;
    let raw = r#"{"error":{"message":"Wrong password","type":"INVALID_PARAMS"},"errors":[]}"#;
    answer(
        &server,
        AUTHENTICATE,
        ResponseTemplate::new(200).set_body_raw(raw, "application/json"),
    )
    .await;

    let error = client(&server).cancel_payouts(&[1]).await.unwrap_err();
    assert!(
        matches!(&error, Error::Auth(message) if message.contains("Wrong password")),
        "{error:?}"
    );
    assert!(received_at(&server, CANCEL).await.is_empty());
}

#[tokio::test]
async fn an_error_body_under_500_is_typed_too() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    let raw = r#"{"error":{"message":"m","type":"INVALID_PARAMS"},"errors":[]}"#;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(500).set_body_raw(raw, "application/json"),
    )
    .await;

    let error = client(&server).cancel_payouts(&[1]).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Api {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_lost_answer_to_create_is_outcome_unknown_and_not_repeated() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CREATE,
        ResponseTemplate::new(200)
            .set_body_json(created_response())
            .set_delay(Duration::from_secs(5)),
    )
    .await;

    let error = client(&server)
        .create_payout(&documented_request())
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = error else {
        panic!("a timeout on create is outcome-unknown: {error:?}");
    };
    assert_eq!(unknown.operation, "create_payout");
    assert_eq!(
        unknown.reference,
        "payout of 1 GBP to userName \"tester\", phoneNumber ****6789, referenceId \"1\" \
         in project \"Project name\", valid 2018-01-01T12:00:00+00:00 to 2018-01-02T00:00:00+00:00"
    );
    assert_eq!(received_at(&server, CREATE).await.len(), 1);
}

#[tokio::test]
async fn a_5xx_without_the_error_body_on_create_is_outcome_unknown() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CREATE,
        ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"),
    )
    .await;

    let error = client(&server)
        .create_payout(&documented_request())
        .await
        .unwrap_err();
    let Error::OutcomeUnknown(unknown) = &error else {
        panic!("{error:?}");
    };
    let cause = unknown
        .cause
        .downcast_ref::<Error>()
        .expect("the cause keeps the answer");
    assert_eq!(cause.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(cause.body().unwrap(), "<html>Bad Gateway</html>".as_bytes());
    assert_eq!(received_at(&server, CREATE).await.len(), 1);
}

#[tokio::test]
async fn a_malformed_cancel_answer_is_outcome_unknown() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_json(json!({"success": -1})),
    )
    .await;
    let error = client(&server).cancel_payouts(&[1, 2]).await.unwrap_err();
    assert!(
        matches!(&error, Error::OutcomeUnknown(unknown) if unknown.reference == "payout ids [1, 2]"),
        "{error:?}"
    );

    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_string("{\"succ"),
    )
    .await;
    let error = client(&server).cancel_payouts(&[1]).await.unwrap_err();
    assert!(matches!(&error, Error::OutcomeUnknown(_)), "{error:?}");
}

#[tokio::test]
async fn the_base_url_is_the_callers() {
    let server = MockServer::start().await;
    issue_tokens(&server, opaque, Duration::ZERO).await;
    answer(
        &server,
        CANCEL,
        ResponseTemplate::new(200).set_body_json(json!({"success": 1})),
    )
    .await;
    // A trailing slash does not double the path's.
    let client = payspec_billon::Client::new(
        &format!("{}/", server.uri()),
        payspec_billon::ApiKey::new("k"),
    )
    .unwrap();
    let _ = client.cancel_payouts(&[1]).await.unwrap();
    assert_eq!(received_at(&server, CANCEL).await.len(), 1);

    let error =
        payspec_billon::Client::new("not a url", payspec_billon::ApiKey::new("k")).unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}
