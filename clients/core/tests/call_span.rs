//! What a call logs: a `payspec.call` span with the operation, status and attempts, and
//! never a body, a header or a credential. Alone in its binary: a thread-local tracing
//! subscriber can miss callsites that tests on other threads register concurrently.

mod support;

use support::*;

fn gateway_page(status: u16) -> String {
    format!("<html><body><h1>{status} Bad Gateway</h1><!-- upstream body: card={CARD} --></body></html>")
}

fn error_body() -> String {
    format!(r#"{{"code":"invalid_card","message":"card {CARD} is not valid"}}"#)
}

#[tokio::test]
async fn the_call_span_records_attempts_and_status_but_no_body_or_credential() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    // Nothing connected: repeated, even for a money-moving request, up to the bound.
    let dead = dead_port();
    let client = client_with(&dead.url, |builder| builder.limits(test_limits().retry(quick_retries(3))));
    assert_eq!(kind(&create_payout(&client).await), "Transport");
    assert_eq!(capture.values("payspec.call", "attempts"), ["3"]);

    let server = Server::sequence(vec![
        html(503, &gateway_page(503)),
        html(502, &gateway_page(502)),
        json(200, r#"{"amount":"1.00"}"#),
        json(400, &error_body()),
    ])
    .await;
    let client = crate::client(&server.url());
    assert_eq!(kind(&get_balance(&client).await), "Ok");
    assert_eq!(kind(&create_payout(&client).await), "Api(400)");
    let attempts = capture.values("payspec.call", "attempts");
    assert_eq!(attempts, ["3", "3", "1"]);
    let statuses = capture.values("payspec.call", "status");
    assert_eq!(statuses, ["200", "400"]);
    let operations = capture.values("payspec.call", "operation");
    assert_eq!(operations, ["\"create_payout\"", "\"get_balance\"", "\"create_payout\""]);
    for (name, field, value) in capture.fields() {
        for secret in [CARD, "token-1", "Bearer", "card_declined", "invalid_card"] {
            assert!(!value.contains(secret), "{name}.{field} = {value} logs {secret:?}");
        }
    }
}
