//! What the client checks before a payout is created, and how a payout whose answer
//! was lost is described for reconciliation.

use crate::types::CreatePayoutRequest;
use crate::Error;

/// The docs give no lookup and no idempotency key for a payout.
pub(crate) const RECONCILE_CREATE: &str = "the docs offer no way to look a payout up and no \
     idempotency key: check the panel for this payout (project, recipient, amount and dates \
     in the reference) before creating it again; an unwanted duplicate can be cancelled \
     with cancel_payouts";

/// The docs: at least one of `userName`, `phoneNumber`, `referenceId` identifies the
/// recipient. A blank value identifies no one, so it counts as missing.
pub(crate) fn check_recipient(request: &CreatePayoutRequest) -> Result<(), Error> {
    let identifiers = [
        request.user_name.as_deref(),
        request.phone_number.as_ref().map(|phone| phone.expose()),
        request.reference_id.as_deref(),
    ];
    if identifiers
        .into_iter()
        .flatten()
        .any(|value| !value.trim().is_empty())
    {
        Ok(())
    } else {
        Err(Error::InvalidRequest(
            "a payout needs at least one of userName, phoneNumber or referenceId to \
             identify its recipient"
                .to_string(),
        ))
    }
}

/// The request's details a person needs to find the payout in the panel. The phone
/// number shows only its last four digits.
pub(crate) fn reference(request: &CreatePayoutRequest) -> String {
    let mut recipient = Vec::new();
    if let Some(user_name) = &request.user_name {
        recipient.push(format!("userName {user_name:?}"));
    }
    if let Some(phone) = &request.phone_number {
        recipient.push(format!("phoneNumber {phone}"));
    }
    if let Some(reference_id) = &request.reference_id {
        recipient.push(format!("referenceId {reference_id:?}"));
    }
    format!(
        "payout of {} {} to {} in project {:?}, valid {} to {}",
        request.amount,
        request.currency,
        recipient.join(", "),
        request.name,
        request.start_date.to_rfc3339(),
        request.end_date.to_rfc3339(),
    )
}
