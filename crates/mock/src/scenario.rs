//! Scenarios for tests: what the mock does with the next money-moving call (an
//! operation with `x-payspec-moves-money`), instead of answering it normally.
//!
//! | Scenario | processed (state changes) | answer | payspec client's outcome |
//! |---|---|---|---|
//! | [`Scenario::Error`] | no | the documented example of that name, with its status | `Error::Api` |
//! | [`Scenario::LoseAnswer`] | yes | none: the connection is dropped | `Error::OutcomeUnknown` |
//! | [`Scenario::ServerError`] | no | that status with a gateway's HTML page | `Error::OutcomeUnknown` |
//! | [`Scenario::Slow`] | yes | the normal answer, after the delay | `OutcomeUnknown` past the client's timeout, else `Ok` |
//! | [`Scenario::Redirect`] | no | `307` to the same URL | `Error::OutcomeUnknown` |

use std::time::Duration;

/// What the mock does with the next money-moving call; queue one with
/// [`crate::MockServer::next`]. Scenarios are played in the order queued, one per
/// money-moving call that passes authentication and validation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scenario {
    /// Answer with the operation's documented example of this name (a `4XX` example
    /// such as MagicPayments' `access_denied`, or a refusal documented under a success
    /// status such as Paymob's `budget_exceeded_6061`), without processing the request.
    Error(String),
    /// Process the request (the state changes), then drop the connection without an
    /// answer: the case a payout integration must reconcile.
    LoseAnswer,
    /// Answer this status (a 5xx) with a gateway's HTML page, without processing the
    /// request: no documented body says what happened.
    ServerError(u16),
    /// Process the request, then answer only after this delay (past a client's timeout,
    /// the answer is lost on the client's side).
    Slow(Duration),
    /// Answer `307 Temporary Redirect` to the same URL, without processing the request
    /// (a client that followed it would send the payout again).
    Redirect,
}

impl Scenario {
    /// [`Scenario::Error`] with the documented example `name`.
    pub fn error(name: impl Into<String>) -> Self {
        Self::Error(name.into())
    }

    /// Whether the mock processes the request (changes its state) before answering.
    pub fn processes(&self) -> bool {
        matches!(self, Self::LoseAnswer | Self::Slow(_))
    }
}

/// A gateway's error page, for [`Scenario::ServerError`].
pub(crate) fn gateway_page(status: u16) -> String {
    let reason = http::StatusCode::from_u16(status).ok().and_then(|status| status.canonical_reason()).unwrap_or("Error");
    format!("<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1><hr>payspec-mock</body></html>\n")
}
