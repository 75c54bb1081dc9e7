//! The error every provider call returns.
//!
//! Every variant that comes from a response keeps its HTTP status and the raw body as
//! evidence. A request that moves money and may have reached the provider without an
//! answer coming back is never reported as a plain failure: it is
//! [`Error::OutcomeUnknown`], with the reference to reconcile it by.

use std::fmt;

use bytes::Bytes;
use http::StatusCode;

use crate::transport::{BodyTooLarge, ErrorEvidence};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The error of a provider call; `A` is the provider's typed API error.
#[derive(Debug, thiserror::Error)]
pub enum Error<A: fmt::Debug + fmt::Display> {
    /// The request was refused before anything was sent.
    #[error("invalid request, nothing was sent: {0}")]
    InvalidRequest(String),
    /// The provider answered with one of its documented errors.
    #[error("the provider rejected the request (HTTP {status}): {error}")]
    Api {
        /// HTTP status.
        status: StatusCode,
        /// The provider's error, typed.
        error: A,
        /// The body exactly as received.
        body: Bytes,
    },
    /// A response the spec does not describe, e.g. an HTML error page from a proxy.
    #[error("unexpected HTTP status {status}")]
    UnexpectedStatus {
        /// HTTP status.
        status: StatusCode,
        /// The body exactly as received (empty if it could not be read).
        body: Bytes,
    },
    /// A response whose body is not what the spec says (malformed JSON, wrong shape).
    #[error("the response body does not match the spec: {source}")]
    InvalidResponse {
        /// HTTP status, when known.
        status: Option<StatusCode>,
        /// The body exactly as received.
        body: Bytes,
        /// Why it did not parse.
        source: serde_json::Error,
    },
    /// The response body exceeded the client's limit.
    #[error(transparent)]
    BodyTooLarge(BodyTooLarge),
    /// No usable response: connection refused, reset or timed out. For requests that
    /// move money this is [`Error::OutcomeUnknown`] unless the request provably never
    /// left (the connection was not established).
    #[error("the request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// A request that moves money may have been processed, but its result is unknown.
    #[error("{0}")]
    OutcomeUnknown(Box<OutcomeUnknown>),
    /// No access token could be obtained.
    #[error("authentication failed: {0}")]
    Auth(String),
}

/// A money-moving request whose result is unknown, and how to find it out.
#[derive(Debug, thiserror::Error)]
#[error("outcome of {operation} {reference} is unknown: {reconcile} (cause: {cause})")]
pub struct OutcomeUnknown {
    /// The operation (its spec `operationId`).
    pub operation: &'static str,
    /// The reference to reconcile by (an order id, a request id).
    pub reference: String,
    /// What to do, per the provider's docs.
    pub reconcile: &'static str,
    /// What went wrong.
    #[source]
    pub cause: BoxError,
}

impl<A: fmt::Debug + fmt::Display> Error<A> {
    /// Converts what a generated call returned, with the evidence
    /// [`crate::transport::with_evidence`] kept; `api` types the provider's error body.
    pub fn from_generated<E>(
        error: progenitor_client::Error<E>,
        evidence: Option<ErrorEvidence>,
        api: impl FnOnce(E) -> A,
    ) -> Self {
        use progenitor_client::Error as Generated;
        let body = || evidence.as_ref().map(|e| e.body.clone()).unwrap_or_default();
        match error {
            Generated::InvalidRequest(message) => Self::InvalidRequest(message),
            // An error body over the cap fails while the transport reads it, so it
            // arrives as a communication error.
            Generated::CommunicationError(source)
            | Generated::InvalidUpgrade(source)
            | Generated::ResponseBodyError(source) => match body_too_large(&source) {
                Some(too_large) => Self::BodyTooLarge(too_large),
                None => Self::Transport(source),
            },
            Generated::ErrorResponse(response) => Self::Api {
                status: response.status(),
                body: body(),
                error: api(response.into_inner()),
            },
            Generated::InvalidResponsePayload(raw, source) => Self::InvalidResponse {
                status: evidence.as_ref().map(|e| e.status),
                body: raw,
                source,
            },
            Generated::UnexpectedResponse(response) => Self::UnexpectedStatus {
                status: response.status(),
                body: body(),
            },
            Generated::Custom(message) => Self::Auth(message),
        }
    }

    /// For a request that moves money: turns every failure after which the provider
    /// may have processed it into [`Error::OutcomeUnknown`]. Failures that prove
    /// nothing happened (refused before sending, connection never established, a
    /// documented error answer) stay as they are.
    pub fn outcome_unknown_unless_refused(
        self,
        operation: &'static str,
        reference: impl Into<String>,
        reconcile: &'static str,
    ) -> Self {
        let cause: BoxError = match self {
            Self::Transport(source) if !source.is_connect() && !source.is_builder() => {
                Box::new(source)
            }
            Self::BodyTooLarge(too_large) => Box::new(too_large),
            Self::InvalidResponse {
                status: None | Some(StatusCode::OK),
                source,
                ..
            } => Box::new(source),
            other => return other,
        };
        Self::OutcomeUnknown(Box::new(OutcomeUnknown {
            operation,
            reference: reference.into(),
            reconcile,
            cause,
        }))
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } | Self::UnexpectedStatus { status, .. } => Some(*status),
            Self::InvalidResponse { status, .. } => *status,
            _ => None,
        }
    }

    /// The raw response body, when one arrived.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Self::Api { body, .. }
            | Self::UnexpectedStatus { body, .. }
            | Self::InvalidResponse { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// Writes a provider's field -> messages validation map as one line, fields sorted:
/// `validation failed: amount: must be a number.; msisdn: required.;`.
pub struct FieldErrors<'a>(pub &'a std::collections::HashMap<String, Vec<String>>);

impl fmt::Display for FieldErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut fields: Vec<_> = self.0.iter().collect();
        fields.sort();
        f.write_str("validation failed:")?;
        for (field, messages) in fields {
            write!(f, " {field}: {};", messages.join(" "))?;
        }
        Ok(())
    }
}

/// The [`BodyTooLarge`] behind a body read error, if that is what it was.
fn body_too_large(error: &reqwest::Error) -> Option<BodyTooLarge> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(too_large) = cause.downcast_ref::<BodyTooLarge>() {
            return Some(*too_large);
        }
        source = cause.source();
    }
    None
}
