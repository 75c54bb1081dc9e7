//! Disbursements against a local server: what goes on the wire, and what every kind of
//! answer becomes (success, documented failure under HTTP 200, the docs' general HTTP
//! statuses, and the answers that leave the outcome unknown).

mod support;

use std::time::Duration;

use payspec_paymob::types::{
    DisbursementResponseDisbursementStatus, DisbursementResponseStatusCode,
};
use payspec_paymob::{ApiError, Error, HttpFailure};
use serde_json::{json, Value};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server with a working token endpoint that answers every disbursement with `answer`.
async fn server_answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount_password_grant(&server, "access-1", "refresh-1").await;
    Mock::given(method("POST"))
        .and(path(DISBURSE_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_disbursement_on_the_wire_is_json_with_the_bearer_token_and_the_exact_amount() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;

    let response = client(&server)
        .disburse(disbursement("10.0000000001"))
        .await
        .expect("disbursed");
    assert_eq!(
        response.disbursement_status,
        DisbursementResponseDisbursementStatus::Success
    );

    let requests = requests_to(&server, DISBURSE_PATH).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(request, "authorization"), Some("Bearer access-1"));
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(header(request, "api-version"), None);
    let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(
        body,
        json!({"msisdn": MSISDN, "amount": "10.0000000001", "pin": PIN, "fees": "Half"})
    );
    let spec = payspec_tests::spec("paymob");
    payspec_tests::assert_valid(
        &payspec_tests::request_validator(&spec, "create_disbursement"),
        &body,
        "the disbursement request",
    );
}

#[tokio::test]
async fn optional_fields_are_left_out() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let mut request = disbursement("800.00");
    request.pin = None;
    request.fees = None;

    client(&server).disburse(request).await.expect("disbursed");

    let sent: Value =
        serde_json::from_slice(&requests_to(&server, DISBURSE_PATH).await[0].body).unwrap();
    assert_eq!(sent, json!({"msisdn": MSISDN, "amount": "800.00"}));
}

#[tokio::test]
async fn a_failed_body_under_http_200_is_an_error_with_the_body_kept() {
    let failed = json!({
        "disbursement_status": "failed",
        "status_description": "Sorry, the amount to be disbursed exceeds you budget limit.",
        "status_code": "6061"
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(&failed)).await;

    let error = client(&server)
        .disburse(disbursement("999999.00"))
        .await
        .expect_err("failed");
    let Error::Api {
        status,
        error: api,
        body,
    } = &error
    else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(
        api.disbursement_code(),
        Some(&DisbursementResponseStatusCode::X6061)
    );
    assert_eq!(serde_json::from_slice::<Value>(body).expect("JSON"), failed);
    assert!(error.to_string().contains("budget limit"), "{error}");
    assert_eq!(
        requests_to(&server, DISBURSE_PATH).await.len(),
        1,
        "never repeated"
    );
}

#[tokio::test]
async fn an_undocumented_status_code_is_kept() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({
        "disbursement_status": "failed",
        "status_description": "Wallet is suspended.",
        "status_code": "7001"
    })))
    .await;

    let error = client(&server)
        .disburse(disbursement("10.00"))
        .await
        .expect_err("failed");
    let code = match &error {
        Error::Api { error, .. } => error.disbursement_code().cloned(),
        _ => None,
    };
    assert_eq!(
        code,
        Some(DisbursementResponseStatusCode::Other("7001".to_string())),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_general_http_statuses_are_typed_failures() {
    let cases = [
        (
            400,
            HttpFailure::BadRequest,
            r#"{"detail": "JSON parse error"}"#,
        ),
        (
            403,
            HttpFailure::Forbidden,
            r#"{"detail": "You do not have permission to perform this action."}"#,
        ),
        (404, HttpFailure::NotFound, "<h1>Not Found</h1>"),
        (
            405,
            HttpFailure::MethodNotAllowed,
            r#"{"detail": "Method \"POST\" not allowed."}"#,
        ),
        (408, HttpFailure::RequestTimeout, ""),
        (
            429,
            HttpFailure::TooManyRequests,
            r#"{"detail": "Request was throttled."}"#,
        ),
        (
            418,
            HttpFailure::Undocumented(http::StatusCode::IM_A_TEAPOT),
            "",
        ),
    ];
    for (status, expected, body) in cases {
        let server = server_answering(ResponseTemplate::new(status).set_body_string(body)).await;

        let error = client(&server)
            .disburse(disbursement("10.00"))
            .await
            .expect_err("refused");
        match &error {
            Error::Api {
                status: got,
                error: ApiError::Http(failure),
                body: kept,
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(*failure, expected);
                assert_eq!(kept.as_ref(), body.as_bytes());
            }
            other => panic!("HTTP {status}: expected a typed failure, got {other:?}"),
        }
        assert_eq!(
            requests_to(&server, DISBURSE_PATH).await.len(),
            1,
            "HTTP {status}: not repeated"
        );
    }
}

#[tokio::test]
async fn http_401_without_a_body_renews_the_token_once_then_is_typed() {
    let server = server_answering(ResponseTemplate::new(401)).await;

    let error = client(&server)
        .disburse(disbursement("10.00"))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            &error,
            Error::Api {
                error: ApiError::Http(HttpFailure::Unauthorized),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(requests_to(&server, DISBURSE_PATH).await.len(), 2);
}

fn assert_outcome_unknown(error: &Error) -> &payspec_core::OutcomeUnknown {
    match error {
        Error::OutcomeUnknown(unknown) => {
            assert_eq!(unknown.operation, "create_disbursement");
            assert!(
                unknown.reference.contains("****5678"),
                "{}",
                unknown.reference
            );
            assert!(
                unknown.reference.contains("150.50"),
                "{}",
                unknown.reference
            );
            assert!(
                !unknown.reference.contains(MSISDN),
                "the full MSISDN is not shown"
            );
            unknown
        }
        other => panic!("expected outcome unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_error_leaves_the_outcome_unknown() {
    for status in [500, 502, 503, 504] {
        let server =
            server_answering(ResponseTemplate::new(status).set_body_string("upstream")).await;

        let error = client(&server)
            .disburse(disbursement("150.50"))
            .await
            .expect_err("unknown");
        let unknown = assert_outcome_unknown(&error);
        let cause = unknown
            .cause
            .downcast_ref::<Error>()
            .expect("the typed answer");
        assert!(
            matches!(
                cause,
                Error::Api { error: ApiError::Http(HttpFailure::ServerError(got)), body, .. }
                    if got.as_u16() == status && body.as_ref() == b"upstream"
            ),
            "{cause:?}"
        );
        assert_eq!(
            requests_to(&server, DISBURSE_PATH).await.len(),
            1,
            "HTTP {status}: never repeated"
        );
    }
}

#[tokio::test]
async fn a_timeout_leaves_the_outcome_unknown_and_is_not_repeated() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(success_body())
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let client = payspec_paymob::Client::builder(environment(&server), credentials())
        .limits(payspec_paymob::Limits {
            request_timeout: Duration::from_millis(300),
            ..limits()
        })
        .build()
        .unwrap();

    let error = client
        .disburse(disbursement("150.50"))
        .await
        .expect_err("timed out");
    assert_outcome_unknown(&error);
    assert_eq!(requests_to(&server, DISBURSE_PATH).await.len(), 1);
}

#[tokio::test]
async fn an_unreadable_success_body_leaves_the_outcome_unknown() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_string("{\"disbursement_status\": \"succ"),
    )
    .await;

    let error = client(&server)
        .disburse(disbursement("150.50"))
        .await
        .expect_err("unknown");
    assert_outcome_unknown(&error);
}

#[tokio::test]
async fn an_unknown_disbursement_status_leaves_the_outcome_unknown() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({
        "disbursement_status": "pending",
        "status_description": "",
        "status_code": "202"
    })))
    .await;

    let error = client(&server)
        .disburse(disbursement("150.50"))
        .await
        .expect_err("unknown");
    let unknown = assert_outcome_unknown(&error);
    assert!(
        unknown.cause.to_string().contains("pending"),
        "{}",
        unknown.cause
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let client = client(&server);
    let mut empty_msisdn = disbursement("10.00");
    empty_msisdn.msisdn = " ".into();

    for request in [disbursement("0.00"), disbursement("-5"), empty_msisdn] {
        let error = client.disburse(request).await.expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "not even a token request"
    );
}
