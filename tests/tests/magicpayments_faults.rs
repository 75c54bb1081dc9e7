//! Fault injection against a scripted loopback server: for each fault, the typed error
//! the caller sees and how many requests reached the server. A money-moving request
//! arrives at most once; a retry-safe read is repeated within the retry budget.

use std::time::Duration;

use payspec_core::retry::RetryPolicy;
use payspec_core::secret::AccessToken;
use payspec_core::transport::Limits;
use payspec_magicpayments::{types, Client, Error};
use payspec_tests::scripted::{Reply, ScriptedServer};
use serde_json::json;
use uuid::Uuid;

const WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";
const BALANCE: &str = r#"{"uuid":"75e9a565-6b36-3b67-9ed1-2050314314f9","currency":"RUB","balance":"800.00"}"#;
const WITHDRAWAL: &str = r#"{"status":"success","transaction":{"uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea","order":"o-1","status_transaction":"created","amount":1}}"#;

fn limits() -> Limits {
    Limits {
        request_timeout: Duration::from_millis(400),
        max_body_bytes: 64 * 1024,
        retry: RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(50), ..RetryPolicy::default() },
        ..Limits::default()
    }
}

fn client(server: &ScriptedServer) -> Client {
    Client::with_limits(&server.uri(), AccessToken::new("t"), limits()).expect("client")
}

fn wallet() -> Uuid {
    WALLET.parse().unwrap()
}

async fn withdraw(server: &ScriptedServer) -> Result<types::WithdrawalResponse, Error> {
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 10, "order": "o-1"})).unwrap();
    client(server).create_withdrawal(wallet(), request).await
}

async fn balance(server: &ScriptedServer) -> Result<types::WalletBalance, Error> {
    let client = client(server);
    client.call(client.api().get_balance().wallet_uuid(wallet()).send()).await
}

fn html(status: u16) -> Reply {
    Reply::with_body(status, "text/html", b"<html><body>Bad Gateway</body></html>")
}

#[tokio::test]
async fn response_delayed_past_the_timeout() {
    let server = ScriptedServer::start(|_| Reply::After(Duration::from_secs(3), Box::new(Reply::json(200, WITHDRAWAL)))).await;
    let error = withdraw(&server).await.expect_err("timed out");
    assert!(matches!(error, Error::OutcomeUnknown(ref u) if u.reference == "o-1"), "{error:?}");
    assert_eq!(server.received().len(), 1, "the payout arrived once");

    let server = ScriptedServer::start(|_| Reply::After(Duration::from_secs(3), Box::new(Reply::json(200, BALANCE)))).await;
    let error = balance(&server).await.expect_err("timed out");
    assert!(matches!(error, Error::Transport(ref e) if e.is_timeout()), "{error:?}");
    assert_eq!(server.received().len(), 3, "a read is retried up to the attempt budget");
}

#[tokio::test]
async fn connection_reset_mid_body() {
    let server = ScriptedServer::start(|_| Reply::truncated(500, br#"{"status":"succ"#)).await;
    let error = withdraw(&server).await.expect_err("truncated");
    assert!(matches!(error, Error::OutcomeUnknown(_)), "{error:?}");
    assert_eq!(server.received().len(), 1);

    let server = ScriptedServer::start(|_| Reply::truncated(500, br#"{"uuid":"#)).await;
    let error = balance(&server).await.expect_err("truncated");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn server_errors_fail_payouts_once_and_reads_retry() {
    for status in [500, 502, 503] {
        let server = ScriptedServer::start(move |_| html(status)).await;
        let error = withdraw(&server).await.expect_err("5xx");
        assert!(matches!(&error, Error::UnexpectedStatus { status: s, body } if s.as_u16() == status && body.starts_with(b"<html>")), "{error:?}");
        assert_eq!(server.received().len(), 1, "{status}: a payout is never repeated");

        // A read recovers when the provider does.
        let server = ScriptedServer::start(move |n| if n < 2 { html(status) } else { Reply::json(200, BALANCE) }).await;
        let read = balance(&server).await.expect("recovered");
        assert_eq!(read.balance.to_string(), "800.00");
        assert_eq!(server.received().len(), 3, "{status}");
    }
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let server = ScriptedServer::start(|n| {
        if n == 0 { Reply::json_with_headers(429, &["retry-after: 1"], "{}") } else { Reply::json(200, BALANCE) }
    })
    .await;
    let started = std::time::Instant::now();
    balance(&server).await.expect("after waiting");
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After honoured: {:?}", started.elapsed());
    assert_eq!(server.received().len(), 2);

    let server = ScriptedServer::start(|_| Reply::json_with_headers(429, &["retry-after: 1"], r#"{"status":"error","error":"slow down"}"#)).await;
    let error = withdraw(&server).await.expect_err("429");
    assert!(matches!(&error, Error::Api { status, .. } if status.as_u16() == 429), "{error:?}");
    assert_eq!(server.received().len(), 1, "a payout is not repeated after a 429");
}

#[tokio::test]
async fn malformed_json_html_empty_and_wrong_content_type() {
    let cases: [(&str, Reply); 4] = [
        ("malformed JSON", Reply::json(200, r#"{"uuid": "75e9a565-6b36-3b67-9ed1-2050314314f9", "#)),
        ("HTML with 200", Reply::with_body(200, "text/html", b"<html>maintenance</html>")),
        ("empty body", Reply::with_body(200, "application/json", b"")),
        ("wrong shape", Reply::json(200, r#"[1, 2, 3]"#)),
    ];
    for (fault, reply) in cases {
        let server = ScriptedServer::start(move |_| reply.clone()).await;
        let error = balance(&server).await.expect_err(fault);
        assert!(matches!(error, Error::InvalidResponse { ref body, .. } if body.len() < 100), "{fault}: {error:?}");
        assert_eq!(server.received().len(), 1, "{fault}: not retried (the provider answered)");
    }
    // Valid JSON under the wrong content type is read by its body.
    let server = ScriptedServer::start(|_| Reply::with_body(200, "text/plain", BALANCE.as_bytes())).await;
    assert_eq!(balance(&server).await.expect("parsed").currency, "RUB");

    // A payout whose 200 answer cannot be read may still have happened.
    let server = ScriptedServer::start(|_| Reply::with_body(200, "text/html", b"<html>ok</html>")).await;
    let error = withdraw(&server).await.expect_err("unreadable");
    assert!(matches!(error, Error::OutcomeUnknown(_)), "{error:?}");
}

#[tokio::test]
async fn bodies_larger_than_the_cap() {
    let huge = format!(r#"{{"uuid":"{WALLET}","currency":"{}","balance":"1"}}"#, "R".repeat(200 * 1024));
    let declared = huge.clone();
    let server = ScriptedServer::start(move |_| Reply::json(200, &declared)).await;
    let error = balance(&server).await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge(ref e) if e.limit == 64 * 1024), "{error:?}");

    // Without a Content-Length the cap is enforced while streaming.
    let mut chunked = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(huge.as_bytes());
    let server = ScriptedServer::start(move |_| Reply::Raw(chunked.clone())).await;
    let error = balance(&server).await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge(_)), "{error:?}");

    // An oversized error body is capped too.
    let error_body = format!(r#"{{"status":"error","error":"{}"}}"#, "x".repeat(200 * 1024));
    let server = ScriptedServer::start(move |_| Reply::json(400, &error_body)).await;
    let error = balance(&server).await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge(_)), "{error:?}");
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_payouts_because_nothing_was_sent() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::with_limits(&format!("http://127.0.0.1:{port}"), AccessToken::new("t"), limits()).unwrap();
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 10, "order": "o-1"})).unwrap();
    let error = client.create_withdrawal(wallet(), request).await.expect_err("refused");
    assert!(matches!(error, Error::Transport(ref e) if e.is_connect()), "never outcome-unknown: {error:?}");
}
