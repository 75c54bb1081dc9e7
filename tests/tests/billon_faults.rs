//! Billon fault injection against loopback servers: for each fault, the typed error the
//! caller sees and what reached the server. `create_payout` and `cancel_payouts` move
//! money: each arrives at most once, except the one documented repeat after a 401/403
//! (the token was refused, nothing was done); `authenticate` is retry-safe and repeated
//! within the retry budget. The token expiring while 100 calls are in flight causes
//! exactly one `authenticate`, and every call gets its own answer.
//!
//! Request 0 on a `ScriptedServer` is `authenticate` (the first call obtains the token
//! before it sends anything); requests are counted by path from what the server read.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use chrono::{TimeZone, Utc};
use payspec_billon::types::{CreatePayoutRequest, ErrorType};
use payspec_billon::{ApiKey, Client, DecimalNumber, Error, Limits};
use payspec_core::retry::RetryPolicy;
use payspec_core::token::ManualClock;
use payspec_core::transport::BodyTooLarge;
use payspec_core::OutcomeUnknown;
use payspec_tests::scripted::{Reply, ScriptedServer};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = r#"{"token":"token-1"}"#;
const AUTHENTICATE: &str = "/api/authenticate";
const CAP: usize = 64 * 1024;

/// The two money-moving operations.
#[derive(Clone, Copy, Debug)]
enum Op {
    Create,
    Cancel,
}

impl Op {
    const ALL: [Op; 2] = [Op::Create, Op::Cancel];

    fn path(self) -> &'static str {
        match self {
            Op::Create => "/api/payment/create",
            Op::Cancel => "/api/payment/cancel",
        }
    }

    /// A success body for this operation, for the payout (or the one cancelled id) `n`.
    fn success(self, n: i64) -> String {
        match self {
            Op::Create => json!({"payments": [{"id": n, "amount": 12.5, "currency": "GBP", "status": "READY"}]}).to_string(),
            Op::Cancel => json!({"success": 1}).to_string(),
        }
    }

    /// Sends the call for `n` (a payout with referenceId `n`, or a cancel of id `n`);
    /// on success, the payout id created or the ids cancelled.
    async fn send(self, client: &Client, n: i64) -> Result<Vec<i64>, Error> {
        match self {
            Op::Create => client.create_payout(&payout(n)).await.map(|created| created.payments.iter().map(|p| p.id).collect()),
            Op::Cancel => {
                let outcome = client.cancel_payouts(&[n]).await?;
                assert!(outcome.is_complete(), "{outcome:?}");
                Ok(outcome.requested)
            }
        }
    }

    /// What an outcome-unknown error names for `n`.
    fn reference(self, n: i64) -> String {
        match self {
            Op::Create => format!(
                "payout of 12.50 GBP to referenceId \"{n}\" in project \"Faults\", valid 2025-01-01T12:00:00+00:00 to 2025-01-08T00:00:00+00:00"
            ),
            Op::Cancel => format!("payout ids [{n}]"),
        }
    }
}

fn payout(n: i64) -> CreatePayoutRequest {
    CreatePayoutRequest::builder()
        .amount("12.50".parse::<DecimalNumber>().unwrap())
        .currency("GBP")
        .start_date(Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap())
        .end_date(Utc.with_ymd_and_hms(2025, 1, 8, 0, 0, 0).unwrap())
        .name("Faults")
        .description("fault test")
        .notification(false)
        .reference_id(Some(n.to_string()))
        .try_into()
        .unwrap()
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
    Client::builder(uri, ApiKey::new("panel-password")).limits(limits()).build().expect("client")
}

/// A server that answers `authenticate` (request 0) and every later request with `fault`.
async fn token_then(fault: Reply) -> ScriptedServer {
    ScriptedServer::start(move |n| if n == 0 { Reply::json(200, TOKEN) } else { fault.clone() }).await
}

fn on(server: &ScriptedServer, path: &str) -> usize {
    let line = format!("POST {path} HTTP/1.1");
    server.received().iter().filter(|r| r.head.lines().next() == Some(line.as_str())).count()
}

fn html(status: u16) -> Reply {
    Reply::with_body(status, "text/html", b"<html><body>Bad Gateway</body></html>")
}

fn unknown(error: &Error, op: Op) -> &OutcomeUnknown {
    match error {
        Error::OutcomeUnknown(unknown) => {
            assert_eq!(unknown.reference, op.reference(7), "what to reconcile");
            unknown
        }
        other => panic!("{op:?}: expected outcome unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn response_delayed_past_the_timeout_is_outcome_unknown_and_sent_once() {
    for op in Op::ALL {
        let server = token_then(Reply::After(Duration::from_secs(3), Box::new(Reply::json(200, &op.success(7))))).await;
        let started = Instant::now();
        let error = op.send(&client(&server.uri()), 7).await.expect_err("timed out");
        let cause = &unknown(&error, op).cause;
        assert!(cause.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout), "{op:?}: {cause:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert_eq!((on(&server, op.path()), on(&server, AUTHENTICATE)), (1, 1), "{op:?}");
    }
}

#[tokio::test]
async fn connection_reset_mid_body_is_outcome_unknown() {
    for op in Op::ALL {
        let server = token_then(Reply::truncated(300, br#"{"payments":[{"id":"#)).await;
        let error = op.send(&client(&server.uri()), 7).await.expect_err("cut");
        assert!(unknown(&error, op).cause.downcast_ref::<reqwest::Error>().is_some(), "{error:?}");
        assert_eq!((on(&server, op.path()), on(&server, AUTHENTICATE)), (1, 1), "{op:?}");
    }
}

#[tokio::test]
async fn server_errors_are_outcome_unknown_with_status_and_body_and_never_repeated() {
    for status in [500, 502, 503] {
        for op in Op::ALL {
            let server = token_then(html(status)).await;
            let error = op.send(&client(&server.uri()), 7).await.expect_err("5xx");
            let cause = unknown(&error, op).cause.downcast_ref::<Error>().expect("the answer kept");
            assert!(
                matches!(cause, Error::UnexpectedStatus { status: s, body } if s.as_u16() == status && body.starts_with(b"<html>")),
                "{cause:?}"
            );
            assert_eq!((on(&server, op.path()), on(&server, AUTHENTICATE)), (1, 1), "{op:?} HTTP {status}");
        }
    }
    // The documented error body under a 5xx is Billon's verdict: a refusal, typed.
    let refused = r#"{"error":{"message":"Not enough funds","type":"INSUFFICIENT_FUNDS"},"errors":[]}"#;
    let server = token_then(Reply::json(503, refused)).await;
    let error = Op::Create.send(&client(&server.uri()), 7).await.expect_err("refused");
    assert!(matches!(&error, Error::Api { status, error, .. } if status.as_u16() == 503 && error.is_insufficient_funds()), "{error:?}");
    assert_eq!(on(&server, Op::Create.path()), 1);
}

#[tokio::test]
async fn rate_limited_calls_are_refused_at_once_and_a_rate_limited_authenticate_waits() {
    let limited = r#"{"error":{"message":"Too many requests","type":"RATE_LIMITED"},"errors":[]}"#;
    for op in Op::ALL {
        let server = token_then(Reply::json_with_headers(429, &["retry-after: 1"], limited)).await;
        let started = Instant::now();
        let error = op.send(&client(&server.uri()), 7).await.expect_err("429");
        assert!(
            matches!(&error, Error::Api { status, error, .. } if status.as_u16() == 429 && error.error_type() == &ErrorType::Other("RATE_LIMITED".into())),
            "{error:?}"
        );
        assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
        assert_eq!((on(&server, op.path()), on(&server, AUTHENTICATE)), (1, 1), "{op:?}");
    }
    // Without the documented body, a 429 is still a refusal, with status and body kept.
    let server = token_then(Reply::json_with_headers(429, &["retry-after: 1"], "{}")).await;
    let error = Op::Create.send(&client(&server.uri()), 7).await.expect_err("429");
    assert!(matches!(&error, Error::InvalidResponse { status: Some(s), body, .. } if s.as_u16() == 429 && body.as_ref() == b"{}"), "{error:?}");

    let server = ScriptedServer::start(|n| match n {
        0 => Reply::json_with_headers(429, &["retry-after: 1"], "{}"),
        1 => Reply::json(200, TOKEN),
        _ => Reply::json(200, &Op::Create.success(7)),
    })
    .await;
    let started = Instant::now();
    assert_eq!(Op::Create.send(&client(&server.uri()), 7).await.expect("created after the wait"), [7]);
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After honoured: {:?}", started.elapsed());
    assert_eq!((on(&server, Op::Create.path()), on(&server, AUTHENTICATE)), (1, 2));
}

#[tokio::test]
async fn unreadable_success_bodies_are_outcome_unknown() {
    let cases: [(&str, Reply); 4] = [
        ("malformed JSON", Reply::json(200, r#"{"payments": [{"id": 7, "#)),
        ("HTML with 200", Reply::with_body(200, "text/html", b"<html>maintenance</html>")),
        ("empty body", Reply::with_body(200, "application/json", b"")),
        ("wrong shape", Reply::json(200, r#"{"payments": 7, "success": "all"}"#)),
    ];
    for (fault, reply) in cases {
        for op in Op::ALL {
            let server = token_then(reply.clone()).await;
            let error = op.send(&client(&server.uri()), 7).await.expect_err(fault);
            let cause = &unknown(&error, op).cause;
            assert!(cause.downcast_ref::<serde_json::Error>().is_some(), "{fault}: {cause:?}");
            assert_eq!((on(&server, op.path()), on(&server, AUTHENTICATE)), (1, 1), "{fault} {op:?}");
        }
    }
}

#[tokio::test]
async fn a_wrong_content_type_does_not_lose_the_result() {
    for op in Op::ALL {
        let server = token_then(Reply::with_body(200, "text/plain", op.success(7).as_bytes())).await;
        assert_eq!(op.send(&client(&server.uri()), 7).await.expect("read by its body"), [7]);
        assert_eq!((on(&server, op.path()), on(&server, AUTHENTICATE)), (1, 1));
    }
}

#[tokio::test]
async fn bodies_larger_than_the_cap() {
    let huge = json!({"payments": [{"id": 7, "amount": 1, "currency": "GBP", "status": "READY", "description": "x".repeat(2 * CAP)}]}).to_string();
    let mut chunked = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(huge.as_bytes());
    let error_body = json!({"error": {"message": "x".repeat(2 * CAP), "type": "INVALID_PARAMS"}}).to_string();
    let cases = [("declared", Reply::json(200, &huge)), ("streamed", Reply::Raw(chunked)), ("error body", Reply::json(400, &error_body))];
    for (how, reply) in cases {
        let server = token_then(reply).await;
        let error = Op::Create.send(&client(&server.uri()), 7).await.expect_err("too large");
        let cause = &unknown(&error, Op::Create).cause;
        assert_eq!(cause.downcast_ref::<BodyTooLarge>(), Some(&BodyTooLarge { limit: CAP }), "{how}: {cause:?}");
        assert_eq!((on(&server, Op::Create.path()), on(&server, AUTHENTICATE)), (1, 1), "{how}");
    }
}

#[tokio::test]
async fn authenticate_faults_send_nothing_that_moves_money() {
    let server = ScriptedServer::start(|_| Reply::After(Duration::from_secs(2), Box::new(Reply::json(200, TOKEN)))).await;
    let error = Op::Create.send(&client(&server.uri()), 7).await.expect_err("no token");
    assert!(matches!(&error, Error::Auth(_)), "{error:?}");
    assert_eq!((on(&server, Op::Create.path()), on(&server, AUTHENTICATE)), (0, 3));

    let server = ScriptedServer::start(|_| Reply::with_body(200, "text/html", b"<html>login</html>")).await;
    let error = Op::Cancel.send(&client(&server.uri()), 7).await.expect_err("no token");
    assert!(matches!(&error, Error::Auth(_)), "{error:?}");
    assert_eq!((on(&server, Op::Cancel.path()), on(&server, AUTHENTICATE)), (0, 1));
}

/// base64url without padding, as JWT segments are written.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

#[test]
fn base64url_matches_the_rfc_4648_vectors() {
    let vectors: [(&[u8], &str); 7] = [(b"f", "Zg"), (b"fo", "Zm8"), (b"foo", "Zm9v"), (b"foob", "Zm9vYg"), (b"fooba", "Zm9vYmE"), (b"foobar", "Zm9vYmFy"), (&[0xfb, 0xff], "-_8")];
    for (bytes, encoded) in vectors {
        assert_eq!(base64url(bytes), encoded);
    }
}

/// `authenticate`: `token-1` first (opaque: 24 hours, the docs' lifetime), then JWTs
/// that expire three days after the test clock's start, so one refresh is enough
/// however the refresh and the clock interleave.
struct Tokens {
    issued: AtomicUsize,
    valid: Arc<Mutex<Vec<String>>>,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let token = if n == 1 {
            "token-1".to_string()
        } else {
            let claims = json!({"id": n, "exp": 1_700_000_000 + 3 * 86_400});
            format!("{}.{}.c2ln", base64url(br#"{"alg":"HS256","typ":"JWT"}"#), base64url(claims.to_string().as_bytes()))
        };
        self.valid.lock().unwrap().push(token.clone());
        ResponseTemplate::new(200).set_body_json(json!({"token": token})).set_delay(Duration::from_millis(50))
    }
}

/// Both payment endpoints: `token-1` once `expired` is set is held and refused with 401;
/// a valid token gets the payout created with id = its referenceId, or the cancel done.
struct Payments {
    op: Op,
    valid: Arc<Mutex<Vec<String>>>,
    expired: Arc<AtomicBool>,
    held: Arc<AtomicUsize>,
}

impl Respond for Payments {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request.headers.get("x-access-token").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let refused = json!({"error": {"message": "Failed to authenticate token.", "type": "INVALID_PARAMS"}, "errors": []});
        if token == "token-1" && self.expired.load(Ordering::SeqCst) {
            self.held.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(401).set_body_json(refused).set_delay(Duration::from_millis(250));
        }
        if !self.valid.lock().unwrap().contains(&token) {
            return ResponseTemplate::new(401).set_body_json(refused);
        }
        ResponseTemplate::new(200).set_body_raw(self.op.success(subject(self.op, request)), "application/json")
    }
}

/// The payout a request is about: its referenceId, or the id it cancels.
fn subject(op: Op, request: &Request) -> i64 {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    match op {
        Op::Create => body["referenceId"].as_str().unwrap().parse().unwrap(),
        Op::Cancel => body["ids"][0].as_i64().unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_token_expiring_while_100_calls_are_in_flight_causes_one_authenticate() {
    let server = MockServer::start().await;
    let valid = Arc::new(Mutex::new(Vec::new()));
    let (expired, held) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    Mock::given(method("POST")).and(path(AUTHENTICATE)).respond_with(Tokens { issued: AtomicUsize::new(0), valid: Arc::clone(&valid) }).mount(&server).await;
    for op in Op::ALL {
        let payments = Payments { op, valid: Arc::clone(&valid), expired: Arc::clone(&expired), held: Arc::clone(&held) };
        Mock::given(method("POST")).and(path(op.path())).respond_with(payments).mount(&server).await;
    }
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let client = Client::builder(&server.uri(), ApiKey::new("panel-password"))
        // Longer than the 250 ms the server holds each call: no timeout in this test.
        .limits(Limits { request_timeout: Duration::from_secs(3), ..limits() })
        .clock(clock.clone())
        .build()
        .unwrap();

    assert_eq!(Op::Cancel.send(&client, 1000).await.expect("warm-up: the token is cached"), [1000]);

    expired.store(true, Ordering::SeqCst);
    let calls: Vec<_> = (0..100)
        .map(|n| {
            let (client, op) = (client.clone(), Op::ALL[n as usize % 2]);
            tokio::spawn(async move { (op, op.send(&client, n).await) })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(5);
    while held.load(Ordering::SeqCst) < 100 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(held.load(Ordering::SeqCst), 100, "all 100 were in flight with the old token");
    clock.advance(Duration::from_secs(24 * 3600));

    for (n, call) in calls.into_iter().enumerate() {
        let (op, result) = call.await.expect("task");
        assert_eq!(result.unwrap_or_else(|e| panic!("{op:?} {n}: {e:?}")), [n as i64], "each caller gets its own answer");
    }

    let received = server.received_requests().await.unwrap();
    let tokens: Vec<&Request> = received.iter().filter(|r| r.url.path() == AUTHENTICATE).collect();
    assert_eq!(tokens.len(), 2, "the first token and exactly one refresh");
    let second = valid.lock().unwrap()[1].clone();
    for n in 0..100 {
        let op = Op::ALL[n as usize % 2];
        let sends: Vec<&str> = received
            .iter()
            .filter(|r| r.url.path() == op.path() && subject(op, r) == n)
            .map(|r| r.headers.get("x-access-token").unwrap().to_str().unwrap())
            .collect();
        assert_eq!(sends, ["token-1", second.as_str()], "{op:?} {n}: refused once (nothing done), done once");
    }
}
