//! Paymob fault injection against loopback servers: for each fault, the typed error the
//! caller sees and what reached the server. A disbursement moves money: it arrives at
//! most once, except the one documented repeat after a rejected token (nothing was
//! processed); the token call is retry-safe and repeated within the retry budget. The
//! token expiring while 100 disbursements are in flight causes exactly one refresh
//! (refresh-token grant), and every disbursement gets its own answer.
//!
//! Request 0 on a `ScriptedServer` is the token request (`disburse` obtains the token
//! before it sends anything); requests are counted by path from what the server read.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use payspec_core::retry::RetryPolicy;
use payspec_core::token::ManualClock;
use payspec_core::transport::BodyTooLarge;
use payspec_core::OutcomeUnknown;
use payspec_paymob::types::{DisbursementRequest, DisbursementRequestFees, DisbursementResponse, DisbursementResponseStatusCode};
use payspec_paymob::{ApiError, Client, Credentials, Environment, Error, HttpFailure, Limits};
use payspec_tests::scripted::{Reply, ScriptedServer};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = r#"{"access_token":"access-1","expires_in":3600,"refresh_token":"refresh-1","scope":"read write","token_type":"Bearer"}"#;
const SUCCESS: &str = r#"{"disbursement_status":"success","status_description":"","status_code":"200"}"#;
const TOKEN_PATH: &str = "/api/secure/o/token/";
const DISBURSE_PATH: &str = "/api/secure/disburse/";
const REFERENCE: &str = "to msisdn ****5678 of amount 150.50";
const CAP: usize = 64 * 1024;

fn limits() -> Limits {
    Limits {
        request_timeout: Duration::from_millis(400),
        max_body_bytes: CAP,
        retry: RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(50), ..RetryPolicy::default() },
        ..Limits::default()
    }
}

fn credentials() -> Credentials {
    Credentials::new("paymob-client", "client-secret", "api-user", "api-password")
}

fn client(uri: &str) -> Client {
    Client::builder(Environment::Custom(format!("{uri}/api/secure")), credentials()).limits(limits()).build().expect("client")
}

fn disbursement(amount: &str) -> DisbursementRequest {
    DisbursementRequest {
        msisdn: "01012345678".into(),
        amount: amount.parse().unwrap(),
        pin: Some("4821".into()),
        fees: Some(DisbursementRequestFees::Full),
    }
}

async fn disburse(server: &ScriptedServer) -> Result<DisbursementResponse, Error> {
    client(&server.uri()).disburse(disbursement("150.50")).await
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

/// The outcome-unknown error, checked to name the disbursement.
fn unknown(error: &Error) -> &OutcomeUnknown {
    match error {
        Error::OutcomeUnknown(unknown) => {
            assert_eq!(unknown.operation, "create_disbursement");
            assert_eq!(unknown.reference, REFERENCE, "the wallet's last four digits and the amount");
            unknown
        }
        other => panic!("expected outcome unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn response_delayed_past_the_timeout_is_outcome_unknown_and_sent_once() {
    let server = token_then(Reply::After(Duration::from_secs(3), Box::new(Reply::json(200, SUCCESS)))).await;
    let started = Instant::now();
    let error = disburse(&server).await.expect_err("timed out");
    let cause = &unknown(&error).cause;
    assert!(cause.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout), "{cause:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1));
}

#[tokio::test]
async fn connection_reset_mid_body_is_outcome_unknown() {
    let server = token_then(Reply::truncated(300, br#"{"disbursement_status":"succ"#)).await;
    let error = disburse(&server).await.expect_err("cut");
    assert!(unknown(&error).cause.downcast_ref::<reqwest::Error>().is_some(), "{error:?}");
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1));
}

#[tokio::test]
async fn server_errors_are_outcome_unknown_with_status_and_body_and_never_repeated() {
    for status in [500, 502, 503] {
        let server = token_then(html(status)).await;
        let error = disburse(&server).await.expect_err("5xx");
        let cause = unknown(&error).cause.downcast_ref::<Error>().expect("the typed answer");
        assert!(
            matches!(cause, Error::Api { error: ApiError::Http(HttpFailure::ServerError(s)), body, .. } if s.as_u16() == status && body.starts_with(b"<html>")),
            "{cause:?}"
        );
        assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1), "HTTP {status}");
    }
}

#[tokio::test]
async fn rate_limited_disbursements_are_refused_at_once_and_a_rate_limited_token_call_waits() {
    let server = token_then(Reply::json_with_headers(429, &["retry-after: 1"], r#"{"detail":"Request was throttled."}"#)).await;
    let started = Instant::now();
    let error = disburse(&server).await.expect_err("429");
    assert!(
        matches!(&error, Error::Api { status, error: ApiError::Http(HttpFailure::TooManyRequests), body } if status.as_u16() == 429 && body.starts_with(b"{\"detail\"")),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1));

    let server = ScriptedServer::start(|n| match n {
        0 => Reply::json_with_headers(429, &["retry-after: 1"], r#"{"error":"rate_limited"}"#),
        1 => Reply::json(200, TOKEN),
        _ => Reply::json(200, SUCCESS),
    })
    .await;
    let started = Instant::now();
    let done = disburse(&server).await.expect("disbursed after the wait");
    assert_eq!(done.status_code, DisbursementResponseStatusCode::X200);
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After honoured: {:?}", started.elapsed());
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 2));
}

#[tokio::test]
async fn unreadable_success_bodies_are_outcome_unknown() {
    let cases: [(&str, Reply); 4] = [
        ("malformed JSON", Reply::json(200, r#"{"disbursement_status": "success", "#)),
        ("HTML with 200", Reply::with_body(200, "text/html", b"<html>maintenance</html>")),
        ("empty body", Reply::with_body(200, "application/json", b"")),
        ("wrong shape", Reply::json(200, r#"{"disbursement_status": ["success"]}"#)),
    ];
    for (fault, reply) in cases {
        let server = token_then(reply).await;
        let error = disburse(&server).await.expect_err(fault);
        let cause = &unknown(&error).cause;
        assert!(cause.downcast_ref::<serde_json::Error>().is_some(), "{fault}: {cause:?}");
        assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1), "{fault}");
    }
}

#[tokio::test]
async fn a_wrong_content_type_does_not_lose_the_result() {
    let server = token_then(Reply::with_body(200, "text/plain", SUCCESS.as_bytes())).await;
    let done = disburse(&server).await.expect("read by its body");
    assert_eq!(done.status_code, DisbursementResponseStatusCode::X200);

    // Nor the verdict of a documented failure sent as text/html.
    let failed = r#"{"disbursement_status":"failed","status_description":"exceeds you budget limit","status_code":"6061"}"#;
    let server = token_then(Reply::with_body(200, "text/html", failed.as_bytes())).await;
    let error = disburse(&server).await.expect_err("failed");
    assert!(matches!(&error, Error::Api { error: ApiError::Disbursement(d), .. } if d.status_code == DisbursementResponseStatusCode::X6061), "{error:?}");
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1));
}

#[tokio::test]
async fn bodies_larger_than_the_cap() {
    let huge = json!({"disbursement_status": "success", "status_code": "200", "status_description": "x".repeat(2 * CAP)}).to_string();
    let mut chunked = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(huge.as_bytes());
    let error_body = json!({"disbursement_status": "failed", "status_code": "400", "status_description": "x".repeat(2 * CAP)}).to_string();
    let cases = [("declared", Reply::json(200, &huge)), ("streamed", Reply::Raw(chunked)), ("error body", Reply::json(400, &error_body))];
    for (how, reply) in cases {
        let server = token_then(reply).await;
        let error = disburse(&server).await.expect_err("too large");
        let cause = &unknown(&error).cause;
        assert_eq!(cause.downcast_ref::<BodyTooLarge>(), Some(&BodyTooLarge { limit: CAP }), "{how}: {cause:?}");
        assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (1, 1), "{how}");
    }
}

#[tokio::test]
async fn token_endpoint_faults_send_no_disbursement() {
    let server = ScriptedServer::start(|_| Reply::After(Duration::from_secs(2), Box::new(Reply::json(200, TOKEN)))).await;
    let error = disburse(&server).await.expect_err("no token");
    // Nothing was disbursed, and the error says so: not outcome-unknown.
    assert!(matches!(&error, Error::Transport(e) if e.is_timeout()), "{error:?}");
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (0, 3));

    let server = ScriptedServer::start(|_| Reply::with_body(200, "text/html", b"<html>login</html>")).await;
    let error = disburse(&server).await.expect_err("no token");
    assert!(matches!(&error, Error::InvalidResponse { .. }), "{error:?}");
    assert_eq!((on(&server, DISBURSE_PATH), on(&server, TOKEN_PATH)), (0, 1));
}

/// Paymob's token endpoint: the password grant issues `access-1` for an hour, the
/// refresh grant `access-<n>` for two (so one refresh is enough however the refresh and
/// the clock interleave).
struct Tokens {
    issued: AtomicUsize,
    valid: Arc<Mutex<Vec<String>>>,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let access = format!("access-{n}");
        self.valid.lock().unwrap().push(access.clone());
        let lifetime = if n == 1 { 3600 } else { 7200 };
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": access, "expires_in": lifetime, "refresh_token": format!("refresh-{n}"), "token_type": "Bearer"}))
            .set_delay(Duration::from_millis(50))
    }
}

/// Disbursements: with `access-1` once `expired` is set, held and refused with the
/// documented "401" body; with a valid token, succeeded, the amount echoed in
/// `status_description` so each caller's answer can be told apart.
struct Disbursements {
    valid: Arc<Mutex<Vec<String>>>,
    expired: Arc<AtomicBool>,
    held: Arc<AtomicUsize>,
}

impl Respond for Disbursements {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let bearer = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let rejected = json!({"disbursement_status": "failed", "status_description": "Authentication credentials were not provided.", "status_code": "401"});
        if bearer == "Bearer access-1" && self.expired.load(Ordering::SeqCst) {
            self.held.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(401).set_body_json(rejected).set_delay(Duration::from_millis(250));
        }
        if !self.valid.lock().unwrap().iter().any(|token| format!("Bearer {token}") == bearer) {
            return ResponseTemplate::new(401).set_body_json(rejected);
        }
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        ResponseTemplate::new(200).set_body_json(json!({"disbursement_status": "success", "status_code": "200", "status_description": body["amount"]}))
    }
}

fn grant(request: &wiremock::Request) -> String {
    let body = String::from_utf8_lossy(&request.body);
    body.split('&').find_map(|pair| pair.strip_prefix("grant_type=")).unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_token_expiring_while_100_disbursements_are_in_flight_causes_one_refresh() {
    let server = MockServer::start().await;
    let valid = Arc::new(Mutex::new(Vec::new()));
    let (expired, held) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(Tokens { issued: AtomicUsize::new(0), valid: Arc::clone(&valid) }).mount(&server).await;
    let disbursements = Disbursements { valid: Arc::clone(&valid), expired: Arc::clone(&expired), held: Arc::clone(&held) };
    Mock::given(method("POST")).and(path(DISBURSE_PATH)).respond_with(disbursements).mount(&server).await;
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let client = Client::builder(Environment::Custom(format!("{}/api/secure", server.uri())), credentials())
        // Longer than the 250 ms the server holds each disbursement: no timeout here.
        .limits(Limits { request_timeout: Duration::from_secs(3), ..limits() })
        .clock(clock.clone())
        .refresh_ahead(Duration::from_secs(300))
        .build()
        .unwrap();

    client.disburse(disbursement("999.00")).await.expect("warm-up: the token is cached");

    expired.store(true, Ordering::SeqCst);
    let amounts: Vec<String> = (0..100).map(|i| format!("{}.{:02}", 1 + i / 100, i % 100)).collect();
    let calls: Vec<_> = amounts
        .iter()
        .map(|amount| {
            let (client, request) = (client.clone(), disbursement(amount));
            tokio::spawn(async move { client.disburse(request).await })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(5);
    while held.load(Ordering::SeqCst) < 100 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(held.load(Ordering::SeqCst), 100, "all 100 were in flight with the old token");
    clock.advance(Duration::from_secs(3600));

    for (call, amount) in calls.into_iter().zip(&amounts) {
        let done = call.await.expect("task").unwrap_or_else(|e| panic!("{amount}: {e:?}"));
        assert_eq!(done.status_code, DisbursementResponseStatusCode::X200);
        assert_eq!(done.status_description.message(), Some(amount.as_str()), "each caller gets its own answer");
    }

    let received = server.received_requests().await.unwrap();
    let grants: Vec<String> = received.iter().filter(|r| r.url.path() == TOKEN_PATH).map(grant).collect();
    assert_eq!(grants, ["password", "refresh_token"], "the first token and exactly one refresh");
    for amount in &amounts {
        let sends: Vec<&str> = received
            .iter()
            .filter(|r| r.url.path() == DISBURSE_PATH)
            .filter(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["amount"] == amount.as_str())
            .map(|r| r.headers.get("authorization").unwrap().to_str().unwrap())
            .collect();
        assert_eq!(sends, ["Bearer access-1", "Bearer access-2"], "{amount}: refused once (nothing paid), paid once");
    }
}
