//! Pays out from a MagicPayments wallet and reconciles a payout whose answer was lost.
//!
//! `MAGICPAYMENTS_URL=... MAGICPAYMENTS_TOKEN=... MAGICPAYMENTS_WALLET=... cargo run --example withdraw`

use payspec_core::secret::AccessToken;
use payspec_core::DecimalNumber;
use payspec_magicpayments::{types, Client, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("MAGICPAYMENTS_URL").unwrap_or_else(|_| "https://api.magic-payments.com".into());
    let token = AccessToken::new(std::env::var("MAGICPAYMENTS_TOKEN")?);
    let wallet: uuid::Uuid = std::env::var("MAGICPAYMENTS_WALLET")?.parse()?;
    let client = Client::new(&base_url, token)?;

    let balance = client.call(client.api().get_balance().wallet_uuid(wallet).send()).await?;
    println!("balance: {} {}", balance.balance, balance.currency);

    // Store the order before sending: it is how the payout is found again.
    let order = format!("payout-{}", uuid::Uuid::new_v4());
    let request: types::WithdrawalRequest = types::WithdrawalRequest::builder()
        .amount("150.00".parse::<DecimalNumber>()?)
        .card(Some("4111111111111111".into()))
        .order(Some(order.clone().try_into()?))
        .try_into()?;

    match client.create_withdrawal(wallet, request).await {
        Ok(created) => println!("created: {:?}", created.transaction.map(|t| t.status_transaction)),
        Err(Error::OutcomeUnknown(unknown)) => {
            eprintln!("{unknown}");
            let transaction = client.transaction_by_order(wallet, &unknown.reference).await?;
            println!("reconciled {order}: {}", transaction.status_transaction);
        }
        Err(Error::Api { error, .. }) => eprintln!("rejected: {error}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
