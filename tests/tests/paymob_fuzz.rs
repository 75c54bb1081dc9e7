//! Every Paymob response parser takes arbitrary bytes, arbitrary JSON and mutated
//! documented responses without panicking: the generated types, the hand-written
//! interpretation of what they hold (API errors, status-code meanings, validation
//! messages, general HTTP failures), and, end to end, the client reading such an answer
//! from a loopback server (token lifetime, disbursement outcome), where a disbursement
//! is also never sent more than the one repeat a rejected token allows.
//! 2,000 cases per property, unless `PROPTEST_CASES` says otherwise (for longer runs).

use std::sync::LazyLock;
use std::time::Duration;

use http::StatusCode;
use payspec_core::retry::RetryPolicy;
use payspec_paymob::types::{self, DisbursementResponseStatusCode};
use payspec_paymob::{ApiError, Client, Credentials, Environment, HttpFailure, Limits};
use payspec_tests::fuzz::{any_json, mutate};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::{examples, spec, ExampleKind};
use proptest::prelude::*;
use serde_json::Value;

/// Every parser of a Paymob response, and what the crate makes of the result.
fn parse_all(bytes: &[u8]) {
    if let Ok(token) = serde_json::from_slice::<types::TokenResponse>(bytes) {
        let _ = (format!("{token:?}"), token.expires_in.to_string());
    }
    if let Ok(refused) = serde_json::from_slice::<types::TokenErrorResponse>(bytes) {
        let _ = refused.error.meaning();
        let _ = ApiError::from(refused).to_string();
    }
    if let Ok(response) = serde_json::from_slice::<types::DisbursementResponse>(bytes) {
        let description = &response.status_description;
        let _ = (description.message(), description.field_errors(), description.to_string());
        let _ = (response.status_code.meaning(), response.disbursement_status.to_string());
        let error = ApiError::from(response);
        let _ = (error.disbursement_code(), error.to_string(), format!("{error:?}"));
    }
    let _ = serde_json::from_slice::<types::DisbursementStatusDescription>(bytes).map(|d| d.to_string());
    let _ = serde_json::from_slice::<types::TokenExpiresIn>(bytes).map(|e| e.to_string());
    let _ = serde_json::from_slice::<DisbursementResponseStatusCode>(bytes).map(|c| c.meaning());
}

/// 2,000 cases per property; `PROPTEST_CASES` overrides it (`with_cases` would not let it).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 2000;
    }
    config
}

/// Read once: the spec is parsed from YAML, too slow to repeat per case.
static DOCUMENTED_RESPONSES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let documented: Vec<Value> = examples(&spec("paymob"))
        .into_iter()
        .filter(|example| matches!(example.kind, ExampleKind::Response(_)))
        .map(|example| example.value)
        .collect();
    assert!(documented.len() >= 7, "the spec's response examples: {documented:?}");
    documented
});

/// A response body: arbitrary bytes, arbitrary JSON, or a mutated documented response.
fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        any_json().prop_map(|value| value.to_string().into_bytes()),
        (any::<usize>(), any::<usize>(), any_json()).prop_map(|(which, pick, replacement)| {
            let documented = &*DOCUMENTED_RESPONSES;
            mutate(&documented[which % documented.len()], pick, replacement).to_string().into_bytes()
        }),
    ]
}

fn any_status() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![200, 200, 200, 201, 204, 400, 401, 403, 404, 408, 422, 429, 500, 502, 503])
}

const TOKEN: &str = r#"{"access_token":"a","expires_in":3600,"refresh_token":"r","token_type":"Bearer"}"#;

/// One disbursement through the client against a server whose answers are `token`
/// (request 0), then `answer` and a valid token in turn. Returns the disbursements it read.
fn through_the_client(token: Reply, answer: Reply) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        // Requests alternate: a renewed token is always issued (so the one repeat
        // after a rejected token is reached), every other request gets `answer`.
        let server = ScriptedServer::start(move |n| match n {
            0 => token.clone(),
            n if n % 2 == 0 => Reply::json(200, TOKEN),
            _ => answer.clone(),
        })
        .await;
        let limits = Limits {
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy { base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2), ..RetryPolicy::default() },
            ..Limits::default()
        };
        let credentials = Credentials::new("c", "s", "u", "p");
        let client = Client::builder(Environment::Custom(format!("{}/api/secure", server.uri())), credentials).limits(limits).build().unwrap();
        let request = types::DisbursementRequest { msisdn: "01012345678".into(), amount: "1.50".parse().unwrap(), pin: None, fees: None };
        let shown = format!("{:?}", client.disburse(request).await.map_err(|e| e.to_string()));
        assert!(!shown.is_empty());
        server.received().iter().filter(|r| r.head.starts_with("POST /api/secure/disburse/")).count()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        parse_all(value.to_string().as_bytes());
    }

    #[test]
    fn mutated_documented_responses_never_panic(which in any::<usize>(), pick in any::<usize>(), replacement in any_json()) {
        let documented = &*DOCUMENTED_RESPONSES;
        parse_all(mutate(&documented[which % documented.len()], pick, replacement).to_string().as_bytes());
    }

    #[test]
    fn any_http_status_is_a_general_failure(status in 100u16..1000) {
        let status = StatusCode::from_u16(status).unwrap();
        let failure = HttpFailure::of(status);
        let _ = (failure.meaning(), ApiError::Http(failure).to_string());
    }

    /// Any answer, to the token call or to the disbursement, is read without a panic,
    /// and a disbursement is sent once, or twice only after a rejected token (HTTP 401,
    /// or the documented `status_code` "401").
    #[test]
    fn the_client_reads_any_answer_and_disburses_at_most_once(
        fuzz_token in any::<bool>(),
        token_status in any_status(),
        token_body in any_body(),
        status in any_status(),
        body in any_body(),
        content_type in prop::sample::select(vec!["application/json", "text/html", "text/plain"]),
    ) {
        let token = if fuzz_token { Reply::with_body(token_status, content_type, &token_body) } else { Reply::json(200, TOKEN) };
        let sent = through_the_client(token, Reply::with_body(status, content_type, &body));
        let token_rejected = status == 401
            || serde_json::from_slice::<types::DisbursementResponse>(&body).is_ok_and(|r| r.status_code == DisbursementResponseStatusCode::X401);
        prop_assert!(sent <= 1 || (sent == 2 && token_rejected), "{sent} disbursements sent after HTTP {status}");
    }
}
