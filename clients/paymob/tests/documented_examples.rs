//! Every example the docs give (all of them are in the spec) parses to the outcome the
//! docs describe, both as a type and through the client on the wire. A new example in
//! the spec fails the test until it is given an expected outcome here.

mod support;

use std::collections::{BTreeSet, HashMap};

use payspec_paymob::types::{
    DisbursementResponse, DisbursementResponseDisbursementStatus as Status,
    DisbursementResponseStatusCode as Code, TokenErrorResponse, TokenErrorResponseError,
    TokenExpiresIn, TokenRequest, TokenRequestGrantType, TokenResponse,
};
use payspec_paymob::{ApiError, Error};
use payspec_tests::Example;
use serde_json::Value;
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The Arabic message of the docs' "618" sample, typed here independently of the spec.
const NOT_ELIGIBLE_618: &str =
    "لا يمكن إتمام العملية؛ برجاء العلم أن هذا العميل ليس غير مؤهل لخدمات فودافون كاش";

fn examples() -> Vec<Example> {
    payspec_tests::examples(&payspec_tests::spec("paymob"))
}

fn example(operation: &str, name: &str) -> Example {
    examples()
        .into_iter()
        .find(|example| example.operation == operation && example.name == name)
        .unwrap_or_else(|| panic!("no example {operation}/{name}"))
}

#[test]
fn every_example_has_an_expected_outcome() {
    let names: BTreeSet<String> = examples()
        .iter()
        .map(|example| format!("{}/{:?}/{}", example.operation, example.kind, example.name))
        .collect();
    let covered: BTreeSet<String> = [
        "generate_token/Request/generate_token",
        "generate_token/Request/refresh_token",
        "generate_token/Response(\"200\")/token",
        "generate_token/Response(\"4XX\")/invalid_grant",
        "create_disbursement/Response(\"200\")/success",
        "create_disbursement/Response(\"200\")/not_eligible_618",
        "create_disbursement/Response(\"200\")/budget_exceeded_6061",
        "create_disbursement/Response(\"4XX\")/token_expired",
        "create_disbursement/Response(\"4XX\")/validation_failed",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(names, covered);
}

/// Parses `example` as `T` and checks it writes back to the same JSON: nothing dropped,
/// every value (Arabic text, number vs string) exactly as documented.
fn parse_exactly<T: serde::de::DeserializeOwned + serde::Serialize>(example: &Example) -> T {
    let parsed: T = serde_json::from_value(example.value.clone())
        .unwrap_or_else(|e| panic!("{}: {e}", example.name));
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        example.value,
        "{}",
        example.name
    );
    parsed
}

#[test]
fn the_token_examples_parse() {
    let password: TokenRequest = parse_exactly(&example("generate_token", "generate_token"));
    assert_eq!(password.grant_type, TokenRequestGrantType::Password);
    assert_eq!(
        password.password.as_ref().map(|p| p.expose()),
        Some("{PASSWORD}")
    );

    let refresh: TokenRequest = parse_exactly(&example("generate_token", "refresh_token"));
    assert_eq!(refresh.grant_type, TokenRequestGrantType::RefreshToken);

    let token: TokenResponse = parse_exactly(&example("generate_token", "token"));
    assert_eq!(
        token.access_token.expose(),
        "Df0Z0r74hxZmO47mo9QnRrncVJIGU6"
    );
    assert_eq!(token.expires_in, TokenExpiresIn::Int64(3600));
    assert_eq!(
        token.refresh_token.as_ref().map(|t| t.expose()),
        Some("Y23rwVNSRtLjhy2nIwslJdo3FbAS6d")
    );

    let refused: TokenErrorResponse = parse_exactly(&example("generate_token", "invalid_grant"));
    assert_eq!(refused.error, TokenErrorResponseError::InvalidGrant);
}

#[test]
fn the_disbursement_examples_parse() {
    let success: DisbursementResponse = parse_exactly(&example("create_disbursement", "success"));
    assert_eq!(
        (success.disbursement_status, success.status_code),
        (Status::Success, Code::X200)
    );
    assert_eq!(success.status_description.message(), Some(""));

    let expired: DisbursementResponse =
        parse_exactly(&example("create_disbursement", "token_expired"));
    assert_eq!(
        (expired.disbursement_status, expired.status_code),
        (Status::Failed, Code::X401)
    );

    let invalid: DisbursementResponse =
        parse_exactly(&example("create_disbursement", "validation_failed"));
    assert_eq!(invalid.status_code, Code::X400);
    let required = vec!["This field is required.".to_string()];
    assert_eq!(
        invalid.status_description.field_errors(),
        Some(&HashMap::from([
            ("amount".to_string(), required.clone()),
            ("msisdn".to_string(), required)
        ]))
    );

    let not_eligible: DisbursementResponse =
        parse_exactly(&example("create_disbursement", "not_eligible_618"));
    assert_eq!(not_eligible.status_code, Code::X618);
    assert_eq!(
        not_eligible.status_description.message(),
        Some(NOT_ELIGIBLE_618)
    );

    let budget: DisbursementResponse =
        parse_exactly(&example("create_disbursement", "budget_exceeded_6061"));
    assert_eq!(budget.status_code, Code::X6061);
    assert_eq!(
        budget.status_description.message(),
        Some("Sorry, the amount to be disbursed exceeds you budget limit.")
    );
}

/// The grants the client sends carry exactly the fields of the documented calls.
#[tokio::test]
async fn the_client_sends_the_documented_grant_fields() {
    let server = MockServer::start().await;
    mount_password_grant(&server, "access-1", "refresh-1").await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(FormField("grant_type", "refresh_token"))
        .respond_with(issued("access-2", "refresh-2"))
        .mount(&server)
        .await;
    let (client, clock) = client_with_clock(&server);
    client.access_token().await.expect("password grant");
    clock.advance(minutes(60));
    client.access_token().await.expect("refresh grant");

    let sent = requests_to(&server, TOKEN_PATH).await;
    for (request, documented) in sent.iter().zip(["generate_token", "refresh_token"]) {
        let documented: BTreeSet<String> = example("generate_token", documented)
            .value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        let sent: BTreeSet<String> = form(request).into_keys().collect();
        assert_eq!(sent, documented);
    }
}

#[tokio::test]
async fn the_documented_token_answers_through_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(example("generate_token", "token").value),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(example("generate_token", "invalid_grant").value),
        )
        .mount(&server)
        .await;
    let (client, clock) = client_with_clock(&server);
    let start = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);

    let token = client.access_token().await.expect("the documented token");
    assert_eq!(
        token.access_token.expose(),
        "Df0Z0r74hxZmO47mo9QnRrncVJIGU6"
    );
    assert_eq!(token.expires_at, Some(start + minutes(60)));

    clock.advance(minutes(60));
    // The refresh and then the password grant are both refused with the documented body.
    let error = client.access_token().await.expect_err("refused");
    assert!(
        matches!(&error, Error::Api { status, error: ApiError::Token(refused), .. }
            if status.as_u16() == 400 && refused.error == TokenErrorResponseError::InvalidGrant),
        "{error:?}"
    );
}

/// Serves the documented disbursement answer `name` with `http_status` and returns
/// what the client made of it.
async fn disburse_against(name: &str, http_status: u16) -> Result<DisbursementResponse, Error> {
    let server = MockServer::start().await;
    mount_password_grant(&server, "access-1", "refresh-1").await;
    let body: Value = example("create_disbursement", name).value;
    Mock::given(method("POST"))
        .and(path(DISBURSE_PATH))
        .respond_with(ResponseTemplate::new(http_status).set_body_json(body))
        .mount(&server)
        .await;
    client(&server).disburse(disbursement("150.50")).await
}

fn failure(result: Result<DisbursementResponse, Error>) -> (u16, DisbursementResponse) {
    match result {
        Err(Error::Api {
            status,
            error: ApiError::Disbursement(failed),
            ..
        }) => (status.as_u16(), failed),
        other => panic!("expected a failed disbursement, got {other:?}"),
    }
}

#[tokio::test]
async fn the_documented_disbursement_answers_through_the_client() {
    let success = disburse_against("success", 200)
        .await
        .expect("the success sample");
    assert_eq!(success.status_code, Code::X200);

    let (status, not_eligible) = failure(disburse_against("not_eligible_618", 200).await);
    assert_eq!((status, not_eligible.status_code), (200, Code::X618));
    assert_eq!(
        not_eligible.status_description.message(),
        Some(NOT_ELIGIBLE_618)
    );

    let (status, budget) = failure(disburse_against("budget_exceeded_6061", 200).await);
    assert_eq!((status, budget.status_code), (200, Code::X6061));

    let (status, expired) = failure(disburse_against("token_expired", 401).await);
    assert_eq!((status, expired.status_code), (401, Code::X401));

    let (status, invalid) = failure(disburse_against("validation_failed", 400).await);
    assert_eq!((status, invalid.status_code), (400, Code::X400));
    let fields = invalid
        .status_description
        .field_errors()
        .expect("a field map");
    assert_eq!(fields["msisdn"], ["This field is required."]);
}

#[test]
fn the_named_environments_are_the_documented_servers() {
    let spec = payspec_tests::spec("paymob");
    let servers: Vec<&str> = spec["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .map(|server| server["url"].as_str().expect("a url"))
        .collect();
    assert_eq!(
        servers,
        [
            payspec_paymob::Environment::Staging.base_url(),
            payspec_paymob::Environment::Production.base_url()
        ]
    );
}
