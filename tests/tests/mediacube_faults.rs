//! MediaCube fault injection against loopback servers: for each fault, the typed error
//! the caller sees and what reached the server. Every batch call (payout, debit,
//! regional) moves money: it arrives at most once, except the one documented repeat
//! after a 401 (nothing was processed); the token call is retry-safe and repeated
//! within the retry budget. The token expiring while 100 batches are in flight causes
//! exactly one token request, and every batch gets its own answer.
//!
//! Request 0 on a `ScriptedServer` is the token request (the client obtains the token
//! before it sends a batch); requests are counted by path from what the server read.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use payspec_core::retry::RetryPolicy;
use payspec_core::token::ManualClock;
use payspec_core::transport::BodyTooLarge;
use payspec_mediacube::types::PaymentItem;
use payspec_mediacube::{ApiError, BatchError, Client, Credentials, Error, Limits, PaymentBatch, UndescribedStatus};
use payspec_tests::scripted::{Reply, ScriptedServer};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const REQUEST_ID: &str = "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8";
const TOKEN: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"payment-token-1"}"#;
const TOKEN_PATH: &str = "/oauth/token";
const CAP: usize = 64 * 1024;

/// The three money-moving operations, all sent through the same batch rules.
#[derive(Clone, Copy, Debug)]
enum Op {
    Payout,
    Debit,
    Regional,
}

impl Op {
    const ALL: [Op; 3] = [Op::Payout, Op::Debit, Op::Regional];

    fn path(self) -> &'static str {
        match self {
            Op::Payout => "/payments",
            Op::Debit => "/payments/debit",
            Op::Regional => "/payments/regional",
        }
    }

    fn operation(self) -> &'static str {
        match self {
            Op::Payout => "create_payout",
            Op::Debit => "create_debit_payment",
            Op::Regional => "create_regional_payout",
        }
    }

    /// Sends `batch`; on success, the request_id and the transaction ids of the answer.
    async fn send(self, client: &Client, batch: PaymentBatch) -> Result<(Uuid, Vec<i64>), BatchError> {
        let ids = |transactions: &[payspec_mediacube::types::Transaction]| transactions.iter().map(|t| t.id).collect();
        match self {
            Op::Payout => client.create_payout(batch).await.map(|a| (a.request_id, ids(&a.result.transactions))),
            Op::Debit => client.create_debit_payment(batch).await.map(|a| (a.request_id, ids(&a.result.transactions))),
            Op::Regional => client.create_regional_payout(batch).await.map(|a| (a.request_id, ids(&a.result.transactions))),
        }
    }
}

fn limits() -> Limits {
    Limits {
        request_timeout: Duration::from_millis(400),
        max_body_bytes: CAP,
        retry: RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(50), ..RetryPolicy::default() },
        ..Limits::default()
    }
}

fn client(uri: &str) -> Client {
    Client::builder(uri, Credentials::new(7, "client-secret")).limits(limits()).build().expect("client")
}

fn request_id() -> Uuid {
    REQUEST_ID.parse().unwrap()
}

fn batch() -> PaymentBatch {
    PaymentBatch::with_request_id(request_id(), vec![item("10.0000000001")])
}

fn item(amount: &str) -> PaymentItem {
    PaymentItem { amount: amount.parse().unwrap(), wallet: "1111222233334444".into(), description: "fault test".into() }
}

fn accepted(request_id: Uuid, transaction: i64) -> String {
    json!({"data": {"request_id": request_id, "status": 2, "err_msg": null,
        "transactions": [{"id": transaction, "invoice_path": format!("/api/transactions/{transaction}/invoice")}]}})
    .to_string()
}

/// A server that issues the token to request 0 and answers every later request with `fault`.
async fn token_then(fault: Reply) -> ScriptedServer {
    ScriptedServer::start(move |n| if n == 0 { Reply::json(200, TOKEN) } else { fault.clone() }).await
}

/// Requests the server read in full on `path`.
fn on(server: &ScriptedServer, path: &str) -> usize {
    let line = format!("POST {path} HTTP/1.1");
    server.received().iter().filter(|r| r.head.lines().next() == Some(line.as_str())).count()
}

fn html(status: u16) -> Reply {
    Reply::with_body(status, "text/html", b"<html><body>Bad Gateway</body></html>")
}

/// The outcome-unknown error of `failed`, checked to name the batch's request_id.
fn unknown(failed: &BatchError, op: Op) -> &payspec_core::OutcomeUnknown {
    assert_eq!(failed.request_id, request_id());
    match &failed.error {
        Error::OutcomeUnknown(unknown) => {
            assert_eq!(unknown.reference, REQUEST_ID, "the reference to reconcile by");
            assert_eq!(unknown.operation, op.operation());
            unknown
        }
        other => panic!("{op:?}: expected outcome unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn response_delayed_past_the_timeout_is_outcome_unknown_and_sent_once() {
    for op in Op::ALL {
        let server = token_then(Reply::After(Duration::from_secs(3), Box::new(Reply::json(200, &accepted(request_id(), 1))))).await;
        let started = Instant::now();
        let failed = op.send(&client(&server.uri()), batch()).await.expect_err("timed out");
        let cause = &unknown(&failed, op).cause;
        assert!(cause.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout), "{op:?}: {cause:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "not waited out, not repeated: {:?}", started.elapsed());
        assert_eq!((on(&server, op.path()), on(&server, TOKEN_PATH)), (1, 1), "{op:?}");
    }
}

#[tokio::test]
async fn connection_reset_mid_body_is_outcome_unknown() {
    let server = token_then(Reply::truncated(400, br#"{"data":{"request_id":"c02e79a2-d3"#)).await;
    let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("cut");
    let cause = &unknown(&failed, Op::Payout).cause;
    assert!(cause.downcast_ref::<reqwest::Error>().is_some(), "a transport error: {cause:?}");
    assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (1, 1));
}

#[tokio::test]
async fn server_errors_are_outcome_unknown_with_status_and_body_and_never_repeated() {
    for status in [500, 502, 503] {
        for op in Op::ALL {
            let server = token_then(html(status)).await;
            let failed = op.send(&client(&server.uri()), batch()).await.expect_err("5xx");
            let cause = unknown(&failed, op).cause.downcast_ref::<UndescribedStatus>().expect("status and body kept");
            assert_eq!(cause.status.as_u16(), status);
            assert!(cause.body.starts_with(b"<html>"), "{:?}", cause.body);
            assert_eq!((on(&server, op.path()), on(&server, TOKEN_PATH)), (1, 1), "{op:?} HTTP {status}");
        }
    }
}

#[tokio::test]
async fn rate_limited_batches_and_token_calls_are_refused_at_once() {
    // A batch answered 429 is not repeated, and not held back for the Retry-After.
    let server = token_then(Reply::json_with_headers(429, &["retry-after: 1"], "{}")).await;
    let started = Instant::now();
    let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("429");
    assert!(matches!(&failed.error, Error::Api { status, error: ApiError::Payment(_), body } if status.as_u16() == 429 && body.as_ref() == b"{}"), "{failed:?}");
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (1, 1));

    // The token call is not retry-safe (single-use authorization codes share it): a 429
    // on it is an authentication error, and the batch is not sent.
    let server = ScriptedServer::start(|n| match n {
        0 => Reply::json_with_headers(429, &["retry-after: 1"], r#"{"message":"Too Many Attempts."}"#),
        1 => Reply::json(200, TOKEN),
        _ => Reply::json(200, &accepted(request_id(), 1)),
    })
    .await;
    let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("token refused");
    assert!(matches!(&failed.error, Error::Auth(message) if message.contains("429")), "{failed:?}");
    assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (0, 1));
}

#[tokio::test]
async fn unreadable_success_bodies_are_outcome_unknown() {
    let cases: [(&str, Reply); 4] = [
        ("malformed JSON", Reply::json(200, r#"{"data": {"request_id": "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8", "#)),
        ("HTML with 200", Reply::with_body(200, "text/html", b"<html>maintenance</html>")),
        ("empty body", Reply::with_body(200, "application/json", b"")),
        ("wrong shape", Reply::json(200, r#"{"data": [2]}"#)),
    ];
    for (fault, reply) in cases {
        let server = token_then(reply).await;
        let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err(fault);
        let cause = &unknown(&failed, Op::Payout).cause;
        assert!(cause.downcast_ref::<serde_json::Error>().is_some(), "{fault}: {cause:?}");
        assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (1, 1), "{fault}");
    }
}

#[tokio::test]
async fn a_wrong_content_type_does_not_lose_the_result() {
    let server = token_then(Reply::with_body(200, "text/plain", accepted(request_id(), 41).as_bytes())).await;
    let (id, transactions) = Op::Payout.send(&client(&server.uri()), batch()).await.expect("read by its body");
    assert_eq!((id, transactions), (request_id(), vec![41]));
    assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (1, 1));
}

#[tokio::test]
async fn bodies_larger_than_the_cap() {
    let huge = accepted(request_id(), 1).replace("/invoice", &format!("/{}", "x".repeat(2 * CAP)));
    // Declared by Content-Length, then streamed without one: both are cut at the cap.
    let declared = Reply::json(200, &huge);
    let mut chunked = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(huge.as_bytes());
    for (how, reply) in [("declared", declared), ("streamed", Reply::Raw(chunked))] {
        let server = token_then(reply).await;
        let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("too large");
        let cause = &unknown(&failed, Op::Payout).cause;
        assert_eq!(cause.downcast_ref::<BodyTooLarge>(), Some(&BodyTooLarge { limit: CAP }), "{how}: {cause:?}");
        assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (1, 1), "{how}");
    }

    // An oversized error answer: it cannot be read, so it cannot prove a refusal.
    let error_body = json!({"data": {"status": 3, "err_msg": 3000, "pad": "x".repeat(2 * CAP)}}).to_string();
    let server = token_then(Reply::json(422, &error_body)).await;
    let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("too large");
    assert!(unknown(&failed, Op::Payout).cause.downcast_ref::<BodyTooLarge>().is_some());
    assert_eq!(on(&server, "/payments"), 1);
}

#[tokio::test]
async fn token_endpoint_faults_send_no_batch() {
    // A timeout: the token call is not repeated (its authorization_code grant is
    // single-use, so the operation is not retry-safe), and the batch fails unsent.
    let server = ScriptedServer::start(|_| Reply::After(Duration::from_secs(2), Box::new(Reply::json(200, TOKEN)))).await;
    let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("no token");
    assert!(matches!(&failed.error, Error::Auth(_)), "{failed:?}");
    assert_eq!(failed.request_id, request_id());
    assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (0, 1));

    // An HTML page under 200 is an answer: not repeated.
    let server = ScriptedServer::start(|_| Reply::with_body(200, "text/html", b"<html>login</html>")).await;
    let failed = Op::Payout.send(&client(&server.uri()), batch()).await.expect_err("no token");
    assert!(matches!(&failed.error, Error::Auth(_)), "{failed:?}");
    assert_eq!((on(&server, "/payments"), on(&server, TOKEN_PATH)), (0, 1));
}

/// The payment endpoints of a MediaCube whose payment tokens stop being accepted once
/// `expired` is set: a batch with an expired token is held (as a slow provider would)
/// and refused with 401; a batch with a valid token is accepted and answered with its
/// own request_id and a transaction id derived from its amount.
struct Payments {
    valid: Arc<std::sync::Mutex<Vec<String>>>,
    expired: Arc<AtomicBool>,
    held: Arc<AtomicUsize>,
}

impl Respond for Payments {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let bearer = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON batch");
        if bearer == "Bearer payment-token-1" && self.expired.load(Ordering::SeqCst) {
            self.held.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthenticated."})).set_delay(Duration::from_millis(250));
        }
        if !self.valid.lock().unwrap().iter().any(|token| format!("Bearer {token}") == bearer) {
            return ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthenticated."}));
        }
        let request_id: Uuid = body["request_id"].as_str().unwrap().parse().unwrap();
        let amount: f64 = body["data"][0]["amount"].as_str().unwrap().parse().unwrap();
        ResponseTemplate::new(200).set_body_raw(accepted(request_id, amount.round() as i64), "application/json")
    }
}

/// Issues `payment-token-<n>`: the first for an hour, later ones for two, so however
/// the refresh and the clock interleave, one refresh is enough.
struct Tokens {
    issued: AtomicUsize,
    valid: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let token = format!("payment-token-{n}");
        self.valid.lock().unwrap().push(token.clone());
        ResponseTemplate::new(200)
            .set_body_json(json!({"token_type": "Bearer", "access_token": token, "expires_in": if n == 1 { 3600 } else { 7200 }}))
            .set_delay(Duration::from_millis(50))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_token_expiring_while_100_batches_are_in_flight_causes_one_refresh() {
    let server = MockServer::start().await;
    let valid = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (expired, held) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(Tokens { issued: AtomicUsize::new(0), valid: Arc::clone(&valid) }).mount(&server).await;
    for op in Op::ALL {
        let payments = Payments { valid: Arc::clone(&valid), expired: Arc::clone(&expired), held: Arc::clone(&held) };
        Mock::given(method("POST")).and(path(op.path())).respond_with(payments).mount(&server).await;
    }
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let client = Client::builder(&server.uri(), Credentials::new(7, "client-secret"))
        // Longer than the 250 ms the server holds each batch: no timeout in this test.
        .limits(Limits { request_timeout: Duration::from_secs(3), ..limits() })
        .clock(clock.clone())
        .refresh_ahead(Duration::from_secs(60))
        .build()
        .unwrap();

    // The token is cached.
    Op::Payout.send(&client, PaymentBatch::with_request_id(Uuid::new_v4(), vec![item("1000")])).await.expect("warm-up");

    // 100 batches go out with payment-token-1; while the server holds them, the token
    // expires on both sides: the clock passes its expiry and the server refuses it.
    expired.store(true, Ordering::SeqCst);
    let batches: Vec<(Op, PaymentBatch)> =
        (0..100).map(|i| (Op::ALL[i % 3], PaymentBatch::with_request_id(Uuid::new_v4(), vec![item(&i.to_string())]))).collect();
    let calls: Vec<_> = batches
        .iter()
        .map(|(op, batch)| {
            let (client, op, batch) = (client.clone(), *op, batch.clone());
            tokio::spawn(async move { op.send(&client, batch).await })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(5);
    while held.load(Ordering::SeqCst) < 100 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(held.load(Ordering::SeqCst), 100, "all 100 were in flight with the old token");
    clock.advance(Duration::from_secs(3600));

    for (i, (call, (_, batch))) in calls.into_iter().zip(&batches).enumerate() {
        let (id, transactions) = call.await.expect("task").unwrap_or_else(|e| panic!("batch {i}: {e:?}"));
        assert_eq!((id, transactions), (batch.request_id(), vec![i as i64]), "each caller gets its own answer");
    }

    let received = server.received_requests().await.unwrap();
    let tokens = received.iter().filter(|r| r.url.path() == TOKEN_PATH).count();
    assert_eq!(tokens, 2, "the first token and exactly one refresh");
    for (op, batch) in &batches {
        let sends: Vec<&str> = received
            .iter()
            .filter(|r| r.url.path() == op.path())
            .filter(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["request_id"] == batch.request_id().to_string())
            .map(|r| r.headers.get("authorization").unwrap().to_str().unwrap())
            .collect();
        // Refused once with the expired token (nothing processed), accepted once.
        assert_eq!(sends, ["Bearer payment-token-1", "Bearer payment-token-2"], "{}", batch.request_id());
    }
}

/// README, decision 14: "An authorization code can be used only once, and the client
/// never repeats `exchange_code` on its own." The transport repeats it anyway, because
/// the spec marks `issue_token` retry-safe for both grants: a lost answer after MediaCube
/// consumed the code is followed by `invalid_grant`, and the issued token is lost.
#[tokio::test]
async fn an_authorization_code_is_sent_once_even_when_the_answer_is_lost() {
    for reply in [html(503), Reply::After(Duration::from_secs(2), Box::new(Reply::json(200, TOKEN)))] {
        let server = ScriptedServer::start(move |_| reply.clone()).await;
        let code = payspec_core::secret::AuthorizationCode::new("code-1");
        let _ = client(&server.uri()).exchange_code(code, "https://example.com/callback").await.expect_err("no answer");
        assert_eq!(on(&server, TOKEN_PATH), 1, "a single-use code is sent once");
    }
}
