//! The flow a payout integration lives through, against each provider's mock, with no
//! account and no set-up: obtain a token (on the first call), create a payout, have its
//! answer lost and reconcile it by its reference, meet a documented refusal.
//!
//! `cargo run --example quickstart` (from the repository root). Exits non-zero when a
//! step does not go as shown.

use std::fmt::{Debug, Display};
use std::process::ExitCode;

use payspec_magicpayments::payspec_core::{Error, OutcomeUnknown};
use payspec_mock::{MockServer, Provider, Scenario};

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    println!("payspec quickstart: every provider's mock in-process, no credentials of yours needed");
    let flows = async {
        magicpayments().await?;
        mediacube().await?;
        paymob().await?;
        billon().await
    };
    match flows.await {
        Ok(()) => {
            println!("\nAll four flows went as expected. Next: `cargo run -p payspec-mock -- magicpayments` and the `payspec` CLI.");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("\nquickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn step(what: &str, detail: impl Display) {
    println!("  {what:<12} {detail}");
}

/// A failure for a result that is not the one the step expects.
fn unexpected(expected: &str, got: impl Debug) -> Failure {
    format!("expected {expected}, got {got:?}").into()
}

/// The lost answer's error, shown: the outcome is unknown, with the reference that names
/// the payout and the provider's rule for finding out what happened.
fn outcome_unknown<T: Debug, A: Debug>(result: Result<T, Error<A>>) -> Result<Box<OutcomeUnknown>, Failure> {
    match result {
        Err(Error::OutcomeUnknown(unknown)) => {
            step("lost answer", format!("outcome unknown, reference {}", unknown.reference));
            step("", format!("rule: {}", unknown.reconcile));
            Ok(unknown)
        }
        other => Err(unexpected("an unknown outcome", other)),
    }
}

/// A documented refusal, shown with `note` after it.
fn refused<T: Debug, A: Debug + Display>(result: Result<T, Error<A>>, note: &str) -> Result<(), Failure> {
    match result {
        Err(Error::Api { status, error, .. }) => {
            step("refused", format!("HTTP {status}: {error}{note}"));
            Ok(())
        }
        other => Err(unexpected("a documented refusal", other)),
    }
}

/// How many token requests the mock received.
fn token_requests(mock: &MockServer, operation: &str) -> usize {
    mock.requests().iter().filter(|request| request.operation.as_deref() == Some(operation)).count()
}

async fn magicpayments() -> Result<(), Failure> {
    use payspec_magicpayments::{types, AccessToken, Client, Environment};
    println!("\nMagicPayments: a static bearer token; a withdrawal is found again by its order");
    let mock = MockServer::start(Provider::MagicPayments).await?;
    let client = Client::builder(Environment::Custom(mock.base_url().parse()?), AccessToken::new(mock.credential("token"))).build()?;
    let wallet = Provider::MagicPayments.example_wallet().parse()?;
    let withdrawal = |order: &str| -> Result<types::WithdrawalRequest, Failure> {
        Ok(serde_json::from_value(serde_json::json!({"amount": 150.00, "card": "4111111111111111", "order": order}))?)
    };

    let balance = client.get_balance(&wallet).await?;
    step("token", format!("none to obtain (the spec declares a static token); balance {} {}", balance.balance, balance.currency));

    let created = client.create_withdrawal(&wallet, &withdrawal("payout-1")?).await?;
    let transaction = created.transaction.ok_or("a created withdrawal has a transaction")?;
    step("payout", format!("created: transaction {} ({}), order payout-1", transaction.uuid, transaction.status_transaction));

    mock.next(Scenario::LoseAnswer);
    let unknown = outcome_unknown(client.create_withdrawal(&wallet, &withdrawal("payout-2")?).await)?;
    let order = unknown.reference.get("order").ok_or("the reference names the order")?.parse()?;
    let lookup = types::TransactionReference { order: Some(order), transaction: None };
    let found = client.get_status(&wallet, &lookup).await?;
    step("reconciled", format!("get_status by order: transaction {} is {} (it was created: do not pay again)", found.uuid, found.status_transaction));
    let after = client.get_balance(&wallet).await?;
    step("balance", format!("{} -> {} {} (two withdrawals of 150.00)", balance.balance, after.balance, after.currency));
    if after.balance == balance.balance {
        return Err("the balance did not move".into());
    }

    mock.next(Scenario::error("access_denied"));
    refused(client.create_withdrawal(&wallet, &withdrawal("payout-3")?).await, " (nothing was created)")?;
    Ok(())
}

async fn mediacube() -> Result<(), Failure> {
    use payspec_mediacube::{types, Client, Credentials, Environment, Uuid};
    println!("\nMediaCube: the partner grant's token; a batch is identified by its request_id");
    let mock = MockServer::start(Provider::MediaCube).await?;
    let credentials = Credentials::new(mock.credential("client_id").parse()?, mock.credential("client_secret"));
    let client = Client::builder(Environment::Custom(mock.base_url().parse()?), credentials).build()?;
    let batch = |wallet: &str| -> Result<types::PaymentBatchRequest, Failure> {
        let item = types::PaymentItem { amount: "10.50".parse()?, wallet: wallet.into(), description: "quickstart".into() };
        Ok(types::PaymentBatchRequest { request_id: Uuid::new_v4(), data: vec![item] })
    };

    let accepted = client.create_payout(&batch("1111222233334444")?).await?;
    step("token", format!("obtained on the first call ({} token request)", token_requests(&mock, "issue_token")));
    step("payout", format!("batch accepted: {} transaction(s)", accepted.data.transactions.len()));

    let lost = batch("5555666677778888")?;
    mock.next(Scenario::LoseAnswer);
    outcome_unknown(client.create_payout(&lost).await)?;
    let request_id = lost.request_id.to_string();
    let kept = mock.records().iter().any(|record| record.get("request_id") == Some(request_id.as_str()));
    step("mock state", format!("the batch {request_id} was processed: {kept}"));
    // The rule: send it again with the same request_id; it is not paid twice.
    let again = client.create_payout(&lost).await?;
    let batches = mock.state()["batches"].as_array().map_or(0, Vec::len);
    step("reconciled", format!("sent again with the same request_id: {} transaction(s), {batches} batches kept (not paid twice)", again.data.transactions.len()));
    if !kept || batches != 2 {
        return Err("the lost batch should be kept once".into());
    }

    mock.next(Scenario::error("error"));
    refused(client.create_payout(&batch("1111222233334444")?).await, "")?;
    Ok(())
}

async fn paymob() -> Result<(), Failure> {
    use payspec_paymob::{types, Client, Credentials, Environment};
    println!("\nPaymob: the password grant (HTTP Basic on the token call); a disbursement has no lookup");
    let mock = MockServer::start(Provider::Paymob).await?;
    let credentials = Credentials::new(
        mock.credential("client_id"),
        mock.credential("client_secret"),
        mock.credential("username"),
        mock.credential("password"),
    );
    let client = Client::builder(Environment::Custom(mock.base_url().parse()?), credentials).build()?;
    let disbursement = |msisdn: &str| -> Result<types::DisbursementRequest, Failure> {
        Ok(types::DisbursementRequest { msisdn: msisdn.into(), amount: "150.50".parse()?, pin: None, fees: None })
    };

    let done = client.create_disbursement(&disbursement("01012345678")?).await?;
    step("token", format!("obtained on the first call ({} token request)", token_requests(&mock, "generate_token")));
    step("payout", format!("disbursement_status {}", done.disbursement_status));

    mock.next(Scenario::LoseAnswer);
    outcome_unknown(client.create_disbursement(&disbursement("01098765432")?).await)?;
    let kept = mock.records().iter().any(|record| record.get("msisdn") == Some("01098765432"));
    step("mock state", format!("the disbursement to ****5432 was processed: {kept} (ask Paymob before paying again)"));
    if !kept {
        return Err("the lost disbursement should be kept".into());
    }

    mock.next(Scenario::error("budget_exceeded_6061"));
    refused(client.create_disbursement(&disbursement("01012345678")?).await, "")?;
    Ok(())
}

async fn billon() -> Result<(), Failure> {
    use payspec_billon::{types, ApiKey, Client, Environment};
    println!("\nBillon: an API key for a token (x-access-token); payouts have no lookup, duplicates can be cancelled");
    let mock = MockServer::start(Provider::Billon).await?;
    let client = Client::builder(Environment::Custom(mock.base_url().parse()?), ApiKey::new(mock.credential("api_key"))).build()?;
    let payout = |reference: &str| -> Result<types::CreatePayoutRequest, Failure> {
        Ok(serde_json::from_value(serde_json::json!({
            "amount": 12.50, "currency": "GBP", "startDate": "2025-01-01T12:00:00Z", "endDate": "2025-01-08T00:00:00Z",
            "name": "Quickstart", "description": "a payout", "notification": false, "referenceId": reference,
        }))?)
    };

    let created = client.create_payout(&payout("EMP-1")?).await?;
    step("token", format!("obtained on the first call ({} token request)", token_requests(&mock, "authenticate")));
    let ids: Vec<i64> = created.payments.iter().map(|payment| payment.id).collect();
    step("payout", format!("created: ids {ids:?}"));

    mock.next(Scenario::LoseAnswer);
    outcome_unknown(client.create_payout(&payout("EMP-2")?).await)?;
    let record = mock.records().into_iter().find(|record| record.get("referenceId") == Some("EMP-2"));
    let id = record.and_then(|record| record.response["payments"][0]["id"].as_i64()).ok_or("the lost payout should be kept")?;
    let state = mock.state();
    let kept = state["payouts"].as_array().into_iter().flatten().find(|payout| payout["id"] == id);
    step("mock state", format!("payout {id} for EMP-2 was created, status {}", kept.map_or("?", |payout| payout["status"].as_str().unwrap_or("?"))));
    // Had it been sent again, the duplicate could be cancelled:
    let cancelled = client.cancel_payouts(&types::CancelPayoutsRequest { ids: vec![id, 999] }).await?;
    step("cancel", format!("cancel_payouts [{id}, 999]: {} of 2 cancelled (999 does not exist)", cancelled.success));

    mock.next(Scenario::error("documented"));
    refused(client.create_payout(&payout("EMP-3")?).await, "")?;
    Ok(())
}
