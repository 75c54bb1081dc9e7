//! payspec-mock drives every provider's money-moving calls through every scenario, with
//! publishable crates only (payspec-mock, the provider crates, payspec-cli): the outcome
//! class the README's table gives, the reference an unknown outcome carries, and the
//! state the mock kept. Then the `payspec` CLI against a mock: exit codes 0, 3 and 4.

use std::time::Duration;

use payspec_magicpayments::payspec_core;
use payspec_mock::{MockServer, Provider, Scenario};
use serde_json::json;

/// The client's timeout in the slow scenario (the only real wait of a test), and how
/// long the mock takes there: nobody waits for it (the mock is dropped first).
const IMPATIENT: Duration = Duration::from_millis(250);
const SLOW: Duration = Duration::from_secs(2);
/// Every other call's timeout: generous, so a loaded machine does not fail a test.
const PATIENT: Duration = Duration::from_secs(10);

/// What a call returned, as a class of the outcome table.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Api,
    /// The reference, as the error displays it.
    Unknown(String),
    Other(String),
}

fn outcome<T, A: std::fmt::Debug>(result: Result<T, payspec_core::Error<A>>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(payspec_core::Error::Api { .. }) => Outcome::Api,
        Err(payspec_core::Error::OutcomeUnknown(unknown)) => Outcome::Unknown(unknown.reference.to_string()),
        Err(other) => Outcome::Other(format!("{other:?}")),
    }
}

fn limits(timeout: Duration) -> payspec_core::Limits {
    payspec_core::Limits::default().request_timeout(timeout)
}

/// Plays every scenario on `operation`: `setup(n)` runs before the scenario is queued
/// (it may make money-moving calls of its own), `call(n, timeout)` sends the request
/// under test and returns its outcome and the value it sent for the reference field
/// `field`.
async fn every_scenario(
    mock: &MockServer,
    operation: &str,
    documented_error: &str,
    field: &str,
    setup: impl AsyncFn(usize),
    call: impl AsyncFn(usize, Duration) -> (Outcome, String),
) {
    let processed = || mock.records().iter().filter(|record| record.operation == operation).count();
    let scenarios = [
        None,
        Some(Scenario::error(documented_error)),
        Some(Scenario::LoseAnswer),
        Some(Scenario::ServerError(502)),
        Some(Scenario::Slow(SLOW)),
        Some(Scenario::Redirect),
    ];
    for (n, scenario) in scenarios.into_iter().enumerate() {
        setup(n).await;
        let before = processed();
        let timeout = if matches!(scenario, Some(Scenario::Slow(_))) { IMPATIENT } else { PATIENT };
        if let Some(scenario) = &scenario {
            mock.next(scenario.clone());
        }
        let (got, sent) = call(n, timeout).await;
        let what = format!("{}.{operation} under {scenario:?}", mock.provider());
        let changed = processed() - before;
        match &scenario {
            None => assert_eq!((got, changed), (Outcome::Ok, 1), "{what}"),
            Some(Scenario::Error(_)) => assert_eq!((got, changed), (Outcome::Api, 0), "{what}"),
            Some(scenario) => {
                let Outcome::Unknown(reference) = got else { panic!("{what}: expected an unknown outcome, got {got:?}") };
                assert!(reference.contains(field), "{what}: the reference {reference} names {field}");
                let expected = usize::from(scenario.processes());
                assert_eq!(changed, expected, "{what}: processed {changed} times");
                if scenario.processes() {
                    let record = mock.records().into_iter().rev().find(|record| record.operation == operation).unwrap();
                    assert_eq!(record.get(field), Some(sent.as_str()), "{what}: the mock kept the reference sent");
                }
            }
        }
        assert!(mock.pending().is_empty(), "{what}: the scenario was played");
    }
}

const WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";

async fn magicpayments(timeout: Duration, mock: &MockServer) -> payspec_magicpayments::Client {
    use payspec_magicpayments::{AccessToken, Client, Environment};
    let url = mock.base_url().parse().unwrap();
    Client::builder(Environment::Custom(url), AccessToken::new(mock.credential("token"))).limits(limits(timeout)).build().unwrap()
}

/// An invoice with order `order`, to refund, charge back or cancel.
async fn invoice(mock: &MockServer, order: &str) {
    let request = serde_json::from_value(json!({"amount": 99.5, "order": order})).unwrap();
    let client = magicpayments(PATIENT, mock).await;
    client.create_invoice(&WALLET.parse().unwrap(), &request).await.expect("an invoice");
}

#[tokio::test]
async fn magicpayments_withdrawal_every_scenario() {
    use payspec_magicpayments::types;
    let mock = MockServer::start(Provider::MagicPayments).await.unwrap();
    let wallet = WALLET.parse().unwrap();
    every_scenario(&mock, "create_withdrawal", "access_denied", "order", async |_| {}, async |n, timeout| {
        let order = format!("payout-{n}");
        let request: types::WithdrawalRequest =
            serde_json::from_value(json!({"amount": 10.25, "card": "4111111111111111", "order": order})).unwrap();
        (outcome(magicpayments(timeout, &mock).await.create_withdrawal(&wallet, &request).await), order)
    })
    .await;
    // Processed three times (plain, lost, slow): the balance moved by three withdrawals,
    // and each is found again by its order.
    let client = magicpayments(PATIENT, &mock).await;
    assert_eq!(client.get_balance(&wallet).await.unwrap().balance.to_string(), "769.25");
    for order in ["payout-0", "payout-2", "payout-4"] {
        let lookup = types::TransactionReference { order: Some(order.parse().unwrap()), transaction: None };
        let found = client.get_status(&wallet, &lookup).await.unwrap();
        assert_eq!(found.order.as_deref(), Some(order));
    }
    let missing = types::TransactionReference { order: Some("payout-1".parse().unwrap()), transaction: None };
    assert!(matches!(client.get_status(&wallet, &missing).await, Err(payspec_core::Error::Api { .. })));
}

#[tokio::test]
async fn magicpayments_invoice_every_scenario() {
    let mock = MockServer::start(Provider::MagicPayments).await.unwrap();
    let wallet = WALLET.parse().unwrap();
    every_scenario(&mock, "create_invoice", "recurrent_not_supported", "order", async |_| {}, async |n, timeout| {
        let order = format!("invoice-{n}");
        let request = serde_json::from_value(json!({"amount": 99.5, "order": order})).unwrap();
        (outcome(magicpayments(timeout, &mock).await.create_invoice(&wallet, &request).await), order)
    })
    .await;
}

/// `operation` on invoices made for it (one per scenario).
async fn on_invoices(operation: &str) -> MockServer {
    use payspec_magicpayments::types;
    let mock = MockServer::start(Provider::MagicPayments).await.unwrap();
    let wallet = WALLET.parse().unwrap();
    let order = |n: usize| format!("{operation}-{n}");
    every_scenario(&mock, operation, "access_denied", "order", async |n| invoice(&mock, &order(n)).await, async |n, timeout| {
        let client = magicpayments(timeout, &mock).await;
        let lookup = types::TransactionReference { order: Some(order(n).parse().unwrap()), transaction: None };
        let result = match operation {
            "create_refund" => outcome(client.create_refund(&wallet, &lookup).await),
            "create_chargeback" => {
                let request = types::ChargebackRequest { order: lookup.order.clone(), transaction: None, arn: None, reason_code: None };
                outcome(client.create_chargeback(&wallet, &request).await)
            }
            _ => outcome(client.cancel_invoice(&wallet, &lookup).await),
        };
        (result, order(n))
    })
    .await;
    mock
}

#[tokio::test]
async fn magicpayments_refund_every_scenario() {
    let mock = on_invoices("create_refund").await;
    let refunds = mock.state()["transactions"].as_array().unwrap().iter().filter(|transaction| transaction["type_alias"] == "refund").count();
    assert_eq!(refunds, 3, "plain, lost, slow");
}

#[tokio::test]
async fn magicpayments_chargeback_every_scenario() {
    on_invoices("create_chargeback").await;
}

#[tokio::test]
async fn magicpayments_cancel_invoice_every_scenario() {
    use payspec_magicpayments::types;
    let mock = on_invoices("cancel_invoice").await;
    // A cancelled invoice cannot be cancelled again: the documented error.
    let client = magicpayments(PATIENT, &mock).await;
    let lookup = types::TransactionReference { order: Some("cancel_invoice-0".parse().unwrap()), transaction: None };
    let again = client.cancel_invoice(&WALLET.parse().unwrap(), &lookup).await;
    assert!(matches!(again, Err(payspec_core::Error::Api { .. })), "{again:?}");
}

fn mediacube_client(mock: &MockServer, timeout: Duration) -> payspec_mediacube::Client {
    use payspec_mediacube::{Client, Credentials, Environment};
    let credentials = Credentials::new(mock.credential("client_id").parse().unwrap(), mock.credential("client_secret"));
    Client::builder(Environment::Custom(mock.base_url().parse().unwrap()), credentials).limits(limits(timeout)).build().unwrap()
}

fn batch(request_id: payspec_mediacube::Uuid) -> payspec_mediacube::types::PaymentBatchRequest {
    use payspec_mediacube::types;
    let item = types::PaymentItem { amount: "10.0000000001".parse().unwrap(), wallet: "1111222233334444".into(), description: "t".into() };
    types::PaymentBatchRequest { request_id, data: vec![item] }
}

async fn mediacube(operation: &str) {
    let mock = MockServer::start(Provider::MediaCube).await.unwrap();
    every_scenario(&mock, operation, "error", "request_id", async |_| {}, async |_, timeout| {
        let batch = batch(payspec_mediacube::Uuid::new_v4());
        let client = mediacube_client(&mock, timeout);
        let result = match operation {
            "create_payout" => outcome(client.create_payout(&batch).await),
            "create_debit_payment" => outcome(client.create_debit_payment(&batch).await),
            _ => outcome(client.create_regional_payout(&batch).await),
        };
        (result, batch.request_id.to_string())
    })
    .await;
}

#[tokio::test]
async fn mediacube_payout_every_scenario() {
    mediacube("create_payout").await;
}

#[tokio::test]
async fn mediacube_debit_every_scenario() {
    mediacube("create_debit_payment").await;
}

#[tokio::test]
async fn mediacube_regional_payout_every_scenario() {
    mediacube("create_regional_payout").await;
}

/// The reconcile rule says to send a lost batch again with the same request_id: the
/// mock answers the first answer and pays nothing twice.
#[tokio::test]
async fn mediacube_same_request_id_is_not_paid_twice() {
    let mock = MockServer::start(Provider::MediaCube).await.unwrap();
    let client = mediacube_client(&mock, PATIENT);
    let lost = batch(payspec_mediacube::Uuid::new_v4());
    mock.next(Scenario::LoseAnswer);
    assert!(matches!(outcome(client.create_payout(&lost).await), Outcome::Unknown(_)));
    let again = client.create_payout(&lost).await.unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap()["data"]["transactions"], mock.records()[0].response["data"]["transactions"]);
    assert_eq!(mock.state()["batches"].as_array().unwrap().len(), 1);
    assert_eq!(mock.records().len(), 1);
}

#[tokio::test]
async fn paymob_disbursement_every_scenario() {
    use payspec_paymob::{types, Client, Credentials, Environment};
    let mock = MockServer::start(Provider::Paymob).await.unwrap();
    let credentials =
        || Credentials::new(mock.credential("client_id"), mock.credential("client_secret"), mock.credential("username"), mock.credential("password"));
    every_scenario(&mock, "create_disbursement", "budget_exceeded_6061", "msisdn", async |_| {}, async |n, timeout| {
        let msisdn = format!("0101234567{n}");
        let request = types::DisbursementRequest { msisdn: msisdn.as_str().into(), amount: "150.50".parse().unwrap(), pin: None, fees: None };
        let client = Client::builder(Environment::Custom(mock.base_url().parse().unwrap()), credentials()).limits(limits(timeout)).build().unwrap();
        (outcome(client.create_disbursement(&request).await), msisdn)
    })
    .await;
    assert_eq!(mock.state()["disbursements"].as_array().unwrap().len(), 3);
}

fn billon_client(mock: &MockServer, timeout: Duration) -> payspec_billon::Client {
    use payspec_billon::{ApiKey, Client, Environment};
    Client::builder(Environment::Custom(mock.base_url().parse().unwrap()), ApiKey::new(mock.credential("api_key")))
        .limits(limits(timeout))
        .build()
        .unwrap()
}

fn billon_payout(reference: &str) -> payspec_billon::types::CreatePayoutRequest {
    serde_json::from_value(json!({
        "amount": 12.50, "currency": "GBP", "startDate": "2025-01-01T12:00:00Z", "endDate": "2025-01-08T00:00:00Z",
        "name": "Tests", "description": "scenario", "notification": false, "referenceId": reference,
    }))
    .unwrap()
}

#[tokio::test]
async fn billon_create_payout_every_scenario() {
    let mock = MockServer::start(Provider::Billon).await.unwrap();
    every_scenario(&mock, "create_payout", "documented", "referenceId", async |_| {}, async |n, timeout| {
        let reference = format!("create-{n}");
        (outcome(billon_client(&mock, timeout).create_payout(&billon_payout(&reference)).await), reference)
    })
    .await;
    let ids: Vec<i64> = mock.state()["payouts"].as_array().unwrap().iter().map(|payout| payout["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3], "plain, lost, slow");
}

#[tokio::test]
async fn billon_cancel_payouts_every_scenario() {
    use payspec_billon::types;
    let mock = MockServer::start(Provider::Billon).await.unwrap();
    // Each cancel acts on a payout created for it, and on an id that does not exist.
    let created = |n: usize| {
        let record = mock.records().into_iter().find(|record| record.get("referenceId") == Some(&format!("cancel-{n}")));
        record.and_then(|record| record.response["payments"][0]["id"].as_i64()).expect("a payout to cancel")
    };
    every_scenario(
        &mock,
        "cancel_payouts",
        "documented",
        "ids",
        async |n| {
            billon_client(&mock, PATIENT).create_payout(&billon_payout(&format!("cancel-{n}"))).await.expect("a payout");
        },
        async |n, timeout| {
            let ids = vec![created(n), 9999];
            let sent = format!("[{},9999]", ids[0]);
            (outcome(billon_client(&mock, timeout).cancel_payouts(&types::CancelPayoutsRequest { ids }).await), sent)
        },
    )
    .await;
    let state = mock.state();
    let status = |n: usize| {
        let payout = state["payouts"].as_array().unwrap().iter().find(|payout| payout["id"] == created(n)).unwrap();
        payout["status"].as_str().unwrap().to_string()
    };
    // Cancelled: by the plain call, the lost answer and the slow one; not by the others.
    let statuses: Vec<String> = (0..6).map(status).collect();
    assert_eq!(statuses, ["CANCELLED", "READY", "CANCELLED", "READY", "CANCELLED", "READY"]);
    // The mock answers how many of the ids exist and were not cancelled yet.
    let again = billon_client(&mock, PATIENT).cancel_payouts(&types::CancelPayoutsRequest { ids: vec![created(0), created(1)] }).await.unwrap();
    assert_eq!(again.success, 1);
}

/// Tokens: issued with the chosen lifetime, rejected once expired, renewed by the client.
#[tokio::test]
async fn expired_tokens_are_rejected_and_renewed() {
    use payspec_paymob::{types, Client, Credentials, Environment};
    let mock = MockServer::start(Provider::Paymob).await.unwrap();
    mock.set_token_lifetime(Duration::from_secs(120));
    let credentials = Credentials::new(mock.credential("client_id"), mock.credential("client_secret"), mock.credential("username"), mock.credential("password"));
    let client = Client::builder(Environment::Custom(mock.base_url().parse().unwrap()), credentials).build().unwrap();
    let request = types::DisbursementRequest { msisdn: "01012345678".into(), amount: "1.00".parse().unwrap(), pin: None, fees: None };
    client.create_disbursement(&request).await.unwrap();
    let token = mock.requests().into_iter().find(|request| request.operation.as_deref() == Some("generate_token")).unwrap();
    assert!(token.header("authorization").is_some_and(|value| value.starts_with("Basic ")));
    mock.expire_tokens();
    client.create_disbursement(&request).await.unwrap();
    let operations: Vec<String> = mock.requests().into_iter().filter_map(|request| request.operation).collect();
    assert_eq!(operations, ["generate_token", "create_disbursement", "create_disbursement", "generate_token", "create_disbursement"]);
    // Rejected once (nothing processed), then processed with the renewed token.
    assert_eq!(mock.records().len(), 2);
}

/// A bad request gets the documented error shape with the problem named.
#[tokio::test]
async fn bad_requests_get_the_documented_error() {
    let mock = MockServer::start(Provider::MagicPayments).await.unwrap();
    let http = reqwest::Client::new();
    let answer = http
        .post(format!("{}/api/{WALLET}/withdrawal", mock.base_url()))
        .bearer_auth(mock.credential("token"))
        .json(&json!({"amount": "lots", "order": "o-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    assert!(answer.headers()["x-payspec-mock-problem"].to_str().unwrap().contains("amount"));
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["status"], "error");
    assert!(body["error"]["amount"][0].as_str().unwrap().contains("is not of type \"number\""), "{body}");
    assert!(mock.records().is_empty());
}

mod cli {
    //! The `payspec` CLI (its library, as the binary runs it) against each provider's
    //! mock: a read (or the token call, for providers whose only other operations move
    //! money) exits 0, a documented refusal 3, a lost answer 4.

    use super::*;

    async fn payspec(mock: &MockServer, args: &[&str]) -> payspec_cli::Output {
        let provider = mock.provider();
        let mut env: Vec<(String, String)> = provider.credential_variables().into_iter().map(|(name, value)| (name, value.to_string())).collect();
        env.push((format!("PAYSPEC_{}_URL", provider.name().to_uppercase()), mock.base_url()));
        let argv = ["payspec", provider.name()].into_iter().chain(args.iter().copied()).map(String::from);
        payspec_cli::run(argv, &|name: &str| env.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())).await
    }

    /// Runs `read` (exit 0), then `money` under a documented error (exit 3) and a lost
    /// answer (exit 4, the reference printed).
    async fn exit_codes(provider: Provider, read: &[&str], money: &[&str], documented_error: &str, reference: &str) {
        let mock = MockServer::start(provider).await.unwrap();
        let ok = payspec(&mock, read).await;
        assert_eq!(ok.code, 0, "{provider} {read:?}: {}{}", ok.stdout, ok.stderr);
        serde_json::from_str::<serde_json::Value>(&ok.stdout).expect("JSON on stdout");
        mock.next(Scenario::error(documented_error));
        let refused = payspec(&mock, money).await;
        assert_eq!(refused.code, 3, "{provider} {money:?}: {}{}", refused.stdout, refused.stderr);
        mock.next(Scenario::LoseAnswer);
        let unknown = payspec(&mock, money).await;
        assert_eq!(unknown.code, 4, "{provider} {money:?}: {}{}", unknown.stdout, unknown.stderr);
        let printed: serde_json::Value = serde_json::from_str(&unknown.stdout).expect("JSON on stdout");
        assert!(printed["reference"].get(reference).is_some(), "{printed}");
        assert!(printed["reconcile"].as_str().is_some_and(|rule| !rule.is_empty()), "{printed}");
        assert_eq!(mock.records().len(), 1, "processed once: the lost answer");
    }

    #[tokio::test]
    async fn magicpayments() {
        let wallet = format!("wallet_uuid={WALLET}");
        let body = r#"--body={"amount": 150.00, "card": "4111111111111111", "order": "cli-1"}"#;
        exit_codes(Provider::MagicPayments, &["get_balance", "--param", &wallet], &["create_withdrawal", "--param", &wallet, body], "access_denied", "order").await;
    }

    #[tokio::test]
    async fn mediacube() {
        let body = r#"--body={"request_id": "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8", "data": [{"amount": "10.5", "wallet": "1111222233334444", "description": "cli"}]}"#;
        exit_codes(Provider::MediaCube, &["issue_token"], &["create_payout", body], "error", "request_id").await;
    }

    #[tokio::test]
    async fn paymob() {
        let body = r#"--body={"msisdn": "01012345678", "amount": "150.50"}"#;
        exit_codes(Provider::Paymob, &["generate_token"], &["create_disbursement", body], "validation_failed", "msisdn").await;
    }

    #[tokio::test]
    async fn billon() {
        let body = r#"--body={"amount": 12.5, "currency": "GBP", "startDate": "2025-01-01T12:00:00Z", "endDate": "2025-01-08T00:00:00Z", "name": "CLI", "description": "cli", "notification": false, "referenceId": "EMP-1"}"#;
        exit_codes(Provider::Billon, &["authenticate"], &["create_payout", body], "documented", "referenceId").await;
    }

    /// Usage errors exit 2; a dry run sends nothing and prints no secret; a payout to a
    /// host that is not loopback needs --live.
    #[tokio::test]
    async fn usage_dry_run_and_live() {
        let mock = MockServer::start(Provider::MagicPayments).await.unwrap();
        let wallet = format!("wallet_uuid={WALLET}");
        let body = r#"--body={"amount": 150.00, "card": "4111111111111111", "order": "cli-1"}"#;
        assert_eq!(payspec(&mock, &["no_such_operation"]).await.code, 2);
        assert_eq!(payspec(&mock, &["get_balance"]).await.code, 2, "a missing parameter");
        let dry = payspec(&mock, &["create_withdrawal", "--param", &wallet, body, "--dry-run"]).await;
        assert_eq!(dry.code, 0, "{}{}", dry.stdout, dry.stderr);
        assert!(dry.stdout.contains("POST http://127.0.0.1:") && dry.stdout.contains("/withdrawal"), "{}", dry.stdout);
        assert!(!dry.stdout.contains("4111111111111111") && !dry.stdout.contains(mock.credential("token")), "{}", dry.stdout);
        assert!(mock.requests().is_empty(), "a dry run sends nothing");
        let remote = payspec(&mock, &["create_withdrawal", "--param", &wallet, body, "--base-url", "https://api.example.com"]).await;
        assert_eq!(remote.code, 2, "{}", remote.stderr);
        assert!(remote.stderr.contains("--live"), "{}", remote.stderr);
    }
}
