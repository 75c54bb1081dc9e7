//! What OpenAPI cannot say about MagicPayments: its callbacks.
//!
//! When a transaction changes status MagicPayments calls the `callback_url` given when
//! it was created, as `callback_method` says: POST with the transaction as a JSON body,
//! or GET with `transaction` (UUID) and `order` query parameters. The docs describe no
//! signature, so treat a callback as a hint and confirm with `get_status`.

use serde::Deserialize;
use uuid::Uuid;

use crate::types::Transaction;

/// A parsed callback.
#[derive(Clone, Debug, PartialEq)]
pub enum Callback {
    /// A POST callback: the transaction as it now is.
    Transaction(Box<Transaction>),
    /// A GET callback: which transaction changed; fetch it with `get_status`.
    Reference {
        /// UUID of the transaction.
        transaction: Uuid,
        /// The merchant's order, if the transaction has one.
        order: Option<String>,
    },
}

/// A request that is not a MagicPayments callback. Its `Debug` and `Display` mask
/// card-number-like digits (the request may echo anything).
#[derive(thiserror::Error)]
pub enum CallbackError {
    /// A POST body that is not a transaction.
    #[error("callback body is not a transaction: {}", payspec_core::redact::Masked(.0))]
    Body(#[from] serde_json::Error),
    /// A GET query without a valid `transaction`.
    #[error("callback query is not valid: {}", payspec_core::redact::Masked(.0))]
    Query(#[from] serde_urlencoded::de::Error),
    /// Neither GET nor POST.
    #[error("callbacks are GET or POST, not {0}")]
    Method(http::Method),
}

impl std::fmt::Debug for CallbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CallbackError({})", payspec_core::redact::Masked(self))
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    transaction: Uuid,
    order: Option<String>,
}

impl Callback {
    /// Parses a callback request from its method, query string and body.
    pub fn parse(method: &http::Method, query: Option<&str>, body: &[u8]) -> Result<Self, CallbackError> {
        match *method {
            http::Method::POST => Self::from_body(body),
            http::Method::GET => Self::from_query(query.unwrap_or_default()),
            _ => Err(CallbackError::Method(method.clone())),
        }
    }

    /// Parses a POST callback's JSON body.
    pub fn from_body(body: &[u8]) -> Result<Self, CallbackError> {
        Ok(Self::Transaction(Box::new(serde_json::from_slice(body)?)))
    }

    /// Parses a GET callback's query string (`transaction=<uuid>&order=<order>`).
    pub fn from_query(query: &str) -> Result<Self, CallbackError> {
        let query: CallbackQuery = serde_urlencoded::from_str(query.trim_start_matches('?'))?;
        Ok(Self::Reference {
            transaction: query.transaction,
            order: query.order.filter(|order| !order.is_empty()),
        })
    }

    /// UUID of the transaction the callback is about.
    pub fn transaction_id(&self) -> Uuid {
        match self {
            Self::Transaction(transaction) => transaction.uuid,
            Self::Reference { transaction, .. } => *transaction,
        }
    }

    /// The merchant's order, when the callback carries it.
    pub fn order(&self) -> Option<&str> {
        match self {
            Self::Transaction(transaction) => transaction.order.as_deref(),
            Self::Reference { order, .. } => order.as_deref(),
        }
    }
}
