//! When the result of a money-moving call is unknown.

use payspec_core::OutcomeUnknown;

use crate::Error;

/// payspec-core's rule (a lost, cut or unreadable answer is outcome-unknown), plus one
/// for Billon: a 5xx without the documented error body (e.g. a gateway timeout) says
/// nothing about whether the backend acted, so it is outcome-unknown too. The docs do
/// not document 5xx answers at all.
pub(crate) fn unless_refused(
    error: Error,
    operation: &'static str,
    reference: String,
    reconcile: &'static str,
) -> Error {
    match error {
        Error::UnexpectedStatus { status, .. } if status.is_server_error() => {
            Error::OutcomeUnknown(Box::new(OutcomeUnknown {
                operation,
                reference,
                reconcile,
                cause: Box::new(error),
            }))
        }
        other => other.outcome_unknown_unless_refused(operation, reference, reconcile),
    }
}
