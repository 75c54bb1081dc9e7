//! payspec-core: what every payspec provider crate shares.
//!
//! - [`money`]: exact decimals that read JSON strings and numbers without `f64` and
//!   write the wire shape the spec declares;
//! - [`secret`]: card numbers, CVVs, passwords, keys and tokens that print redacted and
//!   serialize in full;
//! - [`token`]: a cache that obtains and refreshes an access token once for many callers;
//! - [`retry`]: which requests may be repeated, and the backoff;
//! - [`transport`]: what every request goes through (auth header, body size cap, the
//!   raw body of error responses);
//! - [`error`]: the error every provider call returns, with HTTP status and raw body.
//!
//! Provider crates use these types in their generated code (the generator maps spec
//! formats such as `format: decimal` and `format: card-number` to them).

pub mod error;
pub mod money;
pub mod retry;
pub mod secret;
pub mod token;
pub mod transport;

pub use error::{Error, OutcomeUnknown};
pub use money::{DecimalNumber, DecimalString};
pub use rust_decimal::Decimal;
