//! Typed client for the MagicPayments wallet API: invoices, withdrawals (payouts),
//! refunds, chargebacks, disputes, balances and history.
//!
//! Every operation of `specs/magicpayments.yaml` is a method of [`Client`] returning
//! `Result<T, Error>`; the types are in [`types`]. The runtime is payspec-core's, the
//! same for every payspec provider: the bearer token on every request, no redirects,
//! repeats only where nothing can be paid twice, and one outcome table (a withdrawal
//! whose answer is lost or undocumented is [`Error::OutcomeUnknown`], with its `order`).
//! What OpenAPI cannot say is in [`rules`]: parsing MagicPayments' callbacks.
//!
//! ```no_run
//! use payspec_magicpayments::{types, AccessToken, Client, Environment, Error, Uuid};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let host = std::env::var("MAGICPAYMENTS_URL")?.parse()?; // e.g. a payspec-mock
//! let client = Client::builder(Environment::Custom(host), AccessToken::new("<token>")).build()?;
//! let wallet: Uuid = "75e9a565-6b36-3b67-9ed1-2050314314f9".parse()?;
//!
//! let balance = client.get_balance(&wallet).await?;
//! println!("{} {}", balance.balance, balance.currency); // "800.00 RUB": the scale is kept
//!
//! let request = types::WithdrawalRequest {
//!     amount: "150.00".parse()?,
//!     card: Some("4111111111111111".into()),
//!     order: "payout-42".parse()?, // required: it is how a lost answer is found again
//!     payout_address: None,
//!     calculate: None,
//!     tag: None,
//!     callback_url: None,
//!     callback_method: None,
//!     addition_data: None,
//! };
//! match client.create_withdrawal(&wallet, &request).await {
//!     Ok(created) => println!("created: {:?}", created.transaction),
//!     // The docs: a timed-out withdrawal WAS created; look it up by order.
//!     Err(Error::OutcomeUnknown(unknown)) => {
//!         let order = unknown.reference.get("order").unwrap_or_default();
//!         let lookup = types::TransactionReference { order: Some(order.parse()?), transaction: None };
//!         let transaction = client.get_status(&wallet, &lookup).await?;
//!         println!("reconciled: {}", transaction.status_transaction);
//!     }
//!     Err(Error::Api { error, .. }) => println!("refused: {error}"),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```

mod generated;
pub mod rules;

pub use generated::{operations, types, ApiError, Client, Environment, Error, Provider, SPEC_JSON};
pub use payspec_core::secret::AccessToken;
pub use payspec_core::{self, Decimal, DecimalNumber, DecimalString, Limits, OutcomeUnknown, Reference};
pub use uuid::Uuid;

/// What a MagicPayments client authenticates with: the merchant's access token.
pub type Credentials = AccessToken;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
