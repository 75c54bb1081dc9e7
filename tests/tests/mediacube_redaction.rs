//! Redaction proof for MediaCube: sentinel secrets (client secret, authorization code,
//! access and refresh tokens, wallet number) in every request type never appear in
//! Debug output, in errors, nor in anything traced during full request cycles,
//! successful and failing. They do appear on the wire, where they belong.


use payspec_core::secret::AuthorizationCode;
use payspec_mediacube::types::{IssueTokenRequest, IssueTokenRequestGrantType, IssueTokenResponse, PaymentBatchRequest, PaymentItem};
use payspec_mediacube::{AuthorizationRequest, Client, Credentials, PaymentBatch, Scope};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::traces::Traces;
use serde_json::json;

// Distinctive enough never to occur by chance in timestamps, ids or latencies.
const CLIENT_SECRET: &str = "sentinel-client-secret-5307";
const CODE: &str = "sentinel-auth-code-6612";
const ACCESS: &str = "sentinel-access-token-1944";
const ACCESS_2: &str = "sentinel-access-token-2871";
const USER_ACCESS: &str = "sentinel-user-access-4410";
const REFRESH: &str = "sentinel-refresh-token-3390";
const WALLET: &str = "4821739165029988";
/// The wallet without its last four digits: what must never show.
const WALLET_HIDDEN: &str = "482173916502";
const REQUEST_ID: &str = "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8";

fn assert_clean(text: &str, what: &str) {
    for sentinel in [CLIENT_SECRET, CODE, ACCESS, ACCESS_2, USER_ACCESS, REFRESH, WALLET_HIDDEN] {
        assert!(!text.contains(sentinel), "{what} leaks {sentinel}:\n{text}");
    }
}

fn credentials() -> Credentials {
    Credentials::new(7, CLIENT_SECRET)
}

fn batch() -> PaymentBatch {
    let item = PaymentItem { amount: "10.0000000001".parse().unwrap(), wallet: WALLET.into(), description: "payout".into() };
    PaymentBatch::with_request_id(REQUEST_ID.parse().unwrap(), vec![item])
}

#[test]
fn debug_of_every_request_type_is_redacted() {
    let partner = IssueTokenRequest {
        grant_type: IssueTokenRequestGrantType::Partner,
        client_id: 7,
        client_secret: CLIENT_SECRET.into(),
        code: None,
        redirect_uri: None,
    };
    let exchange = IssueTokenRequest {
        grant_type: IssueTokenRequestGrantType::AuthorizationCode,
        code: Some(AuthorizationCode::new(CODE)),
        redirect_uri: Some("https://example.com/callback".into()),
        ..partner.clone()
    };
    let body: PaymentBatchRequest = serde_json::from_value(json!({
        "request_id": REQUEST_ID, "data": [{"amount": "1.5", "wallet": WALLET, "description": "d"}]
    }))
    .unwrap();
    let issued: IssueTokenResponse = serde_json::from_value(json!({"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 3600})).unwrap();
    let authorization = AuthorizationRequest::new(7, "https://example.com/callback").scopes([Scope::UserBalance]).state("csrf-state");
    let client = Client::new("http://127.0.0.1:9", credentials()).unwrap();
    let builder = Client::builder("http://127.0.0.1:9", credentials());
    let batch = batch();
    assert_clean(
        &format!(
            "{partner:?}{partner:#?}{exchange:?}{exchange:#?}{body:?}{body:#?}{batch:?}{batch:#?}{:?}{issued:?}{issued:#?}\
             {authorization:?}{client:?}{client:#?}{builder:?}{:?}",
            batch.payments(),
            credentials()
        ),
        "Debug",
    );
    // The wire gets them in full.
    let wire = format!("{}{}", serde_json::to_string(&exchange).unwrap(), serde_json::to_string(&body).unwrap());
    assert!(wire.contains(CLIENT_SECRET) && wire.contains(CODE) && wire.contains(WALLET));
}

#[tokio::test(flavor = "current_thread")]
async fn traces_of_full_request_cycles_are_redacted() {
    let (traces, _guard) = Traces::capture();

    let token = |access: &str| json!({"token_type": "Bearer", "expires_in": 3600, "access_token": access, "refresh_token": REFRESH}).to_string();
    let answer = |status: i64, err_msg: Option<i64>| json!({"data": {"request_id": REQUEST_ID, "status": status, "err_msg": err_msg, "transactions": []}}).to_string();
    let (token_1, token_2, user_token) = (token(ACCESS), token(ACCESS_2), token(USER_ACCESS));
    let (accepted, refused) = (answer(2, None), answer(3, Some(3000)));
    let server = ScriptedServer::start(move |n| match n {
        0 => Reply::json(200, &token_1),
        1 | 5 => Reply::json(200, &accepted),
        2 => Reply::json(200, &refused),
        3 => Reply::json(401, r#"{"message":"Unauthenticated."}"#),
        4 => Reply::json(200, &token_2),
        6 => Reply::with_body(502, "text/html", b"<html>bad gateway</html>"),
        7 => Reply::json(200, &user_token),
        _ => Reply::json(400, r#"{"error":"invalid_grant","message":"The authorization code has expired."}"#),
    })
    .await;
    let client = Client::new(&server.uri(), credentials()).unwrap();
    client.create_payout(batch()).await.expect("accepted");
    let declined = client.create_payout(batch()).await.expect_err("status 3");
    client.create_regional_payout(batch()).await.expect("accepted after a new token");
    let unknown = client.create_debit_payment(batch()).await.expect_err("502");
    let issued = client.exchange_code(AuthorizationCode::new(CODE), "https://example.com/callback").await.expect("user token");
    let refused_code = client.exchange_code(AuthorizationCode::new(CODE), "https://example.com/callback").await.expect_err("400");
    assert!(matches!(unknown.error, payspec_mediacube::Error::OutcomeUnknown(_)), "{unknown:?}");
    assert_clean(
        &format!("{declined:?} {declined} {unknown:?} {unknown} {refused_code:?} {refused_code} {issued:?} {client:?}"),
        "errors and results",
    );

    let traced = traces.text();
    for expected in ["payspec.call", "issue_token", "create_payout", "create_regional_payout", "create_debit_payment"] {
        assert!(traced.contains(expected), "{expected} was traced:\n{traced}");
    }
    assert_clean(&traced, "tracing output");

    // The wire is the one place the secrets go.
    let wire: Vec<String> = server.received().iter().map(|r| format!("{}{}", r.head, String::from_utf8_lossy(&r.body))).collect();
    assert_eq!(wire.len(), 9);
    assert!(wire[0].contains(CLIENT_SECRET));
    assert!(wire[1].contains(&format!("Bearer {ACCESS}")) && wire[1].contains(WALLET));
    assert!(wire[5].contains(&format!("Bearer {ACCESS_2}")));
    assert!(wire[7].contains(CODE) && wire[7].contains(CLIENT_SECRET));
}
