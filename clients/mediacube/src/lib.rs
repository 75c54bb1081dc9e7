//! Typed client for the MediaCube partner payments API: payouts, debit payments,
//! regional payouts, and the OAuth token endpoint.
//!
//! Every operation of `specs/mediacube.yaml` is a method of [`Client`] returning
//! `Result<T, Error>`; the types are in [`types`]. The runtime is payspec-core's, the
//! same for every payspec provider: the payment token (the `partner` grant, see
//! [`auth`]) obtained once for many callers and renewed once on a 401; `data.status` 2 is
//! success and 3 a refusal with its [`types::ErrorCode`]; a batch whose answer is lost
//! or undocumented is [`Error::OutcomeUnknown`] with its `request_id`. What OpenAPI
//! cannot say is in [`rules`]: the OAuth redirect URL and invoice URLs.
//!
//! ```no_run
//! use payspec_mediacube::{types, Client, Credentials, Environment, Error, Uuid};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(Environment::Stage, Credentials::new(1, "<secret>")).build()?;
//! let batch = types::PaymentBatchRequest {
//!     request_id: Uuid::new_v4(), // store it before sending: it is how the batch is found again
//!     data: vec![types::PaymentItem {
//!         amount: "10.0000000001".parse()?,
//!         wallet: "1111222233334444".into(),
//!         description: "Test payment 1".to_string(),
//!     }],
//! };
//! match client.create_payout(&batch).await {
//!     Ok(accepted) => println!("{} transactions", accepted.data.transactions.len()),
//!     Err(Error::Api { error, .. }) => println!("refused: {error}"),
//!     Err(Error::OutcomeUnknown(unknown)) => println!("reconcile {}: {}", unknown.reference, unknown.reconcile),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```

pub mod auth;
mod generated;
pub mod rules;

pub use auth::Credentials;
pub use generated::{operations, types, ApiError, Client, Environment, Error, Provider, SPEC_JSON};
pub use payspec_core::secret::{AccountNumber, AuthorizationCode, ClientSecret};
pub use payspec_core::{self, Decimal, DecimalString, Limits, OutcomeUnknown, Reference};
pub use uuid::Uuid;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
