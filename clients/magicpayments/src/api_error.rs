//! MagicPayments' documented errors, typed.

use std::collections::HashMap;
use std::fmt;

use payspec_core::error::FieldErrors;

use crate::types::{ErrorCode, ErrorDetail, ErrorResponse};

/// An error MagicPayments answered with (HTTP 4xx, `"status": "error"`): a code and
/// message (400) or per-field validation messages (422).
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError(pub ErrorResponse);

impl ApiError {
    /// The error code, when the provider sent one (400 errors).
    pub fn code(&self) -> Option<&ErrorCode> {
        self.0.code.as_ref()
    }

    /// The provider's message, when the error is not a validation failure.
    pub fn message(&self) -> Option<&str> {
        match &self.0.error {
            ErrorDetail::String(message) => Some(message),
            ErrorDetail::Object(_) => None,
        }
    }

    /// Field -> messages, when the request failed validation (422).
    pub fn field_errors(&self) -> Option<&HashMap<String, Vec<String>>> {
        match &self.0.error {
            ErrorDetail::Object(fields) => Some(fields),
            ErrorDetail::String(_) => None,
        }
    }
}

impl ErrorCode {
    /// What the code means, in English.
    pub fn meaning(&self) -> &str {
        match self {
            Self::RecurrentNotSupported => "this channel does not support recurring payments",
            Self::AccessDenied => "access denied",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = self.code() {
            write!(f, "{code} ({}): ", code.meaning())?;
        }
        match &self.0.error {
            ErrorDetail::String(message) => f.write_str(message),
            ErrorDetail::Object(fields) => write!(f, "{}", FieldErrors(fields)),
        }
    }
}

impl From<ErrorResponse> for ApiError {
    fn from(response: ErrorResponse) -> Self {
        Self(response)
    }
}
