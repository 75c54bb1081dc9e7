//! payspec-mock: every payspec provider, served on a loopback port from its OpenAPI spec,
//! so a payout integration can be tried and tested with no provider account.
//!
//! The mock reads the spec each provider crate carries (`SPEC_JSON`) and, for every
//! operation in it:
//!
//! - **routes** the request by the spec's paths and methods, and **validates** its
//!   parameters and body against the spec's schemas; a bad
//!   request gets the operation's documented error (its `4XX` example) with a clear
//!   message where the error schema has one (and always in the `x-payspec-mock-problem`
//!   header);
//! - runs the provider's **auth flow** as the spec declares it (`securitySchemes`,
//!   `security`, `x-payspec-token-endpoint`, `x-payspec-credential-rejected`): token
//!   endpoints issue tokens with the lifetime you choose ([`MockServer::set_token_lifetime`]);
//!   a missing, wrong or expired credential gets the rejection the scheme declares;
//! - answers from the spec's **documented examples**, with the **state** that matters
//!   kept: a created payout is found again by its reference, a cancel changes a
//!   payout's status, a balance moves (see [`MockServer::state`]);
//! - plays **scenarios** on the next money-moving call ([`Scenario`]): a documented
//!   error, a processed request whose answer is lost, an undocumented 5xx, a slow
//!   answer, a redirect.
//!
//! ```no_run
//! use payspec_mock::{MockServer, Provider, Scenario};
//! use payspec_magicpayments::{types, AccessToken, Client, Environment, Error};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockServer::start(Provider::MagicPayments).await?;
//! let client = Client::builder(Environment::Custom(mock.base_url().parse()?), AccessToken::new(mock.credential("token")))
//!     .build()?;
//! let wallet = Provider::MagicPayments.example_wallet().parse()?;
//! let request: types::WithdrawalRequest =
//!     serde_json::from_value(serde_json::json!({"amount": 150.00, "card": "4111111111111111", "order": "payout-1"}))?;
//!
//! mock.next(Scenario::LoseAnswer); // processed, then the connection is dropped
//! match client.create_withdrawal(&wallet, &request).await {
//!     Err(Error::OutcomeUnknown(unknown)) => {
//!         let order = unknown.reference.get("order").unwrap_or_default().parse()?;
//!         let lookup = types::TransactionReference { order: Some(order), transaction: None };
//!         println!("it was created: {}", client.get_status(&wallet, &lookup).await?.status_transaction);
//!     }
//!     other => panic!("expected an unknown outcome, got {other:?}"),
//! }
//! assert_eq!(mock.requests().len(), 2);
//! # Ok(()) }
//! ```
//!
//! Run it on its own with the `payspec-mock` binary: `payspec-mock magicpayments
//! --port 8080` prints the base URL and the credentials it accepts, and serves on
//! 127.0.0.1 until Ctrl-C.

mod auth;
mod scenario;
mod server;
mod spec;
mod state;

use std::fmt;
use std::str::FromStr;

pub use scenario::Scenario;
pub use server::{MockServer, Received};
pub use state::Record;

/// A provider the mock can serve: each of payspec's provider crates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// MagicPayments (`payspec-magicpayments`): a static bearer token, wallets, withdrawals.
    MagicPayments,
    /// MediaCube (`payspec-mediacube`): the `partner` grant, payout batches.
    MediaCube,
    /// Paymob Instant Payout (`payspec-paymob`): password and refresh grants, disbursements.
    Paymob,
    /// Billon payout panel (`payspec-billon`): an API key for a token, payouts and cancels.
    Billon,
}

impl Provider {
    /// Every provider, in the order the README lists them.
    pub const ALL: [Provider; 4] = [Self::MagicPayments, Self::MediaCube, Self::Paymob, Self::Billon];

    /// The provider's name, as in `specs/<name>.yaml` (`"magicpayments"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::MagicPayments => "magicpayments",
            Self::MediaCube => "mediacube",
            Self::Paymob => "paymob",
            Self::Billon => "billon",
        }
    }

    /// The spec the provider's crate was generated from, as JSON.
    pub fn spec_json(self) -> &'static str {
        match self {
            Self::MagicPayments => payspec_magicpayments::SPEC_JSON,
            Self::MediaCube => payspec_mediacube::SPEC_JSON,
            Self::Paymob => payspec_paymob::SPEC_JSON,
            Self::Billon => payspec_billon::SPEC_JSON,
        }
    }

    /// The credentials the mock accepts, as `(name, value)`: `token` (MagicPayments),
    /// `client_id` and `client_secret` (MediaCube), `client_id`, `client_secret`,
    /// `username` and `password` (Paymob), `api_key` (Billon).
    pub fn credentials(self) -> &'static [(&'static str, &'static str)] {
        auth::credentials(self)
    }

    /// The environment variables the `payspec` CLI reads these credentials from, with
    /// the mock's values (`PAYSPEC_MAGICPAYMENTS_TOKEN`, ...).
    pub fn credential_variables(self) -> Vec<(String, &'static str)> {
        self.credentials()
            .iter()
            .map(|(name, value)| (format!("PAYSPEC_{}_{}", self.name().to_uppercase(), name.to_uppercase()), *value))
            .collect()
    }

    /// A MagicPayments wallet the mock knows (the spec's example `wallet_uuid`); every
    /// wallet of the spec's examples is known, see [`MockServer::state`].
    pub fn example_wallet(self) -> &'static str {
        state::EXAMPLE_WALLET
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A provider name that is not one of [`Provider::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Provider::ALL.iter().map(|provider| provider.name()).collect();
        write!(f, "no provider named {:?} (one of: {})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;

    /// The provider named `text` (`"magicpayments"`, case-insensitive).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|provider| provider.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownProvider(text.to_string()))
    }
}

/// The README's example, compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
