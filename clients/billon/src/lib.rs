//! Typed client for the Billon payout panel API (direct access).
//!
//! The request and response types are generated from `specs/billon.yaml` ([`types`]).
//! This crate adds what OpenAPI cannot say: the token lifecycle (`authenticate` on first
//! use, the token shared by every call and refreshed ahead of expiry, one repeat with a
//! new token after a 401/403), the recipient check before a payout is sent, typed
//! errors decided by the body (Billon does not document error statuses), and outcome
//! rules for the money-moving calls.
//!
//! ```no_run
//! use chrono::{TimeZone, Utc};
//! use payspec_billon::{types, ApiKey, Client, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! // The backend address comes from Billon with your panel's details.
//! let client = Client::new("https://panel.example.com:5006", ApiKey::new("authentication password"))?;
//! let request = types::CreatePayoutRequest::builder()
//!     .amount("12.50".parse::<payspec_billon::DecimalNumber>().unwrap())
//!     .currency("GBP")
//!     .start_date(Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap())
//!     .end_date(Utc.with_ymd_and_hms(2025, 1, 8, 0, 0, 0).unwrap())
//!     .name("January bonuses")
//!     .description("Bonus")
//!     .notification(true)
//!     .reference_id(Some("EMP-0042".to_string()));
//! let request: types::CreatePayoutRequest = request.try_into().expect("every required field is set");
//! match client.create_payout(&request).await {
//!     Ok(created) => println!("created: {:?}", created.payments),
//!     // No lookup exists: check the panel before creating the payout again.
//!     Err(Error::OutcomeUnknown(unknown)) => eprintln!("check the panel: {}", unknown.reference),
//!     Err(error) => return Err(error),
//! }
//! let outcome = client.cancel_payouts(&[1, 2, 3]).await?;
//! if !outcome.is_complete() {
//!     eprintln!("{} of {:?} were not cancelled", outcome.not_cancelled(), outcome.requested);
//! }
//! # Ok(())
//! # }
//! ```

mod api_error;
mod auth;
mod cancel;
mod client;
// The raw builders are not exported: each of the three operations has a wrapper on
// `Client` carrying the rules the spec cannot state (recipient check, token repeat,
// outcome-unknown), so the generated constructors and `body_map` stay unused.
#[allow(dead_code)]
mod generated;
mod hooks;
mod jwt;
mod outcome;
mod payout;
mod response;

pub use api_error::ApiError;
pub use auth::TOKEN_LIFETIME;
pub use cancel::CancelOutcome;
pub use client::{Client, ClientBuilder, ClientState, DEFAULT_REFRESH_AHEAD};
pub use generated::types;
pub use payspec_core::secret::ApiKey;
pub use payspec_core::transport::Limits;
pub use payspec_core::DecimalNumber;

/// What the spec declares about repeating each operation.
pub use generated::policy;

/// The error of every call.
pub type Error = payspec_core::Error<ApiError>;
