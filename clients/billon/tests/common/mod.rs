//! What the test files share: a Billon stand-in on 127.0.0.1 that issues tokens, a
//! documented payout request, and JWT helpers. Each test file uses a part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use payspec_billon::{types, ApiKey, Client, Limits};
use payspec_core::token::ManualClock;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The Authentication password the tests configure.
pub const API_KEY: &str = "panel-authentication-password";

/// Where the test clock starts (2023-11-14T22:13:20Z).
pub fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A JWT whose payload is `claims` (unsigned: the client does not verify).
pub fn jwt(claims: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.c2lnbmF0dXJl")
}

/// A JWT expiring `after` the test clock's start.
pub fn jwt_expiring(after: Duration, serial: usize) -> String {
    let exp = (start() + after)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    jwt(&serde_json::json!({ "id": serial, "exp": exp }))
}

/// Answers `authenticate` with a new token each time: `token(n)` for the n-th call
/// (from 1), after `delay`.
pub struct TokenIssuer {
    issued: Arc<AtomicUsize>,
    token: fn(usize) -> String,
    delay: Duration,
}

impl Respond for TokenIssuer {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let serial = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({ "token": (self.token)(serial) }))
            .set_delay(self.delay)
    }
}

/// Opaque tokens `token-1`, `token-2`, ...
pub fn opaque(serial: usize) -> String {
    format!("token-{serial}")
}

/// Mounts `authenticate` issuing `token(n)`; the returned counter counts the calls.
pub async fn issue_tokens(
    server: &MockServer,
    token: fn(usize) -> String,
    delay: Duration,
) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/api/authenticate"))
        .respond_with(TokenIssuer {
            issued: Arc::clone(&issued),
            token,
            delay,
        })
        .mount(server)
        .await;
    issued
}

/// A client of `server` whose token expiry is judged by `clock`.
pub fn client_with_clock(server: &MockServer, clock: &Arc<ManualClock>) -> Client {
    Client::builder(&server.uri(), ApiKey::new(API_KEY))
        .clock(Arc::clone(clock) as Arc<dyn payspec_core::token::Clock>)
        .build()
        .expect("client")
}

/// A client of `server` with short timeouts, so a lost answer is found out quickly.
pub fn client(server: &MockServer) -> Client {
    Client::builder(&server.uri(), ApiKey::new(API_KEY))
        .limits(Limits {
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_millis(500),
            ..Limits::default()
        })
        .build()
        .expect("client")
}

/// The documented example request, with the client's decisions applied: the dates as
/// RFC 3339 UTC date-times and `referenceId` as the string the parameter table types.
pub fn documented_request() -> types::CreatePayoutRequest {
    types::CreatePayoutRequest::builder()
        .amount(payspec_billon::DecimalNumber::from(1))
        .currency("GBP")
        .start_date(Utc.with_ymd_and_hms(2018, 1, 1, 12, 0, 0).unwrap())
        .end_date(Utc.with_ymd_and_hms(2018, 1, 2, 0, 0, 0).unwrap())
        .name("Project name")
        .description("Payment description")
        .user_name(Some("tester".to_string()))
        .phone_number(Some("123456789".into()))
        .reference_id(Some("1".to_string()))
        .first_name(Some("test".to_string()))
        .last_name(Some("tester".to_string()))
        .email(Some("test@test.test".to_string()))
        .notification(true)
        .try_into()
        .expect("every required field is set")
}

/// The documented example response of `create_payout`.
pub fn created_response() -> serde_json::Value {
    serde_json::json!({
        "payments": [{
            "amount": 1,
            "id": 1,
            "currency": "PLN",
            "startDate": "2018-01-01T12:00:00.000Z",
            "endDate": "2018-01-02T00:00:00.000Z",
            "description": "Payment description",
            "notification": true,
            "status": "READY",
            "recipientId": 1,
            "projectId": 1,
            "updatedAt": "2018-01-01T00:00:00.000Z",
            "createdAt": "2018-01-01T00:00:00.000Z"
        }]
    })
}

/// The requests `server` received at `path`.
pub async fn received_at(server: &MockServer, at: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|request| request.url.path() == at)
        .collect()
}

/// The header `name` of `request` as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header"))
}
