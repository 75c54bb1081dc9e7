//! The docs' outcome rules for a disbursement: what counts as done, as refused, and as
//! unknown, and what a caller needs to reconcile an unknown one.

use bytes::Bytes;
use http::StatusCode;
use payspec_core::OutcomeUnknown;

use crate::types::{
    DisbursementRequest, DisbursementResponse, DisbursementResponseDisbursementStatus,
    DisbursementResponseStatusCode,
};
use crate::{ApiError, Error};

/// The operation, as named in the spec.
pub(crate) const OPERATION: &str = "create_disbursement";

/// The docs describe no way to look a disbursement up.
const RECONCILE: &str = "the docs describe no way to look a disbursement up: before paying \
     again, confirm with Paymob (dashboard or support) whether this amount reached this wallet";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Checks what can be checked before sending and returns how the disbursement is
/// named if its outcome has to be reconciled: the wallet's last four digits and the
/// amount.
pub(crate) fn reference(request: &DisbursementRequest) -> Result<String, Error> {
    if request.msisdn.expose().trim().is_empty() {
        return Err(Error::InvalidRequest(
            "msisdn is empty: it names the wallet to pay".to_string(),
        ));
    }
    if request.amount.is_sign_negative() || request.amount.is_zero() {
        return Err(Error::InvalidRequest(format!(
            "amount must be positive, not {}",
            request.amount
        )));
    }
    Ok(format!(
        "to msisdn {} of amount {}",
        request.msisdn, request.amount
    ))
}

/// The result of a disbursement answered with HTTP 200: only `success` is a success.
pub(crate) fn outcome(
    response: DisbursementResponse,
    reference: &str,
) -> Result<DisbursementResponse, Error> {
    match &response.disbursement_status {
        DisbursementResponseDisbursementStatus::Success => Ok(response),
        DisbursementResponseDisbursementStatus::Failed => Err(Error::Api {
            status: StatusCode::OK,
            // The transport keeps the raw bytes of error statuses only; this is the
            // parsed body written back, which holds the same fields and text.
            body: serde_json::to_vec(&response)
                .map(Bytes::from)
                .unwrap_or_default(),
            error: ApiError::Disbursement(response),
        }),
        DisbursementResponseDisbursementStatus::Other(status) => Err(unknown(
            reference.to_string(),
            format!(
                "disbursement_status {status:?} is not one the docs list (status_code {}, {})",
                response.status_code, response.status_description
            )
            .into(),
        )),
    }
}

/// Whether Paymob did not accept the token (HTTP 401, or `status_code` "401" in the
/// body under any status): nothing was processed, so one repeat with a new token is safe.
pub(crate) fn token_rejected(error: &Error) -> bool {
    error.status() == Some(StatusCode::UNAUTHORIZED)
        || matches!(
            error,
            Error::Api { error: ApiError::Disbursement(failed), .. }
                if failed.status_code == DisbursementResponseStatusCode::X401
        )
}

/// Every failure after which the disbursement may have been made becomes
/// [`Error::OutcomeUnknown`]. Refused are: nothing sent, a documented failure body, or
/// any 4xx.
pub(crate) fn unless_refused(error: Error, reference: String) -> Error {
    if answered_without_verdict(&error) {
        return unknown(reference, Box::new(error));
    }
    error.outcome_unknown_unless_refused(OPERATION, reference, RECONCILE)
}

/// An answer that does not say whether the money moved: a 50X (the docs give it no
/// meaning beyond "Server Error", and a gateway's 502 or 504 says nothing about the
/// server behind it), or a status the operation does not define.
fn answered_without_verdict(error: &Error) -> bool {
    match error {
        Error::Api {
            error: ApiError::Disbursement(_),
            ..
        } => false,
        Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => {
            !status.is_client_error()
        }
        _ => false,
    }
}

fn unknown(reference: String, cause: BoxError) -> Error {
    Error::OutcomeUnknown(Box::new(OutcomeUnknown {
        operation: OPERATION,
        reference,
        reconcile: RECONCILE,
        cause,
    }))
}
