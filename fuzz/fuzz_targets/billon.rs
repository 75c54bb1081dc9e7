//! Arbitrary bytes to every Billon response parser: the generated response types and
//! what the crate makes of them (API errors and their meaning, payout amounts and
//! statuses, Debug and Display). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payspec_billon::{types, ApiError};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(issued) = serde_json::from_slice::<types::AuthenticateResponse>(bytes) {
        let _ = format!("{issued:?}");
    }
    if let Ok(created) = serde_json::from_slice::<types::CreatePayoutResponse>(bytes) {
        for payout in &created.payments {
            let _ = (payout.amount.to_string(), payout.status.to_string(), format!("{payout:?}"));
        }
    }
    let _ = serde_json::from_slice::<types::CancelPayoutsResponse>(bytes);
    if let Ok(refused) = serde_json::from_slice::<types::ErrorResponse>(bytes) {
        let error = ApiError::from(refused);
        let _ = (error.error_type().meaning(), error.message(), error.is_insufficient_funds(), error.to_string());
    }
    let _ = serde_json::from_slice::<types::Payout>(bytes);
    let _ = serde_json::from_slice::<types::PayoutStatus>(bytes);
    let _ = serde_json::from_slice::<types::ErrorDetail>(bytes);
    let _ = serde_json::from_slice::<types::ErrorType>(bytes).map(|t| t.meaning().to_string());
});
