//! Sends one payout batch.
//!
//! `MEDIACUBE_URL=http://127.0.0.1:8080 MEDIACUBE_CLIENT_ID=1 MEDIACUBE_CLIENT_SECRET=... \
//!  cargo run -p payspec-mediacube --example mediacube_payout`

use payspec_mediacube::{types, Client, Credentials, Environment, Uuid};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = var("MEDIACUBE_URL")?.parse()?;
    let credentials = Credentials::new(var("MEDIACUBE_CLIENT_ID")?.parse()?, var("MEDIACUBE_CLIENT_SECRET")?);
    let client = Client::builder(Environment::Custom(host), credentials).build()?;
    let batch = types::PaymentBatchRequest {
        request_id: Uuid::new_v4(),
        data: vec![types::PaymentItem { amount: "10.00".parse()?, wallet: "1111222233334444".into(), description: "example".into() }],
    };
    println!("request_id {}", batch.request_id);
    let accepted = client.create_payout(&batch).await?;
    println!("{} transactions", accepted.data.transactions.len());
    Ok(())
}
