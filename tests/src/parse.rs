//! Every answer type of every provider, parsed from arbitrary bytes and then used the
//! way a caller would (`Debug`, `Display`, meanings, amounts, the crate's own rules).
//! Shared by the property tests (`tests/it/fuzz.rs`) and the cargo-fuzz targets
//! (`fuzz/`), so both exercise the same parsers. Nothing in here may panic.

use std::fmt::{Debug, Display};

use serde::de::DeserializeOwned;

/// Parses `bytes` as `T`; on success, prints it.
fn parse<T: DeserializeOwned + Debug>(bytes: &[u8]) -> Option<T> {
    let value = serde_json::from_slice::<T>(bytes).ok()?;
    let _ = format!("{value:?}");
    Some(value)
}

/// Parses `bytes` as the error body `T` and prints it as the crate's error would.
fn error<T: DeserializeOwned + Debug + Display>(bytes: &[u8]) {
    if let Some(error) = parse::<T>(bytes) {
        let _ = error.to_string();
    }
}

/// Every answer of `provider` (`"magicpayments"`, ...), from `bytes`.
pub fn every_answer(provider: &str, bytes: &[u8]) {
    match provider {
        "magicpayments" => magicpayments(bytes),
        "mediacube" => mediacube(bytes),
        "paymob" => paymob(bytes),
        "billon" => billon(bytes),
        other => panic!("no provider {other}"),
    }
}

/// The providers [`every_answer`] knows.
pub const PROVIDERS: [&str; 4] = ["magicpayments", "mediacube", "paymob", "billon"];

fn magicpayments(bytes: &[u8]) {
    use payspec_magicpayments::rules::Callback;
    use payspec_magicpayments::types;
    if let Some(transaction) = parse::<types::Transaction>(bytes) {
        let _ = (transaction.status_transaction.meaning(), transaction.total.map(|t| t.to_string()));
    }
    parse::<types::InvoiceResponse>(bytes);
    if let Some(created) = parse::<types::WithdrawalResponse>(bytes) {
        let _ = created.status.meaning();
    }
    parse::<types::WalletBalance>(bytes);
    parse::<Vec<types::Wallet>>(bytes);
    parse::<types::HistoryPage>(bytes);
    parse::<types::DisputeMessages>(bytes);
    error::<types::ErrorResponse>(bytes);
    if let Ok(callback) = Callback::parse(&http::Method::POST, None, bytes) {
        let _ = (callback.transaction_id(), callback.order().map(str::len));
    }
    if let Ok(query) = std::str::from_utf8(bytes) {
        let _ = Callback::from_query(query).map(|callback| format!("{callback:?}"));
    }
}

fn mediacube(bytes: &[u8]) {
    use payspec_mediacube::types;
    parse::<types::IssueTokenResponse>(bytes);
    error::<types::OAuthErrorResponse>(bytes);
    if let Some(batch) = parse::<types::PaymentBatchResponse>(bytes) {
        let _ = (batch.data.status.meaning(), batch.data.err_msg.map(|code| code.to_string()));
    }
    parse::<types::RegionalPaymentBatchResponse>(bytes);
    error::<types::PaymentErrorResponse>(bytes);
}

fn paymob(bytes: &[u8]) {
    use payspec_paymob::types;
    parse::<types::TokenResponse>(bytes);
    error::<types::TokenErrorResponse>(bytes);
    if let Some(done) = parse::<types::DisbursementResponse>(bytes) {
        let _ = (done.status_code.meaning(), done.status_description.to_string(), done.to_string());
    }
}

fn billon(bytes: &[u8]) {
    use payspec_billon::types;
    parse::<types::AuthenticateResponse>(bytes);
    if let Some(created) = parse::<types::CreatePayoutResponse>(bytes) {
        for payout in &created.payments {
            let _ = (payout.amount.to_string(), payout.status.meaning());
        }
    }
    parse::<types::CancelPayoutsResponse>(bytes);
    error::<types::ErrorResponse>(bytes);
}
