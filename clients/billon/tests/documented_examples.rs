//! Every example in the Billon docs (kept in specs/billon.yaml) is written or read by
//! the client exactly; where the client deliberately differs, the test names the
//! difference.

mod common;

use chrono::{TimeZone, Utc};
use payspec_billon::types::{
    AuthenticateRequest, AuthenticateResponse, CancelPayoutsRequest, CancelPayoutsResponse,
    CreatePayoutRequest, CreatePayoutResponse, ErrorResponse, ErrorType, PayoutStatus,
};
use payspec_billon::{ApiError, ApiKey};
use payspec_tests::{examples, spec, Example, ExampleKind};
use serde_json::{json, Value};

fn documented(operation: &str, kind: ExampleKind) -> Value {
    let found: Vec<Example> = examples(&spec("billon"))
        .into_iter()
        .filter(|example| example.operation == operation && example.kind == kind)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one documented example for {operation} {kind:?}"
    );
    found[0].value.clone()
}

fn response(status: &str) -> ExampleKind {
    ExampleKind::Response(status.to_string())
}

/// Parses `value` from its JSON text (as it arrives on the wire, so numbers keep
/// their exact text).
fn parse<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_str(&value.to_string()).expect("the documented example parses")
}

#[test]
fn the_spec_has_exactly_the_documented_examples() {
    let mut found: Vec<(String, ExampleKind)> = examples(&spec("billon"))
        .into_iter()
        .map(|example| (example.operation, example.kind))
        .collect();
    found.sort_by_key(|(operation, kind)| format!("{operation} {kind:?}"));
    let expected = [
        ("authenticate", ExampleKind::Request),
        ("authenticate", response("200")),
        ("authenticate", response("4XX")),
        ("cancel_payouts", ExampleKind::Request),
        ("cancel_payouts", response("200")),
        ("cancel_payouts", response("4XX")),
        ("create_payout", ExampleKind::Request),
        ("create_payout", response("200")),
        ("create_payout", response("4XX")),
    ];
    let expected: Vec<(String, ExampleKind)> = expected
        .into_iter()
        .map(|(operation, kind)| (operation.to_string(), kind))
        .collect();
    assert_eq!(
        found, expected,
        "each example below is checked by a test in this file"
    );
}

#[test]
fn authenticate_request() {
    let request = AuthenticateRequest {
        api_key: ApiKey::new("1234567890"),
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        documented("authenticate", ExampleKind::Request)
    );
}

#[test]
fn authenticate_response() {
    let parsed: AuthenticateResponse = parse(&documented("authenticate", response("200")));
    assert_eq!(
        parsed.token.expose(),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGFtcGxlIjoiSldUIn0.1CWW9yelrYaVHB3CXYHJE0CkbMWlPUnSRCxOgjC_LT0"
    );
}

/// The client sends the documented request exactly as the spec's example gives it: the
/// docs' values with two decided differences, recorded in the example's description
/// (RFC 3339 UTC dates instead of the zone-less `2018-01-01 12:00:00`, and
/// `referenceId` as the string the parameter table types instead of the number 1).
#[test]
fn create_payout_request() {
    let sent = serde_json::to_value(common::documented_request()).unwrap();
    let expected = documented("create_payout", ExampleKind::Request);
    assert_eq!(expected["referenceId"], json!("1"));
    assert_eq!(expected["startDate"], json!("2018-01-01T12:00:00Z"));
    assert_eq!(sent, expected);
    payspec_tests::assert_valid(
        &payspec_tests::request_validator(&spec("billon"), "create_payout"),
        &sent,
        "the documented create_payout request as sent",
    );
}

#[test]
fn create_payout_response() {
    let parsed: CreatePayoutResponse = parse(&documented("create_payout", response("200")));
    let [payout] = parsed.payments.as_slice() else {
        panic!("one payout: {parsed:?}");
    };
    let midnight = Utc.with_ymd_and_hms(2018, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(payout.amount.to_string(), "1");
    assert_eq!(payout.id, 1);
    assert_eq!(payout.currency, "PLN");
    assert_eq!(
        payout.start_date,
        Some(Utc.with_ymd_and_hms(2018, 1, 1, 12, 0, 0).unwrap())
    );
    assert_eq!(
        payout.end_date,
        Some(Utc.with_ymd_and_hms(2018, 1, 2, 0, 0, 0).unwrap())
    );
    assert_eq!(payout.description.as_deref(), Some("Payment description"));
    assert_eq!(payout.notification, Some(true));
    assert_eq!(payout.status, PayoutStatus::Ready);
    assert_eq!(payout.recipient_id, Some(1));
    assert_eq!(payout.project_id, Some(1));
    assert_eq!(payout.updated_at, Some(midnight));
    assert_eq!(payout.created_at, Some(midnight));
}

#[test]
fn cancel_payouts_request() {
    let request = CancelPayoutsRequest { ids: vec![1, 2, 3] };
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        documented("cancel_payouts", ExampleKind::Request)
    );
}

#[test]
fn cancel_payouts_response() {
    let parsed: CancelPayoutsResponse = parse(&documented("cancel_payouts", response("200")));
    assert_eq!(parsed.success, 3);
}

#[test]
fn error_response_of_every_operation() {
    for operation in ["authenticate", "create_payout", "cancel_payouts"] {
        let parsed: ErrorResponse = parse(&documented(operation, response("4XX")));
        let error = ApiError::from(parsed);
        assert_eq!(error.error_type(), &ErrorType::InvalidParams, "{operation}");
        assert_eq!(error.message(), "One of required fields is empty!");
        assert!(error.0.errors.is_empty());
        assert_eq!(
            error.to_string(),
            "INVALID_PARAMS (a required parameter is empty or a value is invalid): \
             One of required fields is empty!"
        );
    }
}

/// Values the docs do not list are kept, not dropped.
#[test]
fn unknown_status_and_error_type_are_kept() {
    let mut body = common::created_response();
    body["payments"][0]["status"] = json!("ON_HOLD");
    let parsed: CreatePayoutResponse = parse(&body);
    assert_eq!(
        parsed.payments[0].status,
        PayoutStatus::Other("ON_HOLD".to_string())
    );

    let parsed: ErrorResponse = parse(&json!({"error": {"message": "m", "type": "RATE_LIMITED"}}));
    assert_eq!(
        parsed.error.type_,
        ErrorType::Other("RATE_LIMITED".to_string())
    );
    assert_eq!(
        serde_json::to_value(&parsed.error.type_).unwrap(),
        json!("RATE_LIMITED")
    );
}

#[test]
fn amounts_are_exact_json_numbers() {
    let mut request: CreatePayoutRequest = common::documented_request();
    request.amount = "12345678901234.56".parse().unwrap();
    let text = serde_json::to_string(&request).unwrap();
    assert!(text.contains(r#""amount":12345678901234.56,"#), "{text}");

    let mut body = common::created_response();
    body["payments"][0]["amount"] = json!(0);
    let text = body
        .to_string()
        .replace(r#""amount":0"#, r#""amount":98765432109876.54"#);
    let parsed: CreatePayoutResponse = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed.payments[0].amount.to_string(), "98765432109876.54");
}
