//! What payspec's layer costs per call, against the same call written by hand.
//!
//! Fair by construction: both sides send through the same `reqwest::Client` (built by
//! `payspec_core::transport::http_client_builder`), set the same per-request timeout,
//! and parse the same bytes into the same generated type; only the layer differs (auth
//! header, checks, the call path, classification). The cases run interleaved: every
//! round runs each pair, in an order rotated round by round, and the ratio is taken
//! per round; the table gives the median and the spread of those ratios.
//!
//! `cargo bench -p payspec-tests --bench overhead` (release). `ROUNDS=40` for more.

use std::time::{Duration, Instant};

use payspec_core::Limits;
use payspec_tests::hostile::{HostileServer, Reply};
use serde_json::json;

/// Pairs of calls per round: a small call, and a 10,000-item batch (about 3 ms each).
const CALLS: u32 = 300;
const BATCH_CALLS: u32 = 20;
const WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";

fn keep_alive(body: String) -> Reply {
    Reply::Answer { status: 200, headers: vec!["content-type: application/json".into()], body: body.into_bytes(), keep_alive: true }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(run());
}

/// One measured case: `calls` pairs of calls, one of each side, alternating call by
/// call so that a slow moment of the machine falls on both sides. Which side goes first
/// in a pair is drawn at random (seeded by the round): a fixed pattern lines one side up
/// with whatever recurs in the connection pool and the runtime, and skews the ratio.
/// Returns the time per call of each side.
async fn pairs<A: std::future::Future, B: std::future::Future>(
    calls: u32,
    round: usize,
    mut ours: impl FnMut() -> A,
    mut hand: impl FnMut() -> B,
) -> (Duration, Duration) {
    let mut coin = 0x9e37_79b9_7f4a_7c15_u64 ^ round as u64;
    let (mut ours_total, mut hand_total) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..calls {
        coin ^= coin << 13;
        coin ^= coin >> 7;
        coin ^= coin << 17;
        let ours_first = coin & 1 == 0;
        if !ours_first {
            let started = Instant::now();
            std::hint::black_box(hand().await);
            hand_total += started.elapsed();
        }
        let started = Instant::now();
        std::hint::black_box(ours().await);
        ours_total += started.elapsed();
        if ours_first {
            let started = Instant::now();
            std::hint::black_box(hand().await);
            hand_total += started.elapsed();
        }
    }
    (ours_total / calls, hand_total / calls)
}

async fn run() {
    let balance = json!({"uuid": WALLET, "currency": "RUB", "balance": "800.00",
        "detailed": {"active": "800.00", "current": "800.00", "frozen": "0.00", "payout": "500.00"}});
    let withdrawal = json!({"status": "success", "comission": 12.5, "total": 487.5, "amount": 500,
        "transaction": {"currency": "RUB", "order": "payout-1", "uuid": "26549f4f-fcea-44bb-a65b-f4bf2ae78aea",
        "created_at": "2024-01-26T09:59:01.000000Z", "status_transaction": "created", "total": 487.5, "amount": 500, "type_alias": "payout"}});
    let transactions: Vec<_> = (0..10_000).map(|id| json!({"id": id, "invoice_path": format!("/api/transactions/{id}/invoice")})).collect();
    let batch_answer = json!({"data": {"request_id": "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8", "status": 2, "err_msg": null, "transactions": transactions}});
    let (balance_body, withdrawal_body, batch_body) = (balance.to_string(), withdrawal.to_string(), batch_answer.to_string());
    let server = HostileServer::start(move |request| match request.path.as_str() {
        "/oauth/token" => keep_alive(json!({"access_token": "bench", "expires_in": 3600}).to_string()),
        "/payments" => keep_alive(batch_body.clone()),
        path if path.ends_with("/balance") => keep_alive(balance_body.clone()),
        _ => keep_alive(withdrawal_body.clone()),
    })
    .await;
    let base: reqwest::Url = server.uri().parse().unwrap();
    let limits = Limits::default();
    let http = payspec_core::transport::http_client_builder(&limits).build().unwrap();

    use payspec_magicpayments::{types, AccessToken, Client};
    let magic = Client::builder(payspec_magicpayments::Environment::Custom(base.clone()), AccessToken::new("bench-token"))
        .limits(limits)
        .http_client(http.clone())
        .build()
        .unwrap();
    let media = payspec_mediacube::Client::builder(payspec_mediacube::Environment::Custom(base.clone()), payspec_mediacube::Credentials::new(1, "s"))
        .limits(limits)
        .http_client(http.clone())
        .build()
        .unwrap();
    let wallet: uuid::Uuid = WALLET.parse().unwrap();
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 150.00, "card": "4111111111111111", "order": "payout-1"})).unwrap();
    let items: Vec<_> = (0..10_000).map(|n| json!({"amount": format!("{}.{:02}", 100 + n, n % 100), "wallet": format!("{:016}", 4_000_000_000_000_000u64 + n), "description": "bench"})).collect();
    let batch: payspec_mediacube::types::PaymentBatchRequest =
        serde_json::from_value(json!({"request_id": "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8", "data": items})).unwrap();
    let timeout = limits.request_timeout;

    // The hand-written side: the same client, timeout, headers and parse type, and the
    // URL built per call from the wallet, as any client of the API must.
    let hand_balance = || async {
        let response = http.get(format!("{base}api/{wallet}/balance")).bearer_auth("bench-token").header("accept", "application/json").timeout(timeout).send().await.unwrap();
        serde_json::from_slice::<types::WalletBalance>(&response.bytes().await.unwrap()).unwrap()
    };
    let hand_withdrawal = || async {
        let response = http.post(format!("{base}api/{wallet}/withdrawal")).bearer_auth("bench-token").header("accept", "application/json").json(&request).timeout(timeout).send().await.unwrap();
        serde_json::from_slice::<types::WithdrawalResponse>(&response.bytes().await.unwrap()).unwrap()
    };
    let hand_batch = || async {
        let response = http.post(format!("{base}payments")).bearer_auth("bench").header("accept", "application/json").json(&batch).timeout(timeout).send().await.unwrap();
        serde_json::from_slice::<payspec_mediacube::types::PaymentBatchResponse>(&response.bytes().await.unwrap()).unwrap()
    };
    let ours_balance = || async { magic.get_balance(&wallet).await.unwrap() };
    let ours_withdrawal = || async { magic.create_withdrawal(&wallet, &request).await.unwrap() };
    let ours_batch = || async { media.create_payout(&batch).await.unwrap() };

    // Warm up connections, the token and the allocator.
    for _ in 0..200 {
        hand_balance().await;
        ours_balance().await;
    }
    pairs(3, 0, ours_batch, hand_batch).await;

    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let names = ["get_balance (GET)", "create_withdrawal (POST)", "10,000-item payout batch"];
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let mut times: Vec<Vec<(Duration, Duration)>> = vec![Vec::new(); 3];
    for round in 0..rounds {
        for offset in 0..3 {
            let case = (round + offset) % 3;
            let (ours, hand) = match case {
                0 => pairs(CALLS, round, ours_balance, hand_balance).await,
                1 => pairs(CALLS, round, ours_withdrawal, hand_withdrawal).await,
                _ => pairs(BATCH_CALLS, round, ours_batch, hand_batch).await,
            };
            ratios[case].push(ours.as_secs_f64() / hand.as_secs_f64());
            times[case].push((ours, hand));
        }
    }
    println!("payspec / hand-written, {rounds} interleaved rounds (same reqwest client, timeout and parse type)\n");
    println!("| call | median ratio | spread (min - max) | payspec per call | hand-written per call |");
    println!("|---|---|---|---|---|");
    for (case, name) in names.iter().enumerate() {
        let mut sorted = ratios[case].clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let mut ours: Vec<Duration> = times[case].iter().map(|t| t.0).collect();
        let mut hand: Vec<Duration> = times[case].iter().map(|t| t.1).collect();
        ours.sort();
        hand.sort();
        println!(
            "| {name} | {median:.3}x | {:.3}x - {:.3}x | {:.1} us | {:.1} us |",
            sorted[0],
            sorted[sorted.len() - 1],
            ours[ours.len() / 2].as_secs_f64() * 1e6,
            hand[hand.len() / 2].as_secs_f64() * 1e6,
        );
    }
    println!(
        "\nfutures of a call in flight: get_balance {} bytes, create_withdrawal {} bytes, create_payout {} bytes",
        std::mem::size_of_val(&magic.get_balance(&wallet)),
        std::mem::size_of_val(&magic.create_withdrawal(&wallet, &request)),
        std::mem::size_of_val(&media.create_payout(&batch)),
    );
}
