//! Sends the docs' payout batch and shows how each outcome is handled.
//!
//! `MEDIACUBE_CLIENT_ID=1 MEDIACUBE_CLIENT_SECRET=... cargo run -p payspec-mediacube --example payout`
//! (against the stage host unless `MEDIACUBE_BASE_URL` says otherwise).

use payspec_mediacube::types::PaymentItem;
use payspec_mediacube::{Client, Credentials, Error, ErrorCode, PaymentBatch, STAGE_BASE_URL};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url =
        std::env::var("MEDIACUBE_BASE_URL").unwrap_or_else(|_| STAGE_BASE_URL.to_string());
    let credentials = Credentials::new(
        std::env::var("MEDIACUBE_CLIENT_ID")?.parse()?,
        std::env::var("MEDIACUBE_CLIENT_SECRET")?,
    );
    let client = Client::new(&base_url, credentials)?;

    let batch = PaymentBatch::new(vec![
        PaymentItem {
            amount: "10.0000000001".parse()?,
            wallet: "1111222233334444".into(),
            description: "Test payment 1".to_string(),
        },
        PaymentItem {
            amount: "6.8".parse()?,
            wallet: "5555666677778888".into(),
            description: "Test payment 2".to_string(),
        },
    ]);
    // Store this before sending: it is the only reference to the batch.
    println!("sending batch {}", batch.request_id());

    match client.create_payout(batch).await {
        Ok(accepted) => {
            for transaction in &accepted.result.transactions {
                let invoice = match &transaction.invoice_path {
                    Some(path) => client.invoice_url(path)?.to_string(),
                    None => "no invoice".to_string(),
                };
                println!("transaction {}: {invoice}", transaction.id);
            }
        }
        Err(failed) => match (&failed.error, failed.code()) {
            (_, Some(ErrorCode::InsufficientFunds)) => println!("top up the account, then resend"),
            (_, Some(code)) => println!("batch {} refused: {code}", failed.request_id),
            (Error::OutcomeUnknown(unknown), None) => {
                println!(
                    "batch {} may have been processed: {}",
                    failed.request_id, unknown.reconcile
                )
            }
            (error, None) => println!("batch {} failed: {error}", failed.request_id),
        },
    }
    Ok(())
}
