//! Awaiting a generated call and typing its error. Billon does not document the HTTP
//! status of its errors, so a body with the documented error shape is the provider's
//! error whatever the status.

use std::future::Future;

use http::StatusCode;
use progenitor_client::ResponseValue;

use crate::types::ErrorResponse;
use crate::{ApiError, Error};

/// What a generated operation returns.
pub(crate) type Generated<T> = Result<ResponseValue<T>, progenitor_client::Error<ErrorResponse>>;

/// Awaits `request` and types its error, keeping the raw body.
pub(crate) async fn typed<T>(request: impl Future<Output = Generated<T>>) -> Result<T, Error> {
    let (result, evidence) = payspec_core::transport::with_evidence(request).await;
    result
        .map(ResponseValue::into_inner)
        .map_err(|error| error_body_decides(Error::from_generated(error, evidence, ApiError::from)))
}

/// Turns a response the spec did not expect into [`Error::Api`] when its body is the
/// documented error: under a success status (the body did not parse as the success
/// type) or an undeclared status (e.g. 5xx).
fn error_body_decides(error: Error) -> Error {
    let status = match &error {
        // The generated code parses a body as the success type only under 200, and the
        // transport keeps no evidence (so no status) for success statuses.
        Error::InvalidResponse { status: None, .. } => StatusCode::OK,
        Error::UnexpectedStatus { status, .. } => *status,
        _ => return error,
    };
    let Some(body) = error.body() else {
        return error;
    };
    match serde_json::from_slice::<ErrorResponse>(body) {
        Ok(response) => Error::Api {
            status,
            error: ApiError(response),
            body: body.clone(),
        },
        Err(_) => error,
    }
}
