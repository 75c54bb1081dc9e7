//! Redaction proof: sentinel secrets in every MagicPayments request type never appear
//! in Debug output, nor in anything traced during full request cycles, successful and
//! failing. They do appear on the wire, where they belong.


use payspec_core::secret::AccessToken;
use payspec_magicpayments::{types, Client};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::traces::Traces;
use serde_json::json;

const PAN: &str = "4000123412349876";
// Distinctive enough never to occur by chance in timestamps, ids or latencies.
const CVV: &str = "cvv-sentinel-735";
const CARD_TOKEN: &str = "sentinel-card-token";
const BEARER: &str = "sentinel-bearer-token";

fn requests() -> (types::InvoiceRequest, types::WithdrawalRequest) {
    let invoice = serde_json::from_value(json!({
        "amount": 1000, "order": "o-1", "card_token": CARD_TOKEN,
        "card": {"pan": PAN, "cvv": CVV, "cardholder": "IVAN IVANOV", "month": "01", "year": "28"}
    }))
    .unwrap();
    let withdrawal = serde_json::from_value(json!({"amount": 10, "order": "o-2", "card": PAN})).unwrap();
    (invoice, withdrawal)
}

fn assert_clean(text: &str, what: &str) {
    for sentinel in [PAN, CVV, CARD_TOKEN, BEARER] {
        assert!(!text.contains(sentinel), "{what} leaks {sentinel}:\n{text}");
    }
}

#[test]
fn debug_of_every_request_type_is_redacted() {
    let (invoice, withdrawal) = requests();
    assert_clean(&format!("{invoice:?}{invoice:#?}{withdrawal:?}{withdrawal:#?}"), "Debug");
    let client = Client::new("http://127.0.0.1:9", AccessToken::new(BEARER)).unwrap();
    assert_clean(&format!("{client:?}{client:#?}"), "Debug of the client");
}

#[tokio::test(flavor = "current_thread")]
async fn traces_of_full_request_cycles_are_redacted() {
    let (traces, _guard) = Traces::capture();

    let wallet = "75e9a565-6b36-3b67-9ed1-2050314314f9".parse().unwrap();
    let ok = r#"{"status":"success","transaction":{"uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea","status_transaction":"created"}}"#;
    let server = ScriptedServer::start(move |n| match n {
        0 | 1 => Reply::json(200, ok),
        2 => Reply::json(400, r#"{"status":"error","error":"declined","code":"access_denied"}"#),
        _ => Reply::with_body(502, "text/html", b"<html>bad gateway</html>"),
    })
    .await;
    let client = Client::new(&server.uri(), AccessToken::new(BEARER)).unwrap();
    let (invoice, withdrawal) = requests();
    client.create_invoice(wallet, invoice.clone()).await.expect("success");
    client.create_withdrawal(wallet, withdrawal.clone()).await.expect("success");
    let rejected = client.create_invoice(wallet, invoice).await.expect_err("400");
    let failed = client.create_withdrawal(wallet, withdrawal).await.expect_err("502");
    assert_clean(&format!("{rejected:?} {rejected} {failed:?} {failed}"), "errors");

    let traced = traces.text();
    assert!(traced.contains("payspec.call"), "the calls were traced:\n{traced}");
    assert!(traced.contains("create_withdrawal"), "{traced}");
    assert_clean(&traced, "tracing output");

    // The wire is the one place the secrets go.
    let wire: Vec<String> = server.received().iter().map(|r| format!("{}{}", r.head, String::from_utf8_lossy(&r.body))).collect();
    assert!(wire[0].contains(PAN) && wire[0].contains(CVV) && wire[0].contains(&format!("Bearer {BEARER}")));
}
