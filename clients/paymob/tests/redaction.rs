//! Secrets never show in `Debug` or `Display`: not the password, the client secret, the
//! PIN, the tokens, nor more of the MSISDN than its last four digits.

mod support;

use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCESS_TOKEN: &str = "access-Df0Z0r74hx";
const REFRESH_TOKEN: &str = "refresh-Y23rwVNSRt";

fn assert_no_secret(text: &str, what: &str) {
    for secret in [
        PASSWORD,
        CLIENT_SECRET,
        PIN,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        MSISDN,
    ] {
        assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
    }
}

#[tokio::test]
async fn debug_and_display_show_no_secret() {
    let server = MockServer::start().await;
    mount_password_grant(&server, ACCESS_TOKEN, REFRESH_TOKEN).await;
    Mock::given(method("POST"))
        .and(path(DISBURSE_PATH))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let token = client.access_token().await.expect("token");
    let request = disbursement("150.50");
    let error = client
        .disburse(request.clone())
        .await
        .expect_err("outcome unknown");

    assert_no_secret(&format!("{:?}", credentials()), "Credentials");
    assert_no_secret(&format!("{client:?}"), "Client");
    assert_no_secret(
        &format!(
            "{:?}",
            payspec_paymob::Client::builder(environment(&server), credentials())
        ),
        "ClientBuilder",
    );
    assert_no_secret(&format!("{token:?}"), "Token");
    assert_no_secret(&format!("{request:?}"), "DisbursementRequest");
    assert_no_secret(&format!("{error:?}"), "Error (Debug)");
    assert_no_secret(&error.to_string(), "Error (Display)");

    // What may show does show: the client id and the wallet's last four digits.
    assert!(format!("{client:?}").contains(CLIENT_ID));
    assert!(format!("{request:?}").contains("****5678"));
    assert!(error.to_string().contains("****5678"));
}
