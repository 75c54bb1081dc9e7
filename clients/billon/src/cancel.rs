//! Cancelling payouts: the request the client accepts and the outcome it reports.

use std::collections::HashSet;

use crate::Error;

/// The docs give no lookup for a payout's state.
pub(crate) const RECONCILE_CANCEL: &str = "the docs offer no way to look a payout up: check \
     the state of these payouts in the panel before cancelling them again";

/// How many of the requested payouts Billon cancelled. The docs return only a count,
/// which may be lower than the number of ids sent (e.g. a payout already received or
/// cancelled); which ids were not cancelled is not said.
#[must_use = "fewer payouts than requested may have been cancelled: check `is_complete`"]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelOutcome {
    /// The ids sent, in the order sent.
    pub requested: Vec<i64>,
    /// How many payouts Billon reports as cancelled.
    pub cancelled: u64,
}

impl CancelOutcome {
    /// Whether every requested payout was cancelled.
    pub fn is_complete(&self) -> bool {
        self.cancelled >= self.requested_count()
    }

    /// How many requested payouts were not cancelled (0 when complete).
    pub fn not_cancelled(&self) -> u64 {
        self.requested_count().saturating_sub(self.cancelled)
    }

    fn requested_count(&self) -> u64 {
        self.requested.len() as u64
    }
}

/// Ids must be given, each once: the count Billon returns is only comparable with the
/// number of distinct payouts asked for.
pub(crate) fn check_ids(ids: &[i64]) -> Result<(), Error> {
    if ids.is_empty() {
        return Err(Error::InvalidRequest("no payout ids to cancel".to_string()));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    match ids.iter().find(|id| !seen.insert(**id)) {
        Some(duplicate) => Err(Error::InvalidRequest(format!(
            "payout id {duplicate} is listed twice: the cancelled count could not be \
             compared with the ids sent"
        ))),
        None => Ok(()),
    }
}

/// The ids, for an outcome-unknown error.
pub(crate) fn reference(ids: &[i64]) -> String {
    format!("payout ids {ids:?}")
}
