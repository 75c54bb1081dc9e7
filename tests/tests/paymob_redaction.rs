//! Redaction proof for Paymob: sentinel secrets (client secret, password, PIN, access
//! and refresh tokens, MSISDN) in every request type never appear in Debug output, in
//! errors, nor in anything traced during full request cycles, successful and failing.
//! They do appear on the wire, where they belong.

use std::time::SystemTime;

use payspec_core::token::Token;
use payspec_paymob::types::{DisbursementRequest, DisbursementRequestFees, TokenRequest, TokenRequestGrantType, TokenResponse};
use payspec_paymob::{Client, Credentials, Environment, Error};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::traces::Traces;
use serde_json::json;

// Distinctive enough never to occur by chance in timestamps, ids or latencies.
const CLIENT_SECRET: &str = "sentinel-client-secret-8143";
const PASSWORD: &str = "sentinel-password-2291";
const PIN: &str = "sentinel-pin-4821";
const ACCESS: &str = "sentinel-access-token-6075";
const ACCESS_2: &str = "sentinel-access-token-7362";
const REFRESH: &str = "sentinel-refresh-token-9518";
const REFRESH_2: &str = "sentinel-refresh-token-1187";
const MSISDN: &str = "01093847265";
/// The MSISDN without its last four digits: what must never show.
const MSISDN_HIDDEN: &str = "0109384";

fn assert_clean(text: &str, what: &str) {
    for sentinel in [CLIENT_SECRET, PASSWORD, PIN, ACCESS, ACCESS_2, REFRESH, REFRESH_2, MSISDN_HIDDEN] {
        assert!(!text.contains(sentinel), "{what} leaks {sentinel}:\n{text}");
    }
}

fn credentials() -> Credentials {
    Credentials { scope: Some("read write".into()), ..Credentials::new("paymob-client", CLIENT_SECRET, "api-user", PASSWORD) }
}

fn disbursement() -> DisbursementRequest {
    DisbursementRequest { msisdn: MSISDN.into(), amount: "150.50".parse().unwrap(), pin: Some(PIN.into()), fees: Some(DisbursementRequestFees::No) }
}

#[test]
fn debug_of_every_request_type_is_redacted() {
    let password = TokenRequest {
        grant_type: TokenRequestGrantType::Password,
        username: Some("api-user".into()),
        password: Some(PASSWORD.into()),
        scope: None,
        refresh_token: None,
        // The optional body form of the client credentials (the client sends HTTP Basic).
        client_id: Some("paymob-client".into()),
        client_secret: Some(CLIENT_SECRET.into()),
    };
    let refresh = TokenRequest { grant_type: TokenRequestGrantType::RefreshToken, refresh_token: Some(REFRESH.into()), ..password.clone() };
    let issued: TokenResponse =
        serde_json::from_value(json!({"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 3600, "token_type": "Bearer"})).unwrap();
    let token = Token { access_token: ACCESS.into(), expires_at: Some(SystemTime::now()), refresh_token: Some(REFRESH.into()) };
    let request = disbursement();
    let client = Client::new(Environment::Custom("http://127.0.0.1:9/api/secure".into()), credentials()).unwrap();
    let builder = Client::builder(Environment::Staging, credentials());
    assert_clean(
        &format!(
            "{password:?}{password:#?}{refresh:?}{refresh:#?}{issued:?}{issued:#?}{token:?}{request:?}{request:#?}\
             {client:?}{client:#?}{builder:?}{:?}{:#?}",
            credentials(),
            credentials()
        ),
        "Debug",
    );
    assert!(format!("{request:?}").contains("****7265"), "the last four digits still show");
    let wire = serde_json::to_string(&request).unwrap();
    assert!(wire.contains(MSISDN) && wire.contains(PIN));
}

#[tokio::test(flavor = "current_thread")]
async fn traces_of_full_request_cycles_are_redacted() {
    let (traces, _guard) = Traces::capture();

    let token = |access: &str, refresh: &str| json!({"access_token": access, "refresh_token": refresh, "expires_in": 3600, "token_type": "Bearer"}).to_string();
    let (token_1, token_2) = (token(ACCESS, REFRESH), token(ACCESS_2, REFRESH_2));
    let success = r#"{"disbursement_status":"success","status_description":"","status_code":"200"}"#;
    let server = ScriptedServer::start(move |n| match n {
        0 => Reply::json(200, &token_1),
        1 | 5 => Reply::json(200, success),
        2 => Reply::json(200, r#"{"disbursement_status":"failed","status_description":"not eligible","status_code":"618"}"#),
        3 => Reply::json(401, r#"{"disbursement_status":"failed","status_description":"Token is expired","status_code":"401"}"#),
        4 => Reply::json(200, &token_2),
        _ => Reply::with_body(503, "text/html", b"<html>unavailable</html>"),
    })
    .await;
    let client = Client::new(Environment::Custom(format!("{}/api/secure", server.uri())), credentials()).unwrap();
    client.disburse(disbursement()).await.expect("disbursed");
    let declined = client.disburse(disbursement()).await.expect_err("618");
    client.disburse(disbursement()).await.expect("disbursed after the refresh");
    let unknown = client.disburse(disbursement()).await.expect_err("503");
    assert!(matches!(unknown, Error::OutcomeUnknown(_)), "{unknown:?}");
    let token = client.access_token().await.unwrap();
    assert_clean(&format!("{declined:?} {declined} {unknown:?} {unknown} {token:?} {client:?}"), "errors and results");

    // A refused login.
    let refused = ScriptedServer::start(|_| Reply::json(400, r#"{"error":"invalid_grant","error_description":"Invalid credentials given."}"#)).await;
    let client_2 = Client::new(Environment::Custom(format!("{}/api/secure", refused.uri())), credentials()).unwrap();
    let login = client_2.disburse(disbursement()).await.expect_err("invalid_grant");
    assert_clean(&format!("{login:?} {login}"), "token error");

    let traced = traces.text();
    for expected in ["payspec.call", "generate_token", "create_disbursement"] {
        assert!(traced.contains(expected), "{expected} was traced:\n{traced}");
    }
    assert_clean(&traced, "tracing output");

    // The wire is the one place the secrets go.
    let wire: Vec<String> = server.received().iter().map(|r| format!("{}{}", r.head, String::from_utf8_lossy(&r.body))).collect();
    assert_eq!(wire.len(), 7);
    assert!(wire[0].contains(PASSWORD), "the password grant");
    assert!(wire[1].contains(&format!("Bearer {ACCESS}")) && wire[1].contains(MSISDN) && wire[1].contains(PIN));
    assert!(wire[4].contains(REFRESH), "the refresh grant");
    assert!(wire[5].contains(&format!("Bearer {ACCESS_2}")));
}
