//! One outcome table for every provider: what a call returns for each kind of answer.
//!
//! | Answer | Money-moving operation | Any other operation |
//! |---|---|---|
//! | documented success status, body says success | `Ok` | `Ok` |
//! | documented success status, body is the documented refusal | `Api` | `Api` |
//! | documented success status, body parses but does not say success | `OutcomeUnknown` | `Ok` |
//! | documented success status, body empty or unparseable | `OutcomeUnknown` | `InvalidResponse` |
//! | documented refusal status, documented error body | `Api` | `Api` |
//! | documented refusal status, any other body | `OutcomeUnknown` | `InvalidResponse` |
//! | 408, 425 or 499, whatever the body | `OutcomeUnknown` | as its status says |
//! | credential rejected (the scheme's declared statuses or body) | `Auth` | `Auth` |
//! | any other status (an undocumented 2xx, a 3xx, an undocumented 5xx) | `OutcomeUnknown` | `UnexpectedStatus` |
//! | body over the size cap | `OutcomeUnknown` | `BodyTooLarge` |
//! | no answer after the request may have left (timeout, reset, cut body) | `OutcomeUnknown` | `Transport` |
//! | connection never established | `Transport` | `Transport` |
//! | request invalid (checked before sending) | `InvalidRequest` | `InvalidRequest` |
//!
//! "Documented" is what the operation's spec says: its success statuses, its error
//! statuses and error schema, `x-payspec-moves-money.success` (what a success body
//! must say), `x-payspec-refused` (a refusal under a success status). A provider
//! changes a row only by what its spec documents. A credential from a token endpoint
//! that is rejected is renewed once and the call sent again (a rejection means nothing
//! was processed); `Auth` is the answer when the renewed one is rejected too.

use http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ParseError, Undocumented};
use crate::operation::Operation;

/// Statuses at which a server or a gateway gave up waiting: the request may or may not
/// have been processed, whatever the body says.
const GAVE_UP: [u16; 3] = [408, 425, 499];

/// What an answer means for an operation, before the evidence is attached.
pub(crate) enum Classified<T, E> {
    /// A documented success.
    Success(T),
    /// A documented refusal.
    Refused(E),
    /// Money-moving, and nothing documented says whether it was processed.
    Unknown { why: Undocumented, response: Option<T> },
    /// Not money-moving: a status the spec does not document.
    UnexpectedStatus,
    /// Not money-moving: a body that does not parse.
    InvalidResponse(ParseError),
}

/// Classifies `status` and `body` for `operation` by the table above.
pub(crate) fn classify<T: DeserializeOwned, E: DeserializeOwned>(
    operation: &Operation<E>,
    says_success: impl Fn(&T) -> bool,
    status: StatusCode,
    body: &[u8],
) -> Classified<T, E> {
    let money = operation.moves_money();
    let parse_error = |error| {
        if operation.token_endpoint {
            ParseError::withheld(error)
        } else {
            ParseError::new(error)
        }
    };
    let code = status.as_u16();
    if money && GAVE_UP.contains(&code) {
        return Classified::Unknown { why: Undocumented::Status, response: None };
    }
    if operation.success.contains(&code) {
        let refusal = || {
            let refused = operation.says_refused?;
            serde_json::from_slice::<E>(body)
                .ok()
                .filter(|error| refused(error) && (operation.error_says)(error))
        };
        let parsed = match serde_json::from_slice::<T>(body) {
            // Money-moving: the success conditions tell a success from a refusal.
            Ok(value) if money && says_success(&value) => return Classified::Success(value),
            // Any other operation: a documented refusal wins over a lenient success type.
            Ok(value) if !money => {
                return match refusal() {
                    Some(error) => Classified::Refused(error),
                    None => Classified::Success(value),
                }
            }
            parsed => parsed,
        };
        if let Some(error) = refusal() {
            return Classified::Refused(error);
        }
        return match parsed {
            Ok(value) => Classified::Unknown { why: Undocumented::NotSuccess, response: Some(value) },
            Err(error) if money => Classified::Unknown { why: Undocumented::Unreadable(parse_error(error)), response: None },
            Err(error) => Classified::InvalidResponse(parse_error(error)),
        };
    }
    if operation.is_refusal_status(code) {
        return match serde_json::from_slice::<E>(body) {
            Ok(error) if (operation.error_says)(&error) => Classified::Refused(error),
            // It fits the schema but does not say it is the provider's error.
            Ok(_) if money => Classified::Unknown { why: Undocumented::Status, response: None },
            Ok(_) => Classified::UnexpectedStatus,
            Err(error) if money => Classified::Unknown { why: Undocumented::Unreadable(parse_error(error)), response: None },
            Err(error) => Classified::InvalidResponse(parse_error(error)),
        };
    }
    if !money {
        return Classified::UnexpectedStatus;
    }
    let why = if status.is_redirection() { Undocumented::Redirect } else { Undocumented::Status };
    Classified::Unknown { why, response: None }
}
