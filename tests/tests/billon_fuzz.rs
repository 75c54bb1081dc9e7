//! Every Billon response parser takes arbitrary bytes, arbitrary JSON and mutated
//! documented responses without panicking: the generated types, the hand-written
//! interpretation of what they hold (API errors and their meaning), and, end to end,
//! the client reading such an answer from a loopback server: the token's JWT `exp`
//! (read from arbitrary claims), an error body under any status, the cancelled count.
//! A payout or cancel is also never sent more than the one repeat a 401/403 allows.
//! 2,000 cases per property, unless `PROPTEST_CASES` says otherwise (for longer runs).

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use payspec_billon::types::{self, CreatePayoutRequest};
use payspec_billon::{ApiError, ApiKey, Client, DecimalNumber, Limits};
use payspec_core::retry::RetryPolicy;
use payspec_tests::fuzz::{any_json, mutate};
use payspec_tests::scripted::{Reply, ScriptedServer};
use payspec_tests::{examples, spec, ExampleKind};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Every parser of a Billon response, and what the crate makes of the result.
fn parse_all(bytes: &[u8]) {
    if let Ok(issued) = serde_json::from_slice::<types::AuthenticateResponse>(bytes) {
        let _ = format!("{issued:?}");
    }
    if let Ok(created) = serde_json::from_slice::<types::CreatePayoutResponse>(bytes) {
        for payout in &created.payments {
            let _ = (payout.amount.to_string(), payout.status.to_string(), format!("{payout:?}"));
        }
    }
    let _ = serde_json::from_slice::<types::CancelPayoutsResponse>(bytes);
    if let Ok(refused) = serde_json::from_slice::<types::ErrorResponse>(bytes) {
        let error = ApiError::from(refused);
        let _ = (error.error_type().meaning(), error.message(), error.is_insufficient_funds(), error.to_string());
    }
    let _ = serde_json::from_slice::<types::Payout>(bytes);
    let _ = serde_json::from_slice::<types::PayoutStatus>(bytes);
    let _ = serde_json::from_slice::<types::ErrorDetail>(bytes);
    let _ = serde_json::from_slice::<types::ErrorType>(bytes).map(|t| t.meaning().to_string());
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
    let documented: Vec<Value> = examples(&spec("billon"))
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

/// base64url without padding, as JWT segments are written.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

#[test]
fn base64url_matches_the_rfc_4648_vectors() {
    let vectors: [(&[u8], &str); 7] = [(b"f", "Zg"), (b"fo", "Zm8"), (b"foo", "Zm9v"), (b"foob", "Zm9vYg"), (b"fooba", "Zm9vYmE"), (b"foobar", "Zm9vYmFy"), (&[0xfb, 0xff], "-_8")];
    for (bytes, encoded) in vectors {
        assert_eq!(base64url(bytes), encoded);
    }
}

/// An `authenticate` answer whose token is a JWT with arbitrary claims, most often an
/// arbitrary `exp` (huge, negative, fractional, not a number).
fn jwt_token_body() -> impl Strategy<Value = Vec<u8>> {
    let exp = prop_oneof![
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any_json(),
    ];
    prop_oneof![
        exp.prop_map(|exp| json!({"id": 1, "exp": exp})),
        any_json(),
    ]
    .prop_map(|claims| {
        let token = format!("{}.{}.c2ln", base64url(br#"{"alg":"HS256"}"#), base64url(claims.to_string().as_bytes()));
        json!({ "token": token }).to_string().into_bytes()
    })
}

fn any_status() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![200, 200, 200, 201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503])
}

fn payout() -> CreatePayoutRequest {
    CreatePayoutRequest::builder()
        .amount("12.50".parse::<DecimalNumber>().unwrap())
        .currency("GBP")
        .start_date(Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap())
        .end_date(Utc.with_ymd_and_hms(2025, 1, 8, 0, 0, 0).unwrap())
        .name("p")
        .description("d")
        .notification(false)
        .reference_id(Some("r".into()))
        .try_into()
        .unwrap()
}

/// One call through the client against a server whose answers are `token` (request 0),
/// then `answer` and a valid token in turn. Returns the money-moving requests it read.
fn through_the_client(token: Reply, answer: Reply, cancel: bool) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        // Requests alternate: a renewed token is always issued (so the one repeat
        // after a rejected token is reached), every other request gets `answer`.
        let server = ScriptedServer::start(move |n| match n {
            0 => token.clone(),
            n if n % 2 == 0 => Reply::json(200, r#"{"token":"opaque"}"#),
            _ => answer.clone(),
        })
        .await;
        let limits = Limits {
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy { base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2), ..RetryPolicy::default() },
            ..Limits::default()
        };
        let client = Client::builder(&server.uri(), ApiKey::new("k")).limits(limits).build().unwrap();
        let shown = if cancel {
            format!("{:?}", client.cancel_payouts(&[1, 2]).await.map_err(|e| e.to_string()))
        } else {
            format!("{:?}", client.create_payout(&payout()).await.map_err(|e| e.to_string()))
        };
        assert!(!shown.is_empty());
        server.received().iter().filter(|r| r.head.starts_with("POST /api/payment/")).count()
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

    /// Any answer, to `authenticate` (JWTs with arbitrary claims included) or to the call
    /// itself, is read without a panic, and a payout or cancel is sent once, or twice
    /// only after a 401/403.
    #[test]
    fn the_client_reads_any_answer_and_sends_at_most_once(
        token_body in prop_oneof![
            1 => Just(br#"{"token":"opaque"}"#.to_vec()),
            2 => jwt_token_body(),
            1 => any_body(),
        ],
        token_status in prop_oneof![3 => Just(200u16), 1 => any_status()],
        status in any_status(),
        body in any_body(),
        content_type in prop::sample::select(vec!["application/json", "text/html", "text/plain"]),
        cancel in any::<bool>(),
    ) {
        let token = Reply::with_body(token_status, content_type, &token_body);
        let sent = through_the_client(token, Reply::with_body(status, content_type, &body), cancel);
        prop_assert!(sent <= 1 || (sent == 2 && matches!(status, 401 | 403)), "{sent} sent after HTTP {status}");
    }
}
