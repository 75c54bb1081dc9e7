//! Typed client for the Paymob Instant Payout API ("Instant Cashin"): disburse money to
//! a mobile wallet identified by its MSISDN.
//!
//! Every operation of `specs/paymob.yaml` is a method of [`Client`] returning
//! `Result<T, Error>`; the types are in [`types`]. The runtime is payspec-core's, the
//! same for every payspec provider. Paymob's token flow is in [`auth`]: the password
//! grant, the refresh-token grant before the token's 60 minutes run out, HTTP Basic on
//! the token call. A disbursement is `Ok` only for `disbursement_status: success`;
//! `failed` is [`Error::Api`] under any HTTP status; a rejected token is renewed once;
//! a lost or undocumented answer is [`Error::OutcomeUnknown`], naming the wallet's last
//! four digits and the amount.
//!
//! ```no_run
//! use payspec_paymob::{types, Client, Credentials, Environment, Error};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let credentials = Credentials::new("client-id", "client-secret", "api-user", "api-password");
//! let client = Client::builder(Environment::Staging, credentials).build()?;
//! let request = types::DisbursementRequest {
//!     msisdn: "01012345678".into(),
//!     amount: "150.50".parse()?,
//!     pin: None,
//!     fees: Some(types::DisbursementRequestFees::Full),
//! };
//! match client.create_disbursement(&request).await {
//!     Ok(_) => println!("disbursed"),
//!     Err(Error::Api { error, .. }) => println!("not disbursed: {error}"),
//!     // Nothing says whether the money moved: reconcile before paying again.
//!     Err(Error::OutcomeUnknown(unknown)) => println!("reconcile {}", unknown.reference),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```

pub mod auth;
mod generated;

pub use auth::Credentials;
pub use generated::{operations, types, ApiError, Client, Environment, Error, Provider, SPEC_JSON};
pub use payspec_core::secret::{AccountNumber, ClientSecret, Password, Pin};
pub use payspec_core::{self, Decimal, DecimalString, Limits, OutcomeUnknown, Reference};

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
