//! The errors MediaCube answers with, typed.

use std::fmt;
use std::future::Future;

use payspec_core::transport;
use progenitor_client::ResponseValue;

use uuid::Uuid;

use crate::types::{OAuthErrorResponse, PaymentErrorData, PaymentErrorResponse};
use crate::{BatchStatus, Error, ErrorCode};

/// An error MediaCube answered with.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// A payment batch was refused: `data.status` 3 with an error code in `err_msg`
    /// (under HTTP 200 or 4xx), or a 4xx from a payment endpoint.
    Payment(PaymentError),
    /// The token endpoint refused the request (wrong credentials, a used code).
    Token(OAuthErrorResponse),
}

impl ApiError {
    /// The batch error code, when MediaCube sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Payment(error) => error.code(),
            Self::Token(_) => None,
        }
    }
}

/// A refused payment batch: the response's `data`, every field optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaymentError {
    /// The response's `data` (empty when the body had none, e.g. a bare 401).
    pub data: PaymentErrorData,
}

impl PaymentError {
    /// The error code from `err_msg`.
    pub fn code(&self) -> Option<ErrorCode> {
        self.data.err_msg.map(ErrorCode::from)
    }

    /// `data.status`, normally [`BatchStatus::Error`].
    pub fn status(&self) -> Option<BatchStatus> {
        self.data.status.map(BatchStatus::from)
    }

    /// The `request_id` MediaCube echoed.
    pub fn request_id(&self) -> Option<Uuid> {
        self.data.request_id
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Payment(error) => match (error.code(), error.status()) {
                (Some(code), _) => write!(f, "error {code}"),
                (None, Some(status)) => write!(f, "status {status} without an error code"),
                (None, None) => f.write_str("no MediaCube error envelope in the body"),
            },
            Self::Token(error) => {
                let parts = [
                    &error.error,
                    &error.error_description,
                    &error.message,
                    &error.hint,
                ];
                let parts: Vec<&str> = parts.into_iter().flatten().map(String::as_str).collect();
                if parts.is_empty() {
                    f.write_str("token request refused")
                } else {
                    write!(f, "token request refused: {}", parts.join(": "))
                }
            }
        }
    }
}

impl From<PaymentErrorData> for ApiError {
    fn from(data: PaymentErrorData) -> Self {
        Self::Payment(PaymentError { data })
    }
}

impl From<PaymentErrorResponse> for ApiError {
    fn from(response: PaymentErrorResponse) -> Self {
        Self::from(response.data.unwrap_or_default())
    }
}

impl From<OAuthErrorResponse> for ApiError {
    fn from(response: OAuthErrorResponse) -> Self {
        Self::Token(response)
    }
}

type Generated<T, E> = Result<ResponseValue<T>, progenitor_client::Error<E>>;

/// Awaits a generated request and types its error, keeping the raw error body.
pub(crate) async fn call<T, E>(request: impl Future<Output = Generated<T, E>>) -> Result<T, Error>
where
    ApiError: From<E>,
{
    let (result, evidence) = transport::with_evidence(request).await;
    result
        .map(ResponseValue::into_inner)
        .map_err(|error| Error::from_generated(error, evidence, ApiError::from))
}
