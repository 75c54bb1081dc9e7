//! Arbitrary bytes to every MediaCube response parser: the generated response types
//! and what the crate makes of them (batch status, error code, API error, Debug and
//! Display, the invoice URL built from `invoice_path`). Nothing may panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use payspec_mediacube::{types, ApiError, BatchStatus, Client, Credentials, ErrorCode, Scope};

/// `invoice_url` joins a response's `invoice_path` to the client's base URL.
static CLIENT: LazyLock<Client> =
    LazyLock::new(|| Client::new("http://127.0.0.1:9/prefix", Credentials::new(1, "s")).expect("client"));

fn result(err_msg: Option<i64>, status: i64, transactions: &[types::Transaction]) {
    let _ = err_msg.map(|code| ErrorCode::from(code).to_string());
    let _ = BatchStatus::from(status).to_string();
    for transaction in transactions {
        if let Some(path) = &transaction.invoice_path {
            let _ = CLIENT.invoice_url(path).map(|url| url.to_string());
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    if let Ok(token) = serde_json::from_slice::<types::IssueTokenResponse>(bytes) {
        let _ = format!("{token:?}");
    }
    if let Ok(refused) = serde_json::from_slice::<types::OAuthErrorResponse>(bytes) {
        let _ = ApiError::from(refused).to_string();
    }
    if let Ok(response) = serde_json::from_slice::<types::PaymentBatchResponse>(bytes) {
        result(response.data.err_msg, response.data.status, &response.data.transactions);
    }
    if let Ok(response) = serde_json::from_slice::<types::RegionalPaymentBatchResponse>(bytes) {
        result(response.data.err_msg, response.data.status, &response.data.transactions);
    }
    if let Ok(response) = serde_json::from_slice::<types::PaymentErrorResponse>(bytes) {
        let error = ApiError::from(response);
        let _ = (error.code(), error.to_string(), format!("{error:?}"));
        if let ApiError::Payment(payment) = &error {
            let _ = (payment.status(), payment.request_id());
        }
    }
    let _ = serde_json::from_slice::<types::PaymentResult>(bytes);
    let _ = serde_json::from_slice::<types::RegionalPaymentResult>(bytes);
    let _ = serde_json::from_slice::<types::PaymentErrorData>(bytes);
    let _ = serde_json::from_slice::<types::Transaction>(bytes);
    let text = String::from_utf8_lossy(bytes);
    let _ = Scope::from(text.as_ref()).to_string();
    let _ = CLIENT.invoice_url(&text);
});
