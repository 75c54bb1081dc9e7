//! Arbitrary bytes to every Paymob response parser: the generated response types and
//! what the crate makes of them (API errors, status-code meanings, validation messages,
//! the general HTTP failure of any status, Debug and Display). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payspec_paymob::types::{self, DisbursementResponseStatusCode};
use payspec_paymob::{ApiError, HttpFailure};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(token) = serde_json::from_slice::<types::TokenResponse>(bytes) {
        let _ = (format!("{token:?}"), token.expires_in.to_string());
    }
    if let Ok(refused) = serde_json::from_slice::<types::TokenErrorResponse>(bytes) {
        let _ = refused.error.meaning();
        let _ = ApiError::from(refused).to_string();
    }
    if let Ok(response) = serde_json::from_slice::<types::DisbursementResponse>(bytes) {
        let description = &response.status_description;
        let _ = (description.message(), description.field_errors(), description.to_string());
        let _ = (response.status_code.meaning(), response.disbursement_status.to_string());
        let error = ApiError::from(response);
        let _ = (error.disbursement_code(), error.to_string(), format!("{error:?}"));
    }
    let _ = serde_json::from_slice::<types::DisbursementStatusDescription>(bytes).map(|d| d.to_string());
    let _ = serde_json::from_slice::<types::TokenExpiresIn>(bytes).map(|e| e.to_string());
    let _ = serde_json::from_slice::<DisbursementResponseStatusCode>(bytes).map(|c| c.meaning());
    // The first two bytes as an HTTP status, for the general failures.
    if let [high, low, ..] = bytes {
        if let Ok(status) = http::StatusCode::from_u16(u16::from_be_bytes([*high, *low])) {
            let failure = HttpFailure::of(status);
            let _ = (failure.meaning(), ApiError::Http(failure).to_string());
        }
    }
});
