//! Disburses an amount to a mobile wallet on Paymob's staging environment.
//!
//! ```sh
//! PAYMOB_CLIENT_ID=.. PAYMOB_CLIENT_SECRET=.. PAYMOB_USERNAME=.. PAYMOB_PASSWORD=.. \
//!     cargo run -p payspec-paymob --example disburse -- 01012345678 150.50
//! ```

use payspec_paymob::types::{DisbursementRequest, DisbursementRequestFees};
use payspec_paymob::{ApiError, Client, Credentials, Environment, Error, HttpFailure};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("set {name}"))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (Some(msisdn), Some(amount)) = (args.next(), args.next()) else {
        eprintln!("usage: disburse <msisdn> <amount>");
        std::process::exit(2);
    };
    let credentials = Credentials::new(
        env("PAYMOB_CLIENT_ID"),
        env("PAYMOB_CLIENT_SECRET"),
        env("PAYMOB_USERNAME"),
        env("PAYMOB_PASSWORD"),
    );
    let client = Client::new(Environment::Staging, credentials)?;
    let request = DisbursementRequest {
        msisdn: msisdn.into(),
        amount: amount
            .parse()
            .map_err(|error| Error::InvalidRequest(format!("amount: {error}")))?,
        pin: None,
        fees: Some(DisbursementRequestFees::Full),
    };

    match client.disburse(request).await {
        Ok(done) => println!("disbursed ({})", done.status_code),
        // A documented failure: nothing was paid. `status_description` may be Arabic.
        Err(Error::Api {
            error: ApiError::Disbursement(failed),
            ..
        }) => println!(
            "not disbursed: {} ({}): {}",
            failed.status_code,
            failed.status_code.meaning(),
            failed.status_description
        ),
        Err(Error::Api {
            error: ApiError::Http(HttpFailure::TooManyRequests),
            ..
        }) => {
            println!("rate limited: nothing was paid, try again later");
        }
        // The money may or may not have moved: do not pay again before reconciling.
        Err(Error::OutcomeUnknown(unknown)) => {
            println!("UNKNOWN: {} -> {}", unknown.reference, unknown.reconcile);
        }
        Err(error) => return Err(error),
    }
    Ok(())
}
