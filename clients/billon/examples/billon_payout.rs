//! Creates one payout and cancels it.
//!
//! `BILLON_URL=http://127.0.0.1:8080 BILLON_API_KEY=... cargo run -p payspec-billon --example billon_payout`

use payspec_billon::{types, ApiKey, Client, Environment};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = var("BILLON_URL")?.parse()?;
    let client = Client::builder(Environment::Custom(host), ApiKey::new(var("BILLON_API_KEY")?)).build()?;
    let request: types::CreatePayoutRequest = serde_json::from_value(serde_json::json!({
        "amount": 12.50, "currency": "GBP", "startDate": "2025-01-01T12:00:00Z", "endDate": "2025-01-08T00:00:00Z",
        "name": "Example", "description": "example payout", "notification": false, "referenceId": "EMP-0042",
    }))?;
    let created = client.create_payout(&request).await?;
    let ids: Vec<i64> = created.payments.iter().map(|payment| payment.id).collect();
    let cancelled = client.cancel_payouts(&types::CancelPayoutsRequest { ids: ids.clone() }).await?;
    println!("created {ids:?}, cancelled {}", cancelled.success);
    Ok(())
}
