//! Typed client for the Paymob Instant Payout API ("Instant Cashin"): disburse money to
//! a mobile wallet identified by its MSISDN.
//!
//! The operations, request and response types are generated from `specs/paymob.yaml`
//! ([`types`], and every operation as a builder on [`Client::api`]). This crate adds
//! what OpenAPI cannot say:
//!
//! - the OAuth2 token: obtained with the password grant, refreshed with the
//!   refresh-token grant before its 60 minutes run out (falling back to the password
//!   grant when the refresh is refused), shared by all concurrent callers, and sent as
//!   `Authorization: Bearer` on every disbursement; the token call itself authenticates
//!   the API client with HTTP Basic, as the docs' calls do;
//! - the outcome rules of a disbursement: `disbursement_status: failed` is an error
//!   even under HTTP 200, a documented `status_code` becomes a typed meaning, and a
//!   disbursement whose answer was lost is [`Error::OutcomeUnknown`], never repeated;
//! - the docs' general HTTP statuses (400, 401, 403, 404, 405, 408, 429, 50X) as
//!   [`HttpFailure`].
//!
//! ```no_run
//! use payspec_paymob::{types, ApiError, Client, Credentials, Environment, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new(
//!     Environment::Staging,
//!     Credentials::new("client-id", "client-secret", "api-user", "api-password"),
//! )?;
//! let request = types::DisbursementRequest {
//!     msisdn: "01012345678".into(),
//!     amount: "150.50".parse().expect("an exact amount"),
//!     pin: None,
//!     fees: Some(types::DisbursementRequestFees::Full),
//! };
//! match client.disburse(request).await {
//!     Ok(_) => println!("disbursed"),
//!     Err(Error::Api { error: ApiError::Disbursement(failed), .. }) => {
//!         println!("not disbursed: {} ({})", failed.status_code, failed.status_code.meaning());
//!     }
//!     // Nothing says whether the money moved: reconcile before paying again.
//!     Err(Error::OutcomeUnknown(unknown)) => println!("reconcile {}", unknown.reference),
//!     Err(error) => return Err(error),
//! }
//! # Ok(())
//! # }
//! ```

mod api_error;
mod client;
mod credentials;
mod disbursement;
mod environment;
mod generated;
mod hooks;
mod send;
mod token;

pub use api_error::{ApiError, HttpFailure};
pub use client::{Client, ClientBuilder, ClientState};
pub use credentials::Credentials;
pub use environment::Environment;
pub use generated::types;
pub use payspec_core::token::Token;
pub use payspec_core::transport::Limits;

/// The generated client: every operation as a builder (`api.create_disbursement().body(..)`).
/// Its requests carry the token, but their results are not checked the way
/// [`Client::disburse`] checks them.
pub type Api = generated::Client;

/// What the spec declares about repeating each operation.
pub use generated::policy;

/// The error of every call.
pub type Error = payspec_core::Error<ApiError>;
