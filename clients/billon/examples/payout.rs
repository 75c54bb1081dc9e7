//! Creates a payout in a Billon payout panel, says what to do when its answer is lost,
//! and cancels it again.
//!
//! `BILLON_URL=https://<your backend address> BILLON_PASSWORD=<Authentication password> cargo run -p payspec-billon --example payout`

use chrono::{Duration, Utc};
use payspec_billon::{types, ApiKey, Client, DecimalNumber, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Billon delivers the backend address with the panel; there is no shared host.
    let base_url = std::env::var("BILLON_URL")?;
    let password = ApiKey::new(std::env::var("BILLON_PASSWORD")?);
    let client = Client::new(&base_url, password)?;

    let starts = Utc::now();
    let request: types::CreatePayoutRequest = types::CreatePayoutRequest::builder()
        .amount("12.50".parse::<DecimalNumber>()?)
        .currency("GBP")
        .start_date(starts)
        .end_date(starts + Duration::days(7))
        .name("Weekly bonuses")
        .description("Bonus for week 12")
        .notification(true)
        // At least one of user_name, phone_number, reference_id; referenceId is a string.
        .reference_id(Some("EMP-0042".to_string()))
        .email(Some("courier@example.com".to_string()))
        .try_into()?;

    let created = match client.create_payout(&request).await {
        Ok(created) => created,
        // No lookup or idempotency key exists: check the panel before trying again.
        Err(Error::OutcomeUnknown(unknown)) => {
            eprintln!("{unknown}");
            return Ok(());
        }
        Err(Error::Api { error, .. }) if error.is_insufficient_funds() => {
            eprintln!("top up the panel's account first: {error}");
            return Ok(());
        }
        Err(other) => return Err(other.into()),
    };
    let ids: Vec<i64> = created.payments.iter().map(|payout| payout.id).collect();
    for payout in &created.payments {
        println!(
            "payout {} {} {}: {}",
            payout.id, payout.amount, payout.currency, payout.status
        );
    }

    let outcome = client.cancel_payouts(&ids).await?;
    if !outcome.is_complete() {
        eprintln!(
            "{} of {:?} were not cancelled",
            outcome.not_cancelled(),
            outcome.requested
        );
    }
    Ok(())
}
