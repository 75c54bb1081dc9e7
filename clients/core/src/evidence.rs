//! What a provider answered, kept with an error so it can be investigated: the HTTP
//! status and the body exactly as received.
//!
//! `Debug` shows the status and the body's length, never its content: bodies echo card
//! numbers, and a token endpoint's body is a credential. Token-endpoint bodies are not
//! kept at all ([`Evidence::body`] is `None`, the length is still known).

use std::fmt;

use bytes::Bytes;
use http::StatusCode;

/// The status and body of an answer.
#[derive(Clone, PartialEq, Eq)]
pub struct Evidence {
    status: StatusCode,
    body: Body,
}

#[derive(Clone, PartialEq, Eq)]
enum Body {
    Kept(Bytes),
    /// A token endpoint's body: a credential, so only its length is kept.
    Withheld { length: usize },
}

impl Evidence {
    /// An answer whose body is kept as received.
    pub fn kept(status: StatusCode, body: Bytes) -> Self {
        Self {
            status,
            body: Body::Kept(body),
        }
    }

    /// An answer whose body is not kept (it may hold a credential).
    pub fn withheld(status: StatusCode, length: usize) -> Self {
        Self {
            status,
            body: Body::Withheld { length },
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body exactly as received, unless it was withheld. Read it to investigate,
    /// never to log: it may hold whatever the provider echoed.
    pub fn body(&self) -> Option<&Bytes> {
        match &self.body {
            Body::Kept(body) => Some(body),
            Body::Withheld { .. } => None,
        }
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Kept(body) => body.len(),
            Body::Withheld { length } => *length,
        }
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::Kept(body) => format!("{} bytes", body.len()),
            Body::Withheld { length } => format!("{length} bytes, withheld"),
        };
        f.debug_struct("Evidence")
            .field("status", &self.status.as_u16())
            .field("body", &format_args!("{body}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_status_and_length_only() {
        let evidence = Evidence::kept(StatusCode::OK, Bytes::from_static(b"{\"card\":\"4111111111111111\"}"));
        assert_eq!(format!("{evidence:?}"), "Evidence { status: 200, body: 27 bytes }");
        let withheld = Evidence::withheld(StatusCode::OK, 40);
        assert_eq!(format!("{withheld:?}"), "Evidence { status: 200, body: 40 bytes, withheld }");
        assert!(withheld.body().is_none());
    }
}
