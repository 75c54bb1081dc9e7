//! Typed client for the Billon payout panel API (direct access): create and cancel
//! payouts.
//!
//! Every operation of `specs/billon.yaml` is a method of [`Client`] returning
//! `Result<T, Error>`; the types are in [`types`]. The runtime is payspec-core's, the
//! same for every payspec provider: the token from `authenticate` (see [`auth`]) shared
//! by every call and renewed once after a 401 or 403; a body with Billon's error shape is
//! its refusal under any status; a payout with no recipient, a zero amount or an end
//! date before its start date is refused before anything is sent; a lost or
//! undocumented answer is [`Error::OutcomeUnknown`] describing the payout.
//!
//! ```no_run
//! use payspec_billon::{types, ApiKey, Client, Environment, Error};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // The backend address comes from Billon with your panel's details.
//! let host = "https://panel.example.com:5006".parse()?;
//! let client = Client::builder(Environment::Custom(host), ApiKey::new("authentication password")).build()?;
//! let request = types::CreatePayoutRequest {
//!     amount: "12.50".parse()?,
//!     currency: "GBP".into(),
//!     start_date: "2025-01-01T12:00:00Z".parse()?,
//!     end_date: "2025-01-08T00:00:00Z".parse()?,
//!     name: "January bonuses".into(),
//!     description: "Bonus".into(),
//!     notification: true,
//!     reference_id: Some("EMP-0042".into()),
//!     user_name: None,
//!     phone_number: None,
//!     first_name: None,
//!     last_name: None,
//!     email: None,
//! };
//! match client.create_payout(&request).await {
//!     Ok(created) => println!("created: {:?}", created.payments),
//!     // No lookup exists: check the panel before creating the payout again.
//!     Err(Error::OutcomeUnknown(unknown)) => eprintln!("check the panel: {}", unknown.reference),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```

pub mod auth;
mod generated;

pub use generated::{operations, types, ApiError, Client, Environment, Error, Provider, SPEC_JSON};
pub use payspec_core::secret::{AccountNumber, ApiKey};
pub use payspec_core::{self, Decimal, DecimalNumber, Limits, OutcomeUnknown, Reference};

/// What a Billon client authenticates with: the panel's Authentication password, which
/// `authenticate` exchanges for a token.
pub type Credentials = ApiKey;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
