//! Sends one disbursement.
//!
//! `PAYMOB_URL=http://127.0.0.1:8080 PAYMOB_CLIENT_ID=... PAYMOB_CLIENT_SECRET=... \
//!  PAYMOB_USERNAME=... PAYMOB_PASSWORD=... cargo run -p payspec-paymob --example paymob_disburse`

use payspec_paymob::{types, Client, Credentials, Environment};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = var("PAYMOB_URL")?.parse()?;
    let credentials = Credentials::new(var("PAYMOB_CLIENT_ID")?, var("PAYMOB_CLIENT_SECRET")?, var("PAYMOB_USERNAME")?, var("PAYMOB_PASSWORD")?);
    let client = Client::builder(Environment::Custom(host), credentials).build()?;
    let request = types::DisbursementRequest { msisdn: "01012345678".into(), amount: "150.50".parse()?, pin: None, fees: None };
    let done = client.create_disbursement(&request).await?;
    println!("{}: {}", done.disbursement_status, done.status_code);
    Ok(())
}
