//! `Debug` never shows a client secret, an authorization code or a token, and shows a
//! wallet number at most by its last four digits.

use payspec_core::secret::AuthorizationCode;
use payspec_mediacube::types::{IssueTokenRequest, IssueTokenRequestGrantType, IssueTokenResponse};
use payspec_mediacube::{Client, Credentials, PaymentBatch, STAGE_BASE_URL};

const SECRET: &str = "s3cr3t-client-secret";
const CODE: &str = "auth-code-0123456789";
const ACCESS: &str = "access-token-abcdef";
const REFRESH: &str = "refresh-token-ghijkl";
const WALLET: &str = "1111222233334444";

fn assert_hides_secrets(debug: &str) {
    for secret in [SECRET, CODE, ACCESS, REFRESH] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(
        !debug.contains("11112222"),
        "wallet digits beyond the last four in {debug}"
    );
}

#[test]
fn credentials_and_clients_hide_the_client_secret() {
    let credentials = Credentials::new(1, SECRET);
    assert_hides_secrets(&format!("{credentials:?}"));
    let builder = Client::builder(STAGE_BASE_URL, credentials.clone());
    assert_hides_secrets(&format!("{builder:?}"));
    let client = Client::new(STAGE_BASE_URL, credentials).unwrap();
    let debug = format!("{client:?}");
    assert_hides_secrets(&debug);
    assert!(debug.contains("client_id: 1"), "still useful: {debug}");
}

#[test]
fn token_requests_and_responses_hide_code_and_tokens() {
    let request = IssueTokenRequest {
        grant_type: IssueTokenRequestGrantType::AuthorizationCode,
        client_id: 1,
        client_secret: SECRET.into(),
        redirect_uri: Some("https://example.com/callback".to_string()),
        code: Some(AuthorizationCode::new(CODE)),
    };
    assert_hides_secrets(&format!("{request:?}"));
    let response: IssueTokenResponse = serde_json::from_value(serde_json::json!({
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "expires_in": 3600,
    }))
    .unwrap();
    assert_hides_secrets(&format!("{response:?}"));
    // The wire still gets them in full.
    let wire = serde_json::to_string(&request).unwrap();
    assert!(wire.contains(SECRET) && wire.contains(CODE));
}

#[test]
fn batches_show_wallets_by_their_last_four_digits_only() {
    let batch = PaymentBatch::new(vec![payspec_mediacube::types::PaymentItem {
        amount: "10.0000000001".parse().unwrap(),
        wallet: WALLET.into(),
        description: "Test payment 1".to_string(),
    }]);
    let debug = format!("{batch:?}");
    assert_hides_secrets(&debug);
    assert!(debug.contains("****4444"), "{debug}");
    assert!(debug.contains("10.0000000001"), "{debug}");
    let wire = serde_json::to_string(&batch.payments()[0]).unwrap();
    assert!(wire.contains(WALLET));
}
