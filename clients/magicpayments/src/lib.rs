//! Typed client for the MagicPayments wallet API.
//!
//! The operations, request and response types are generated from
//! `specs/magicpayments.yaml` ([`types`], and every operation as a builder on
//! [`Client::api`]). This crate adds what OpenAPI cannot say: the bearer token on every
//! request, typed errors with the raw body kept, the docs' outcome rules for
//! withdrawals, and callback parsing.
//!
//! ```no_run
//! use payspec_magicpayments::{types, Client, Error};
//! use payspec_core::secret::AccessToken;
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new("https://api.magic-payments.com", AccessToken::new("token"))?;
//! let wallet: uuid::Uuid = "75e9a565-6b36-3b67-9ed1-2050314314f9".parse().unwrap();
//! let request = types::WithdrawalRequest::builder()
//!     .amount("5309.00".parse::<payspec_core::DecimalNumber>().unwrap())
//!     .card(Some("4111111111111111".into()))
//!     .order(Some("payout-42".to_string().try_into().unwrap()));
//! match client.create_withdrawal(wallet, request.try_into().unwrap()).await {
//!     Ok(created) => println!("created: {:?}", created.transaction),
//!     // The docs: a timeout means the payout WAS created; look it up by order.
//!     Err(Error::OutcomeUnknown(unknown)) => {
//!         let transaction = client.transaction_by_order(wallet, &unknown.reference).await?;
//!         println!("reconciled: {:?}", transaction.status_transaction);
//!     }
//!     Err(error) => return Err(error),
//! }
//! # Ok(())
//! # }
//! ```

mod api_error;
pub mod callback;
mod client;
mod generated;
mod hooks;

pub use api_error::ApiError;
pub use client::{Client, ClientState};
pub use generated::types;
pub use payspec_core::transport::Limits;

/// The generated client: every operation as a builder (`api.get_balance().wallet_uuid(..)`).
pub type Api = generated::Client;

/// What the spec declares about repeating each operation.
pub use generated::policy;

/// The error of every call.
pub type Error = payspec_core::Error<ApiError>;
