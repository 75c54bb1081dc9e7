//! Every MediaCube response parser takes arbitrary bytes, arbitrary JSON and mutated
//! documented responses without panicking: the generated types, the hand-written
//! interpretation of what they hold (batch status, error code, API error, invoice URL),
//! and, end to end, the client reading such an answer from a loopback server, where a
//! batch is also never sent more than the one repeat a 401 allows.
//! 2,000 cases per property, unless `PROPTEST_CASES` says otherwise (for longer runs).

use std::sync::LazyLock;
use std::time::Duration;

use payspec_core::retry::RetryPolicy;
use payspec_core::secret::AuthorizationCode;
use payspec_mediacube::types::{self, PaymentItem};
use payspec_mediacube::{ApiError, BatchStatus, Client, Credentials, ErrorCode, Limits, PaymentBatch, Scope};
use payspec_tests::fuzz::{any_json, mutate};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::{examples, spec, ExampleKind};
use proptest::prelude::*;
use serde_json::Value;

/// A client for `invoice_url`, which builds a URL from a response's `invoice_path`.
static CLIENT: LazyLock<Client> = LazyLock::new(|| Client::new("http://127.0.0.1:9/prefix", Credentials::new(1, "s")).unwrap());

fn transactions(transactions: &[types::Transaction]) {
    for transaction in transactions {
        if let Some(path) = &transaction.invoice_path {
            let _ = CLIENT.invoice_url(path).map(|url| url.to_string());
        }
    }
}

fn result(err_msg: Option<i64>, status: i64) {
    let _ = (err_msg.map(|code| ErrorCode::from(code).to_string()), BatchStatus::from(status).to_string());
}

/// Every parser of a MediaCube response, and what the crate makes of the result.
fn parse_all(bytes: &[u8]) {
    if let Ok(token) = serde_json::from_slice::<types::IssueTokenResponse>(bytes) {
        let _ = format!("{token:?}");
    }
    if let Ok(refused) = serde_json::from_slice::<types::OAuthErrorResponse>(bytes) {
        let _ = ApiError::from(refused).to_string();
    }
    if let Ok(response) = serde_json::from_slice::<types::PaymentBatchResponse>(bytes) {
        result(response.data.err_msg, response.data.status);
        transactions(&response.data.transactions);
    }
    if let Ok(response) = serde_json::from_slice::<types::RegionalPaymentBatchResponse>(bytes) {
        result(response.data.err_msg, response.data.status);
        transactions(&response.data.transactions);
    }
    if let Ok(response) = serde_json::from_slice::<types::PaymentErrorResponse>(bytes) {
        let error = ApiError::from(response);
        let _ = (error.code(), error.to_string(), format!("{error:?}"));
        if let ApiError::Payment(payment) = &error {
            let _ = (payment.status(), payment.request_id());
        }
    }
    let _ = serde_json::from_slice::<types::PaymentResult>(bytes);
    let _ = serde_json::from_slice::<types::RegionalPaymentResult>(bytes);
    let _ = serde_json::from_slice::<types::PaymentErrorData>(bytes);
    let _ = serde_json::from_slice::<types::Transaction>(bytes);
    let _ = Scope::from(String::from_utf8_lossy(bytes).as_ref()).to_string();
    let _ = CLIENT.invoice_url(&String::from_utf8_lossy(bytes));
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
    let documented: Vec<Value> = examples(&spec("mediacube"))
        .into_iter()
        .filter(|example| matches!(example.kind, ExampleKind::Response(_)))
        .map(|example| example.value)
        .collect();
    assert!(documented.len() >= 6, "the spec's response examples: {documented:?}");
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
    prop::sample::select(vec![200, 200, 200, 201, 204, 400, 401, 404, 422, 429, 500, 502, 503])
}

const TOKEN: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"t"}"#;

/// One call through the client against a server whose answers are `token` (request 0),
/// then `answer` and a valid token in turn. Returns the batch requests the server read.
fn through_the_client(token: Reply, answer: Reply, call: usize) -> usize {
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
        let client = Client::builder(&server.uri(), Credentials::new(1, "s")).limits(limits).build().unwrap();
        let batch = PaymentBatch::new(vec![PaymentItem { amount: "1.5".parse().unwrap(), wallet: "1111222233334444".into(), description: "d".into() }]);
        let shown = match call % 4 {
            0 => format!("{:?}", client.create_payout(batch).await.map_err(|e| e.to_string())),
            1 => format!("{:?}", client.create_debit_payment(batch).await.map_err(|e| e.to_string())),
            2 => format!("{:?}", client.create_regional_payout(batch).await.map_err(|e| e.to_string())),
            _ => format!("{:?}", client.exchange_code(AuthorizationCode::new("c"), "https://example.com/cb").await.map_err(|e| e.to_string())),
        };
        assert!(!shown.is_empty());
        server.received().iter().filter(|r| r.head.starts_with("POST /payments")).count()
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

    /// Any answer, to the token call or to the call itself, is read without a panic, and
    /// a batch is sent once, or twice only after a 401.
    #[test]
    fn the_client_reads_any_answer_and_sends_a_batch_at_most_once(
        fuzz_token in any::<bool>(),
        token_status in any_status(),
        token_body in any_body(),
        status in any_status(),
        body in any_body(),
        content_type in prop::sample::select(vec!["application/json", "text/html", "text/plain"]),
        call in any::<usize>(),
    ) {
        let token = if fuzz_token { Reply::with_body(token_status, content_type, &token_body) } else { Reply::json(200, TOKEN) };
        let sent = through_the_client(token, Reply::with_body(status, content_type, &body), call);
        prop_assert!(sent <= 1 || (sent == 2 && status == 401), "{sent} batches sent after HTTP {status}");
    }
}
