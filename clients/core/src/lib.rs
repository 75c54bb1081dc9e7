//! payspec-core: the one runtime every payspec provider crate runs on.
//!
//! A provider crate is generated from its OpenAPI spec and wires each operation to this
//! crate; what is shared policy lives here, once:
//!
//! - [`client`]: the one [`ClientBuilder`] (environment, credentials, limits, clock,
//!   refresh margin, an optional caller-supplied `reqwest::Client`);
//! - [`auth`]: auth schemes picked per operation from the spec, and [`token`]: a token
//!   cache with one request in flight whose result every waiter shares;
//! - [`call`]: the one call path (authenticate, send, read under a cap, classify, type
//!   the error with the answer kept as [`Evidence`]);
//! - [`outcome`]: the one outcome table, the same for every provider: a money-moving
//!   call whose answer is lost or undocumented is [`Error::OutcomeUnknown`];
//! - [`transport`] and [`retry`]: no redirects, and repeats only where nothing can be
//!   sent twice;
//! - [`money`], [`secret`], [`redact`]: exact decimals, redacted secrets, masked digits;
//! - [`check`] and [`lenient`]: checks before sending, and what PHP-backed providers
//!   send (numbers as strings and strings as numbers).
//!
//! Every provider crate is used the same way:
//!
//! ```
//! # use payspec_core::{check::{Check, Path}, InvalidRequest, DecimalNumber};
//! // Amounts are exact: read from their text, written back in the declared shape.
//! let amount: DecimalNumber = "150.50".parse()?;
//! assert_eq!(serde_json::to_string(&amount)?, "150.50");
//! // A payment of nothing is refused before anything is sent.
//! let zero: DecimalNumber = "0".parse()?;
//! let refused = payspec_core::check::positive(Path::BODY.field("amount"), &zero).unwrap_err();
//! assert_eq!(refused.to_string(), "amount must be more than zero, not 0");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod auth;
pub mod call;
pub mod check;
pub mod client;
pub mod error;
pub mod evidence;
pub mod lenient;
pub mod money;
pub mod operation;
pub mod outcome;
pub mod redact;
pub mod retry;
pub mod secret;
mod text;
pub mod token;
pub mod transport;

pub use client::{BuildError, ClientBuilder, Environment, Provider, Runtime};
pub use error::{AuthError, Cause, Error, InvalidRequest, OutcomeUnknown, Reference, Undocumented};
pub use evidence::Evidence;
pub use money::{DecimalNumber, DecimalString};
pub use rust_decimal::Decimal;
pub use transport::Limits;
