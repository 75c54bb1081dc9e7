//! Payment batches: the request a caller builds, the `request_id` that names it, and
//! what comes back.

use std::fmt;

use uuid::Uuid;

use crate::types::{
    PaymentBatchRequest, PaymentBatchResponse, PaymentErrorData, PaymentItem, PaymentResult,
    RegionalPaymentBatchResponse, RegionalPaymentResult,
};
use crate::{ApiError, Error, ErrorCode};

/// A batch of payments and the `request_id` that identifies it.
///
/// The `request_id` is fixed when the batch is built, so it can be stored before the
/// batch is sent; it comes back with the result or the error, and it is the reference
/// to reconcile a batch whose answer was lost.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentBatch {
    request_id: Uuid,
    payments: Vec<PaymentItem>,
}

impl PaymentBatch {
    /// A batch named by a new random (v4) `request_id`.
    pub fn new(payments: Vec<PaymentItem>) -> Self {
        Self::with_request_id(Uuid::new_v4(), payments)
    }

    /// A batch named by the caller's `request_id`.
    pub fn with_request_id(request_id: Uuid, payments: Vec<PaymentItem>) -> Self {
        Self {
            request_id,
            payments,
        }
    }

    /// The `request_id` sent with the batch.
    pub fn request_id(&self) -> Uuid {
        self.request_id
    }

    /// The payments in the batch.
    pub fn payments(&self) -> &[PaymentItem] {
        &self.payments
    }

    /// The request body; an empty batch is refused before anything is sent.
    pub(crate) fn into_request(self) -> Result<PaymentBatchRequest, Error> {
        if self.payments.is_empty() {
            return Err(Error::InvalidRequest(
                "a payment batch needs at least one payment".to_string(),
            ));
        }
        Ok(PaymentBatchRequest {
            request_id: self.request_id,
            data: self.payments,
        })
    }
}

/// `data.status` of a batch response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BatchStatus {
    /// 2: the batch was processed.
    Success,
    /// 3: the batch was refused; `err_msg` has the [`ErrorCode`].
    Error,
    /// A status the docs do not list.
    Other(i64),
}

impl From<i64> for BatchStatus {
    fn from(status: i64) -> Self {
        match status {
            2 => Self::Success,
            3 => Self::Error,
            other => Self::Other(other),
        }
    }
}

impl From<BatchStatus> for i64 {
    fn from(status: BatchStatus) -> Self {
        match status {
            BatchStatus::Success => 2,
            BatchStatus::Error => 3,
            BatchStatus::Other(status) => status,
        }
    }
}

impl fmt::Display for BatchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Success => f.write_str("2 (success)"),
            Self::Error => f.write_str("3 (error)"),
            Self::Other(status) => write!(f, "{status} (undocumented)"),
        }
    }
}

/// A batch MediaCube processed (`data.status` 2).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchAccepted<R> {
    /// The `request_id` the batch was sent with.
    pub request_id: Uuid,
    /// The response's `data`: the transactions created.
    pub result: R,
}

/// A batch that failed, or whose outcome is unknown, with the `request_id` it was sent
/// with (the reference to reconcile it by).
#[derive(Debug, thiserror::Error)]
#[error("payment batch {request_id}: {error}")]
pub struct BatchError {
    /// The `request_id` the batch was sent with.
    pub request_id: Uuid,
    /// What went wrong.
    #[source]
    pub error: Error,
}

impl BatchError {
    /// MediaCube's error code, when it refused the batch with one.
    pub fn code(&self) -> Option<ErrorCode> {
        match &self.error {
            Error::Api { error, .. } => error.code(),
            _ => None,
        }
    }
}

/// What the client needs from the payout/debit and the regional response envelopes.
pub(crate) trait BatchResponse: serde::Serialize {
    /// The envelope's `data`.
    type Result;

    fn status(&self) -> BatchStatus;

    fn into_result(self) -> Self::Result;

    /// The `data` of a refused batch, as the error envelope every endpoint shares.
    fn into_error_data(self) -> PaymentErrorData;
}

impl BatchResponse for PaymentBatchResponse {
    type Result = PaymentResult;

    fn status(&self) -> BatchStatus {
        self.data.status.into()
    }

    fn into_result(self) -> PaymentResult {
        self.data
    }

    fn into_error_data(self) -> PaymentErrorData {
        let PaymentResult {
            err_msg,
            request_id,
            status,
            transactions,
        } = self.data;
        PaymentErrorData {
            company: Vec::new(),
            err_msg,
            oauth_client: Vec::new(),
            request_id,
            status: Some(status),
            transactions,
        }
    }
}

impl BatchResponse for RegionalPaymentBatchResponse {
    type Result = RegionalPaymentResult;

    fn status(&self) -> BatchStatus {
        self.data.status.into()
    }

    fn into_result(self) -> RegionalPaymentResult {
        self.data
    }

    fn into_error_data(self) -> PaymentErrorData {
        let RegionalPaymentResult {
            company,
            err_msg,
            oauth_client,
            request_id,
            status,
            transactions,
        } = self.data;
        PaymentErrorData {
            company,
            err_msg,
            oauth_client,
            request_id,
            status: Some(status),
            transactions,
        }
    }
}

/// A refused batch (status 3 under HTTP 200) as the API error it is.
pub(crate) fn refused<R: BatchResponse>(response: R) -> Error {
    // The transport keeps the raw bytes of non-success responses only, so the evidence
    // of a 200 is the parsed body written back as JSON (fields the spec does not
    // describe are not in it).
    let body = serde_json::to_vec(&response).unwrap_or_default().into();
    Error::Api {
        status: http::StatusCode::OK,
        error: ApiError::from(response.into_error_data()),
        body,
    }
}
