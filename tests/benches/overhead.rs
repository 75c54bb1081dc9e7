//! What the hand-written layer costs: exact money parsing against plain `f64`, a
//! 10,000-item payout batch serialized, and a payspec call against a hand-written
//! reqwest + serde_json call to the same loopback server.
//!
//! `cargo bench -p payspec-tests --bench overhead`

use std::sync::LazyLock;

use payspec_core::secret::AccessToken;
use payspec_magicpayments::{types, Client};
use serde::Deserialize;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn main() {
    divan::main();
}

const TRANSACTION: &str = r#"{"currency":"RUB","order":"73450234","uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea",
"created_at":"2024-01-26T09:59:01.000000Z","status_transaction":"created","total":487.5,"amount":"500.00",
"type_alias":"payin","card_mask":null}"#;

/// The same document read the way a hand-written client would: amounts as `f64`.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainTransaction {
    currency: String,
    order: String,
    uuid: String,
    created_at: String,
    status_transaction: String,
    total: f64,
    #[serde(deserialize_with = "f64_from_string")]
    amount: f64,
    type_alias: String,
    card_mask: Option<String>,
}

fn f64_from_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
}

#[divan::bench]
fn parse_transaction_exact() -> types::Transaction {
    serde_json::from_str(divan::black_box(TRANSACTION)).unwrap()
}

#[divan::bench]
fn parse_transaction_f64_baseline() -> PlainTransaction {
    serde_json::from_str(divan::black_box(TRANSACTION)).unwrap()
}

#[divan::bench(sample_count = 20)]
fn serialize_10k_payout_batch(bencher: divan::Bencher) {
    let batch: Vec<types::WithdrawalRequest> = (0..10_000)
        .map(|n| {
            serde_json::from_value(serde_json::json!({
                "amount": format!("{}.{:02}", 100 + n, n % 100).parse::<f64>().unwrap(),
                "order": format!("payout-{n}"), "card": "4111111111111111",
                "addition_data": {"email": "payee@example.com", "cardholder": "IVAN IVANOV"}
            }))
            .unwrap()
        })
        .collect();
    bencher.bench(|| serde_json::to_vec(divan::black_box(&batch)).unwrap());
}

struct Loopback {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

static LOOPBACK: LazyLock<Loopback> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let body = r#"{"uuid":"75e9a565-6b36-3b67-9ed1-2050314314f9","currency":"RUB","balance":"800.00","detailed":{"active":"800.00","current":"800.00","frozen":"0.00","payout":"500.00"}}"#;
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        server
    });
    Loopback { runtime, server }
});

const WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";

#[divan::bench(sample_count = 200)]
fn call_payspec(bencher: divan::Bencher) {
    let loopback = &*LOOPBACK;
    let client = Client::new(&loopback.server.uri(), AccessToken::new("bench-token")).unwrap();
    let wallet: uuid::Uuid = WALLET.parse().unwrap();
    bencher.bench(|| {
        loopback.runtime.block_on(async {
            client.call(client.api().get_balance().wallet_uuid(wallet).send()).await.unwrap()
        })
    });
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainBalance {
    uuid: String,
    currency: String,
    balance: String,
}

#[divan::bench(sample_count = 200)]
fn call_hand_written_reqwest(bencher: divan::Bencher) {
    let loopback = &*LOOPBACK;
    let http = reqwest::Client::new();
    let url = format!("{}/api/{WALLET}/balance", loopback.server.uri());
    bencher.bench(|| {
        loopback.runtime.block_on(async {
            let response = http.get(&url).bearer_auth("bench-token").send().await.unwrap();
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<PlainBalance>(&bytes).unwrap()
        })
    });
}
