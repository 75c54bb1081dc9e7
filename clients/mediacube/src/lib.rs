//! Typed client for the MediaCube partner payments API.
//!
//! The request and response types are generated from `specs/mediacube.yaml`
//! ([`types`]). This crate adds what OpenAPI cannot say: the payment token (obtained
//! with the `partner` grant, cached, refreshed, and renewed once on a 401), the batch
//! `data.status` turned into a result (status 3 is an error with its [`ErrorCode`]),
//! the batch `request_id` kept with every result and error so a batch whose answer was
//! lost can be reconciled, the OAuth authorization URL, and invoice URLs.
//!
//! ```no_run
//! use payspec_mediacube::{types::PaymentItem, Client, Credentials, PaymentBatch, STAGE_BASE_URL};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(STAGE_BASE_URL, Credentials::new(1, "<secret>"))?;
//! let batch = PaymentBatch::new(vec![PaymentItem {
//!     amount: "10.0000000001".parse()?,
//!     wallet: "1111222233334444".into(),
//!     description: "Test payment 1".to_string(),
//! }]);
//! // Store batch.request_id() before sending: it is how this batch is found again.
//! match client.create_payout(batch).await {
//!     Ok(accepted) => println!("{} transactions", accepted.result.transactions.len()),
//!     Err(failed) => println!("batch {} failed: {} ({:?})", failed.request_id, failed.error, failed.code()),
//! }
//! # Ok(())
//! # }
//! ```

mod api_error;
mod auth;
mod batch;
mod client;
mod error_code;
mod generated;
mod hooks;
mod oauth;
mod urls;

pub use api_error::{ApiError, PaymentError};
pub use auth::{ClientState, Credentials};
pub use batch::{BatchAccepted, BatchError, BatchStatus, PaymentBatch};
pub use client::{Client, ClientBuilder, UndescribedStatus, STAGE_BASE_URL};
pub use error_code::ErrorCode;
pub use generated::types;
pub use oauth::{AuthorizationRequest, Scope};
pub use urls::InvalidUrl;
pub use payspec_core::transport::Limits;

/// The generated client: every operation as a builder. Its payment operations return
/// a batch with `data.status` 3 as a success; prefer the methods of [`Client`].
pub type Api = generated::Client;

/// What the spec declares about repeating each operation.
pub use generated::policy;

/// The error of every call.
pub type Error = payspec_core::Error<ApiError>;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
