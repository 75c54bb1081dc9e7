//! Sends one withdrawal and reconciles it if its answer is lost.
//!
//! `MAGICPAYMENTS_URL=http://127.0.0.1:8080 MAGICPAYMENTS_TOKEN=... MAGICPAYMENTS_WALLET=<uuid> \
//!  cargo run -p payspec-magicpayments --example magicpayments_withdraw`
//!
//! There is no default host: point it at `payspec-mock magicpayments`, or at the
//! production host on purpose.

use payspec_magicpayments::{types, AccessToken, Client, Environment, Error, Uuid};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = var("MAGICPAYMENTS_URL")?.parse()?;
    let client = Client::builder(Environment::Custom(host), AccessToken::new(var("MAGICPAYMENTS_TOKEN")?)).build()?;
    let wallet: Uuid = var("MAGICPAYMENTS_WALLET")?.parse()?;
    let request: types::WithdrawalRequest = serde_json::from_value(serde_json::json!({
        "amount": 150.00, "card": "4111111111111111", "order": format!("example-{}", Uuid::new_v4()),
    }))?;
    match client.create_withdrawal(&wallet, &request).await {
        Ok(created) => println!("created: {:?}", created.transaction.map(|t| t.status_transaction)),
        Err(Error::OutcomeUnknown(unknown)) => {
            println!("{unknown}");
            let order = unknown.reference.get("order").unwrap_or_default().parse()?;
            let lookup = types::TransactionReference { order: Some(order), transaction: None };
            println!("reconciled: {}", client.get_status(&wallet, &lookup).await?.status_transaction);
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
