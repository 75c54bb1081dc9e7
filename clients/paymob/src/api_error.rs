//! Paymob's documented errors, typed: the token endpoint's OAuth2 error, a failed
//! disbursement, and the docs' general HTTP statuses.

use std::collections::HashMap;
use std::fmt;

use http::StatusCode;
use payspec_core::error::FieldErrors;

use crate::types::{
    DisbursementResponse, DisbursementResponseStatusCode, DisbursementStatusDescription,
    TokenErrorResponse, TokenErrorResponseError,
};

/// An answer in which Paymob refused a request.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The token endpoint refused to issue a token (`{error, error_description}`, e.g.
    /// `invalid_grant` for wrong credentials).
    Token(TokenErrorResponse),
    /// The disbursement was not made: the body says `disbursement_status: failed`
    /// (whatever the HTTP status, 200 included), or came with a 4xx status.
    Disbursement(DisbursementResponse),
    /// An HTTP error status without a documented error body (the docs' "General
    /// Responses").
    Http(HttpFailure),
}

impl ApiError {
    /// The disbursement's `status_code`, when this is a failed disbursement.
    pub fn disbursement_code(&self) -> Option<&DisbursementResponseStatusCode> {
        match self {
            Self::Disbursement(response) => Some(&response.status_code),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token(refused) => {
                write!(f, "token request refused: {}", refused.error)?;
                if let Some(description) = &refused.error_description {
                    write!(f, " ({description})")?;
                }
                Ok(())
            }
            Self::Disbursement(failed) => write!(
                f,
                "disbursement {} with status_code {} ({}): {}",
                failed.disbursement_status,
                failed.status_code,
                failed.status_code.meaning(),
                failed.status_description,
            ),
            Self::Http(failure) => f.write_str(failure.meaning()),
        }
    }
}

impl From<TokenErrorResponse> for ApiError {
    fn from(refused: TokenErrorResponse) -> Self {
        Self::Token(refused)
    }
}

impl From<DisbursementResponse> for ApiError {
    fn from(failed: DisbursementResponse) -> Self {
        Self::Disbursement(failed)
    }
}

impl DisbursementResponseStatusCode {
    /// What the code means, per the docs.
    pub fn meaning(&self) -> &'static str {
        match self {
            Self::X200 => "the disbursement succeeded",
            Self::X400 => "the request parameters did not pass validation",
            Self::X401 => "the access token is missing, invalid or expired",
            Self::X618 => "the recipient is not eligible for Vodafone Cash services",
            Self::X6061 => "the amount exceeds the merchant's budget limit",
            Self::Other(_) => "a code the docs do not list",
        }
    }
}

impl DisbursementStatusDescription {
    /// The provider's message (any language, kept as sent), unless this is a
    /// validation failure.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::String(message) => Some(message),
            Self::Object(_) => None,
        }
    }

    /// Field -> messages, when the request failed validation (`status_code` "400").
    pub fn field_errors(&self) -> Option<&HashMap<String, Vec<String>>> {
        match self {
            Self::Object(fields) => Some(fields),
            Self::String(_) => None,
        }
    }
}

impl fmt::Display for DisbursementStatusDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(message) => f.write_str(message),
            Self::Object(fields) => write!(f, "{}", FieldErrors(fields)),
        }
    }
}

impl TokenErrorResponseError {
    /// What the OAuth2 error code means.
    pub fn meaning(&self) -> &'static str {
        match self {
            Self::InvalidGrant => {
                "invalid credentials, or the grant's parameters were not passed properly"
            }
            Self::Other(_) => "an OAuth2 error code the docs do not list",
        }
    }
}

/// The docs' general HTTP statuses, for an error answer whose body is not one of the
/// documented error bodies (an empty body, an HTML page, a framework's `{"detail": ..}`).
/// The docs give only the reason phrases; the hints are HTTP's own semantics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpFailure {
    /// 400 Bad Request.
    BadRequest,
    /// 401 Unauthorized: the credentials or the token were not accepted.
    Unauthorized,
    /// 403 Forbidden: the credentials do not allow this.
    Forbidden,
    /// 404 Not Found: usually a wrong base URL.
    NotFound,
    /// 405 Method Not Allowed.
    MethodNotAllowed,
    /// 408 Request Timeout: the server gave up waiting for the request.
    RequestTimeout,
    /// 429 Too Many Requests: slow down before repeating.
    TooManyRequests,
    /// 50X Server Error.
    ServerError(StatusCode),
    /// An error status the docs do not list.
    Undocumented(StatusCode),
}

impl HttpFailure {
    /// The failure an HTTP status stands for.
    pub fn of(status: StatusCode) -> Self {
        match status {
            StatusCode::BAD_REQUEST => Self::BadRequest,
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::FORBIDDEN => Self::Forbidden,
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => Self::RequestTimeout,
            StatusCode::TOO_MANY_REQUESTS => Self::TooManyRequests,
            status if status.is_server_error() => Self::ServerError(status),
            status => Self::Undocumented(status),
        }
    }

    /// What the status means, in English.
    pub fn meaning(&self) -> &'static str {
        match self {
            Self::BadRequest => "bad request",
            Self::Unauthorized => "unauthorized: the credentials or the token were not accepted",
            Self::Forbidden => "forbidden: the credentials do not allow this request",
            Self::NotFound => "not found: check the environment's base URL",
            Self::MethodNotAllowed => "method not allowed",
            Self::RequestTimeout => "request timeout: the server gave up waiting for the request",
            Self::TooManyRequests => "too many requests: slow down before repeating",
            Self::ServerError(_) => "server error",
            Self::Undocumented(_) => "an HTTP status the docs do not list",
        }
    }
}
