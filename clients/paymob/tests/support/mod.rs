//! What the tests share: credentials, a client against a local server, token answers,
//! and readers for what arrived on the wire.

#![allow(dead_code)] // each test crate uses a different part of this module

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use payspec_core::token::ManualClock;
use payspec_paymob::{types, Client, Credentials, Environment, Limits};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

pub const CLIENT_ID: &str = "paymob-client";
pub const CLIENT_SECRET: &str = "client-s3cret";
pub const USERNAME: &str = "api-user";
pub const PASSWORD: &str = "user-passw0rd";
/// `Basic base64("paymob-client:client-s3cret")`, computed independently of the crate.
pub const BASIC: &str = "Basic cGF5bW9iLWNsaWVudDpjbGllbnQtczNjcmV0";

pub const TOKEN_PATH: &str = "/api/secure/o/token/";
pub const DISBURSE_PATH: &str = "/api/secure/disburse/";

pub const MSISDN: &str = "01012345678";
pub const PIN: &str = "9731";

pub fn credentials() -> Credentials {
    Credentials::new(CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD)
}

/// Short limits: every test is bounded in time.
pub fn limits() -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        ..Limits::default()
    }
}

pub fn environment(server: &MockServer) -> Environment {
    Environment::Custom(format!("{}/api/secure/", server.uri()))
}

pub fn client(server: &MockServer) -> Client {
    Client::builder(environment(server), credentials())
        .limits(limits())
        .build()
        .expect("client")
}

/// A clock stopped at a fixed instant, and a client that measures token lifetimes on it.
pub fn client_with_clock(server: &MockServer) -> (Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    ));
    let client = Client::builder(environment(server), credentials())
        .limits(limits())
        .clock(clock.clone())
        .refresh_ahead(Duration::from_secs(5 * 60))
        .build()
        .expect("client");
    (client, clock)
}

pub fn minutes(minutes: u64) -> Duration {
    Duration::from_secs(minutes * 60)
}

/// A token answer as the docs show it (`expires_in` a number).
pub fn issued(access_token: &str, refresh_token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access_token,
        "expires_in": 3600,
        "refresh_token": refresh_token,
        "scope": "read write",
        "token_type": "Bearer",
    }))
}

/// Matches a token request whose form field `name` is `value`.
pub struct FormField(pub &'static str, pub &'static str);

impl Match for FormField {
    fn matches(&self, request: &Request) -> bool {
        form(request).get(self.0).map(String::as_str) == Some(self.1)
    }
}

/// Answers the password grant with `access_token` / `refresh_token`.
pub async fn mount_password_grant(server: &MockServer, access_token: &str, refresh_token: &str) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "password"))
        .respond_with(issued(access_token, refresh_token))
        .mount(server)
        .await;
}

/// Answers every disbursement with the documented success body.
pub async fn mount_disbursement_success(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(DISBURSE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(success_body()))
        .mount(server)
        .await;
}

pub fn success_body() -> Value {
    json!({"disbursement_status": "success", "status_description": "", "status_code": "200"})
}

pub fn disbursement(amount: &str) -> types::DisbursementRequest {
    types::DisbursementRequest {
        msisdn: MSISDN.into(),
        amount: amount.parse().expect("amount"),
        pin: Some(PIN.into()),
        fees: Some(types::DisbursementRequestFees::Half),
    }
}

/// A form body as field -> value.
pub fn form(request: &Request) -> BTreeMap<String, String> {
    serde_urlencoded::from_bytes(&request.body).expect("a form body")
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header"))
}

/// The requests that reached `path`, in order.
pub async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|request| request.url.path() == path)
        .collect()
}

/// The `Authorization` header of every disbursement, in order.
pub async fn bearers(server: &MockServer) -> Vec<String> {
    requests_to(server, DISBURSE_PATH)
        .await
        .iter()
        .map(|request| {
            header(request, "authorization")
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}
