//! Billon's documented errors, typed.

use std::fmt;

use crate::types::{ErrorResponse, ErrorType};

/// An error Billon answered with: `{"error": {"message", "type"}, "errors": []}`.
///
/// The docs give no HTTP status for errors, so the body decides: this is reported under
/// any status, `200` included (see [`crate::Error::Api`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError(pub ErrorResponse);

impl ApiError {
    /// The documented error type (an undocumented one is kept as [`ErrorType::Other`]).
    pub fn error_type(&self) -> &ErrorType {
        &self.0.error.type_
    }

    /// The provider's description of the error.
    pub fn message(&self) -> &str {
        &self.0.error.message
    }

    /// Whether the panel's account lacks the funds for the payout.
    pub fn is_insufficient_funds(&self) -> bool {
        self.error_type() == &ErrorType::InsufficientFunds
    }
}

impl ErrorType {
    /// What the type means, per the docs.
    pub fn meaning(&self) -> &str {
        match self {
            Self::InvalidParams => "a required parameter is empty or a value is invalid",
            Self::InsufficientFunds => {
                "the panel's account does not have enough funds for the payout"
            }
            Self::Other(_) => "an error type the docs do not list",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.error_type();
        write!(f, "{kind} ({}): {}", kind.meaning(), self.message())
    }
}

impl From<ErrorResponse> for ApiError {
    fn from(response: ErrorResponse) -> Self {
        Self(response)
    }
}
