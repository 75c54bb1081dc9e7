//! Redaction proof for Billon: sentinel secrets (the Authentication password `apiKey`,
//! the tokens, the recipient's phone number) in every request type never appear in
//! Debug output, in errors, nor in anything traced during full request cycles,
//! successful and failing. They do appear on the wire, where they belong.


use chrono::{TimeZone, Utc};
use payspec_billon::types::{AuthenticateRequest, AuthenticateResponse, CancelPayoutsRequest, CreatePayoutRequest};
use payspec_billon::{ApiKey, Client, DecimalNumber, Error};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::traces::Traces;
use serde_json::json;

// Distinctive enough never to occur by chance in timestamps, ids or latencies.
const API_KEY: &str = "sentinel-api-key-3876";
const TOKEN: &str = "sentinel-token-5529";
const TOKEN_2: &str = "sentinel-token-6140";
const PHONE: &str = "+447700938261";
/// The phone number without its last four digits: what must never show.
const PHONE_HIDDEN: &str = "77009";

fn assert_clean(text: &str, what: &str) {
    for sentinel in [API_KEY, TOKEN, TOKEN_2, PHONE_HIDDEN] {
        assert!(!text.contains(sentinel), "{what} leaks {sentinel}:\n{text}");
    }
}

fn payout() -> CreatePayoutRequest {
    CreatePayoutRequest::builder()
        .amount("12.50".parse::<DecimalNumber>().unwrap())
        .currency("GBP")
        .start_date(Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap())
        .end_date(Utc.with_ymd_and_hms(2025, 1, 8, 0, 0, 0).unwrap())
        .name("Bonuses")
        .description("January")
        .notification(true)
        .phone_number(Some(PHONE.into()))
        .first_name(Some("Ann".to_string()))
        .try_into()
        .unwrap()
}

#[test]
fn debug_of_every_request_type_is_redacted() {
    let authenticate = AuthenticateRequest { api_key: ApiKey::new(API_KEY) };
    let issued: AuthenticateResponse = serde_json::from_value(json!({"token": TOKEN})).unwrap();
    let cancel = CancelPayoutsRequest { ids: vec![1, 2] };
    let payout = payout();
    let client = Client::new("http://127.0.0.1:9", ApiKey::new(API_KEY)).unwrap();
    let builder = Client::builder("http://127.0.0.1:9", ApiKey::new(API_KEY));
    assert_clean(
        &format!(
            "{authenticate:?}{authenticate:#?}{issued:?}{issued:#?}{cancel:?}{payout:?}{payout:#?}{client:?}{client:#?}{builder:?}{:?}",
            ApiKey::new(API_KEY)
        ),
        "Debug",
    );
    assert!(format!("{payout:?}").contains("****8261"), "the last four digits still show");
    let wire = format!("{}{}", serde_json::to_string(&authenticate).unwrap(), serde_json::to_string(&payout).unwrap());
    assert!(wire.contains(API_KEY) && wire.contains(PHONE));
}

#[tokio::test(flavor = "current_thread")]
async fn traces_of_full_request_cycles_are_redacted() {
    let (traces, _guard) = Traces::capture();

    let (token_1, token_2) = (json!({"token": TOKEN}).to_string(), json!({"token": TOKEN_2}).to_string());
    let created = json!({"payments": [{"id": 1, "amount": 12.5, "currency": "GBP", "status": "READY"}]}).to_string();
    let server = ScriptedServer::start(move |n| match n {
        0 => Reply::json(200, &token_1),
        1 => Reply::json(200, &created),
        2 => Reply::json(400, r#"{"error":{"message":"Not enough funds","type":"INSUFFICIENT_FUNDS"},"errors":[]}"#),
        3 => Reply::json(403, r#"{"error":{"message":"Failed to authenticate token.","type":"INVALID_PARAMS"}}"#),
        4 => Reply::json(200, &token_2),
        5 => Reply::json(200, r#"{"success":1}"#),
        _ => Reply::with_body(502, "text/html", b"<html>bad gateway</html>"),
    })
    .await;
    let client = Client::new(&server.uri(), ApiKey::new(API_KEY)).unwrap();
    client.create_payout(&payout()).await.expect("created");
    let declined = client.create_payout(&payout()).await.expect_err("insufficient funds");
    let cancelled = client.cancel_payouts(&[1]).await.expect("cancelled after a new token");
    let unknown = client.create_payout(&payout()).await.expect_err("502");
    assert!(matches!(&unknown, Error::OutcomeUnknown(u) if u.reference.contains("****8261")), "{unknown:?}");
    assert_clean(&format!("{declined:?} {declined} {unknown:?} {unknown} {cancelled:?} {client:?}"), "errors and results");

    // A refused password.
    let refused = ScriptedServer::start(|_| Reply::json(400, r#"{"error":{"message":"Invalid authentication password","type":"INVALID_PARAMS"}}"#)).await;
    let login = Client::new(&refused.uri(), ApiKey::new(API_KEY)).unwrap().cancel_payouts(&[1]).await.expect_err("refused");
    assert_clean(&format!("{login:?} {login}"), "authentication error");

    let traced = traces.text();
    for expected in ["payspec.call", "authenticate", "create_payout", "cancel_payouts"] {
        assert!(traced.contains(expected), "{expected} was traced:\n{traced}");
    }
    assert_clean(&traced, "tracing output");

    // The wire is the one place the secrets go.
    let wire: Vec<String> = server.received().iter().map(|r| format!("{}{}", r.head, String::from_utf8_lossy(&r.body))).collect();
    assert_eq!(wire.len(), 7);
    assert!(wire[0].contains(API_KEY));
    assert!(wire[1].contains(&format!("x-access-token: {TOKEN}")) && wire[1].contains(PHONE));
    assert!(wire[5].contains(&format!("x-access-token: {TOKEN_2}")));
}
