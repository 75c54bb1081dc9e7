//! Awaiting a generated request and typing its error, the same way for every operation.

use std::future::Future;

use payspec_core::transport;
use progenitor_client::ResponseValue;

use crate::{ApiError, Error, HttpFailure};

type Generated<T, E> = Result<ResponseValue<T>, progenitor_client::Error<E>>;

/// Awaits `request`, keeping the raw body of an error answer; `api` types the
/// operation's documented error body.
pub(crate) async fn send<T, E>(
    request: impl Future<Output = Generated<T, E>>,
    api: impl FnOnce(E) -> ApiError,
) -> Result<T, Error> {
    let (result, evidence) = transport::with_evidence(request).await;
    result
        .map(ResponseValue::into_inner)
        .map_err(|error| general_response(Error::from_generated(error, evidence, api)))
}

/// An error status whose body is not a documented error body (none at all, HTML, a
/// framework's own JSON) is still one of the docs' general responses: it becomes
/// [`ApiError::Http`], with the status and raw body kept.
fn general_response(error: Error) -> Error {
    match error {
        Error::UnexpectedStatus { status, body }
        | Error::InvalidResponse {
            status: Some(status),
            body,
            ..
        } if status.is_client_error() || status.is_server_error() => Error::Api {
            status,
            error: ApiError::Http(HttpFailure::of(status)),
            body,
        },
        other => other,
    }
}
