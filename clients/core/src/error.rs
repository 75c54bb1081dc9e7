//! The error every provider call returns.
//!
//! Which variant a call returns is decided by one table for every provider, printed in
//! the README and implemented in [`crate::outcome`]. A request that moves money and may
//! have reached the provider without a documented answer coming back is never reported
//! as a plain failure: it is [`Error::OutcomeUnknown`], with the reference to reconcile
//! it by and the provider's documented rule for doing so.
//!
//! `Display` and `Debug` never print a body and mask card-number-like digit runs in
//! everything they do print (see [`crate::redact`]); the raw answer stays available as
//! [`Evidence`].

use std::any::Any;
use std::fmt::{self, Write as _};
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

use crate::evidence::Evidence;
use crate::redact::{write_masked, Masking};

/// The error of a provider call; `A` is the provider's documented error, typed.
#[non_exhaustive]
pub enum Error<A> {
    /// The request was refused before anything was sent.
    InvalidRequest(InvalidRequest),
    /// The provider refused the request with one of its documented errors: nothing was
    /// done.
    Api {
        /// HTTP status.
        status: StatusCode,
        /// The provider's error, typed.
        error: A,
        /// The answer as received.
        evidence: Evidence,
    },
    /// No credential the provider accepts could be obtained.
    Auth(AuthError<A>),
    /// A request that moves money may have been processed, but no documented answer
    /// says whether it was.
    OutcomeUnknown(Box<OutcomeUnknown>),
    /// An HTTP status the spec does not document for this (non-money-moving) operation.
    UnexpectedStatus {
        /// The answer as received.
        evidence: Evidence,
    },
    /// A body that does not match the spec (non-money-moving operations).
    InvalidResponse {
        /// The answer as received.
        evidence: Evidence,
        /// Why it does not parse.
        source: ParseError,
    },
    /// A response body over [`crate::transport::Limits::max_body_bytes`]
    /// (non-money-moving operations).
    BodyTooLarge {
        /// HTTP status.
        status: StatusCode,
        /// The limit that was exceeded.
        limit: usize,
    },
    /// No usable answer: for a money-moving operation, only when the connection was never
    /// established, so nothing was sent.
    Transport(reqwest::Error),
}

impl<A> Error<A> {
    /// The HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } | Self::BodyTooLarge { status, .. } => Some(*status),
            Self::UnexpectedStatus { evidence } | Self::InvalidResponse { evidence, .. } => {
                Some(evidence.status())
            }
            Self::Auth(AuthError::Rejected(evidence)) => Some(evidence.status()),
            Self::OutcomeUnknown(unknown) => unknown.cause.evidence().map(Evidence::status),
            _ => None,
        }
    }

    /// The answer as received, when one arrived and was kept.
    pub fn evidence(&self) -> Option<&Evidence> {
        match self {
            Self::Api { evidence, .. }
            | Self::UnexpectedStatus { evidence }
            | Self::InvalidResponse { evidence, .. }
            | Self::Auth(AuthError::Rejected(evidence)) => Some(evidence),
            Self::OutcomeUnknown(unknown) => unknown.cause.evidence(),
            _ => None,
        }
    }

    /// The provider's documented error, when it refused the request.
    pub fn api_error(&self) -> Option<&A> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The outcome-unknown details, when the result of a money-moving call is unknown.
    pub fn outcome_unknown(&self) -> Option<&OutcomeUnknown> {
        match self {
            Self::OutcomeUnknown(unknown) => Some(unknown),
            _ => None,
        }
    }

    /// Whether the request provably never reached the provider (refused before
    /// sending, or no connection), so sending it again cannot duplicate anything.
    pub fn nothing_sent(&self) -> bool {
        match self {
            Self::InvalidRequest(_) => true,
            Self::Transport(error) => error.is_connect() || error.is_builder(),
            Self::Auth(AuthError::TokenEndpoint(_) | AuthError::Deadline(_) | AuthError::InvalidCredential { .. }) => {
                true
            }
            _ => false,
        }
    }
}

impl<A> From<InvalidRequest> for Error<A> {
    fn from(invalid: InvalidRequest) -> Self {
        Self::InvalidRequest(invalid)
    }
}

/// A request built from invalid parts (a body that cannot be serialized, a header
/// value with a newline): refused before sending.
impl<A> From<reqwest::Error> for Error<A> {
    fn from(error: reqwest::Error) -> Self {
        if error.is_builder() {
            Self::InvalidRequest(InvalidRequest::new("request", format!("cannot be built: {error}")))
        } else {
            Self::Transport(error)
        }
    }
}

impl<A> From<http::header::InvalidHeaderValue> for Error<A> {
    fn from(_: http::header::InvalidHeaderValue) -> Self {
        Self::InvalidRequest(InvalidRequest::new("header", "is not a valid header value"))
    }
}

impl<A: fmt::Display> fmt::Display for Error<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(invalid) => {
                write_masked(f, format_args!("invalid request, nothing was sent: {invalid}"))
            }
            Self::Api { status, error, .. } => write_masked(
                f,
                format_args!("the provider refused the request (HTTP {}): {error}", status.as_u16()),
            ),
            Self::Auth(auth) => write_masked(f, format_args!("authentication failed: {auth}")),
            Self::OutcomeUnknown(unknown) => fmt::Display::fmt(unknown, f),
            Self::UnexpectedStatus { evidence } => write_masked(
                f,
                format_args!(
                    "HTTP status {} is not documented for this operation ({} bytes of body)",
                    evidence.status().as_u16(),
                    evidence.len()
                ),
            ),
            Self::InvalidResponse { evidence, source } => write_masked(
                f,
                format_args!(
                    "the answer (HTTP {}) does not match the spec: {source}",
                    evidence.status().as_u16()
                ),
            ),
            Self::BodyTooLarge { status, limit } => write_masked(
                f,
                format_args!(
                    "the answer's body (HTTP {}) exceeds the limit of {limit} bytes",
                    status.as_u16()
                ),
            ),
            Self::Transport(error) if error.is_connect() => write_masked(
                f,
                format_args!("no connection, nothing was sent: {error}"),
            ),
            Self::Transport(error) => write_masked(f, format_args!("no usable answer: {error}")),
        }
    }
}

impl<A: fmt::Debug> fmt::Debug for Error<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(invalid) => write_masked(f, format_args!("InvalidRequest({invalid:?})")),
            Self::Api { status, error, evidence } => write_masked(
                f,
                format_args!("Api {{ status: {}, error: {error:?}, evidence: {evidence:?} }}", status.as_u16()),
            ),
            Self::Auth(auth) => write_masked(f, format_args!("Auth({auth:?})")),
            Self::OutcomeUnknown(unknown) => write_masked(f, format_args!("OutcomeUnknown({unknown:?})")),
            Self::UnexpectedStatus { evidence } => {
                write_masked(f, format_args!("UnexpectedStatus {{ evidence: {evidence:?} }}"))
            }
            Self::InvalidResponse { evidence, source } => write_masked(
                f,
                format_args!("InvalidResponse {{ evidence: {evidence:?}, source: {source:?} }}"),
            ),
            Self::BodyTooLarge { status, limit } => write_masked(
                f,
                format_args!("BodyTooLarge {{ status: {}, limit: {limit} }}", status.as_u16()),
            ),
            Self::Transport(error) => write_masked(f, format_args!("Transport({error:?})")),
        }
    }
}

impl<A: fmt::Debug + fmt::Display> std::error::Error for Error<A> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidResponse { source, .. } => Some(source),
            Self::Transport(error) => Some(error),
            Self::OutcomeUnknown(unknown) => unknown.cause.source(),
            _ => None,
        }
    }
}

/// A request refused before anything was sent: which part, and why.
#[derive(Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    field: String,
    problem: String,
}

impl InvalidRequest {
    /// `field` (a path such as `data[2].amount`) has `problem`.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// The part of the request that is invalid.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_masked(f, format_args!("{} {}", self.field, self.problem))
    }
}

impl fmt::Debug for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_masked(f, format_args!("{:?} {:?}", self.field, self.problem))
    }
}

impl std::error::Error for InvalidRequest {}

/// Why no credential the provider accepts could be obtained.
#[non_exhaustive]
pub enum AuthError<A> {
    /// The token endpoint did not issue a token; every caller waiting for that token
    /// shares this failure.
    TokenEndpoint(Arc<Error<A>>),
    /// The provider did not accept the credential (for a token from a token endpoint:
    /// not even a newly issued one). Nothing was processed.
    Rejected(Evidence),
    /// No token within this deadline (a hanging token endpoint).
    Deadline(Duration),
    /// A credential that cannot be sent as a header value (e.g. it has a newline).
    InvalidCredential {
        /// The header it was meant for.
        header: &'static str,
    },
}

impl<A> Clone for AuthError<A> {
    fn clone(&self) -> Self {
        match self {
            Self::TokenEndpoint(error) => Self::TokenEndpoint(Arc::clone(error)),
            Self::Rejected(evidence) => Self::Rejected(evidence.clone()),
            Self::Deadline(deadline) => Self::Deadline(*deadline),
            Self::InvalidCredential { header } => Self::InvalidCredential { header },
        }
    }
}

impl<A: fmt::Display> fmt::Display for AuthError<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TokenEndpoint(error) => write!(f, "the token endpoint did not issue a token: {error}"),
            Self::Rejected(evidence) => write!(
                f,
                "the provider did not accept the credential (HTTP {})",
                evidence.status().as_u16()
            ),
            Self::Deadline(deadline) => write!(f, "no token within {deadline:?}"),
            Self::InvalidCredential { header } => {
                write!(f, "the credential is not a valid value for the {header} header")
            }
        }
    }
}

impl<A: fmt::Debug> fmt::Debug for AuthError<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TokenEndpoint(error) => write!(f, "TokenEndpoint({error:?})"),
            Self::Rejected(evidence) => write!(f, "Rejected({evidence:?})"),
            Self::Deadline(deadline) => write!(f, "Deadline({deadline:?})"),
            Self::InvalidCredential { header } => write!(f, "InvalidCredential {{ header: {header:?} }}"),
        }
    }
}

/// A money-moving request whose result is unknown, and how to find it out.
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// The operation (its spec `operationId`).
    pub operation: &'static str,
    /// What identifies the request, to reconcile it by (the spec's declared fields).
    pub reference: Reference,
    /// What to do, per the provider's docs (the spec's `reconcile`).
    pub reconcile: &'static str,
    /// Why the outcome is unknown.
    pub cause: Cause,
    /// The parsed answer, when one parsed but does not say the request succeeded.
    response: Option<Box<dyn Any + Send + Sync>>,
}

impl OutcomeUnknown {
    /// An outcome-unknown error for `operation`.
    pub fn new(operation: &'static str, reference: Reference, reconcile: &'static str, cause: Cause) -> Self {
        Self {
            operation,
            reference,
            reconcile,
            cause,
            response: None,
        }
    }

    /// With the answer that parsed as the operation's success type but does not say
    /// success (e.g. a status the docs do not list: it is kept as `Other`).
    pub fn with_response<T: Any + Send + Sync>(mut self, response: T) -> Self {
        self.response = Some(Box::new(response));
        self
    }

    /// The parsed answer, if it parsed as `T` (the operation's success type): the ids
    /// and statuses it carries are what a reconciliation starts from.
    pub fn response<T: Any>(&self) -> Option<&T> {
        self.response.as_ref()?.downcast_ref()
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_masked(
            f,
            format_args!(
                "the outcome of {} ({}) is unknown: {}. {}",
                self.operation, self.reference, self.cause, self.reconcile
            ),
        )
    }
}

impl fmt::Debug for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let response = if self.response.is_some() { "Some(<parsed>)" } else { "None" };
        write_masked(
            f,
            format_args!(
                "OutcomeUnknown {{ operation: {:?}, reference: {:?}, cause: {:?}, response: {response} }}",
                self.operation, self.reference, self.cause
            ),
        )
    }
}

/// Why the outcome of a money-moving request is unknown.
#[non_exhaustive]
pub enum Cause {
    /// The request may have been sent and no answer came back (a timeout, a reset, a
    /// body cut short).
    NoAnswer(reqwest::Error),
    /// An answer that is neither a documented success nor a documented refusal.
    Answer {
        /// The answer as received.
        evidence: Evidence,
        /// What makes it undocumented.
        why: Undocumented,
    },
    /// An answer whose body exceeded the client's limit before it was read.
    TooLarge {
        /// HTTP status.
        status: StatusCode,
        /// The limit that was exceeded.
        limit: usize,
    },
}

impl Cause {
    /// The answer, when one arrived.
    pub fn evidence(&self) -> Option<&Evidence> {
        match self {
            Self::Answer { evidence, .. } => Some(evidence),
            _ => None,
        }
    }

    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::NoAnswer(error) => Some(error),
            Self::Answer {
                why: Undocumented::Unreadable(error),
                ..
            } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAnswer(error) => write_masked(f, format_args!("no answer after the request may have been sent ({error})")),
            Self::Answer { evidence, why } => write_masked(f, format_args!("HTTP {} {why}", evidence.status().as_u16())),
            Self::TooLarge { status, limit } => write_masked(
                f,
                format_args!("HTTP {} with a body over the limit of {limit} bytes", status.as_u16()),
            ),
        }
    }
}

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAnswer(error) => write_masked(f, format_args!("NoAnswer({error:?})")),
            Self::Answer { evidence, why } => write_masked(f, format_args!("Answer {{ evidence: {evidence:?}, why: {why:?} }}")),
            Self::TooLarge { status, limit } => {
                write_masked(f, format_args!("TooLarge {{ status: {}, limit: {limit} }}", status.as_u16()))
            }
        }
    }
}

/// What makes an answer undocumented.
#[non_exhaustive]
#[derive(Debug)]
pub enum Undocumented {
    /// A status the operation documents neither as success nor as refusal (a 5xx from a
    /// gateway, a 202, a 408).
    Status,
    /// A redirect. It is never followed: following it could send the request again.
    Redirect,
    /// A documented success status whose body does not say success (an unknown status
    /// value, an empty result).
    NotSuccess,
    /// A body that does not parse as the documented success or error.
    Unreadable(ParseError),
}

impl fmt::Display for Undocumented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status => f.write_str("is not a documented answer"),
            Self::Redirect => f.write_str("is a redirect, which is not followed"),
            Self::NotSuccess => f.write_str("has a body that does not say the request succeeded"),
            Self::Unreadable(error) => write!(f, "has a body that does not parse: {error}"),
        }
    }
}

/// A body that does not parse. For a token endpoint the parser's message (which can
/// quote the token) is withheld; only where the problem is remains.
pub struct ParseError {
    source: serde_json::Error,
    withheld: bool,
}

impl ParseError {
    /// `source`, with its message kept.
    pub fn new(source: serde_json::Error) -> Self {
        Self { source, withheld: false }
    }

    /// `source`, with its message withheld.
    pub fn withheld(source: serde_json::Error) -> Self {
        Self { source, withheld: true }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.withheld {
            let what = match self.source.classify() {
                serde_json::error::Category::Syntax => "not valid JSON",
                serde_json::error::Category::Eof => "cut short",
                serde_json::error::Category::Data => "not the documented shape",
                serde_json::error::Category::Io => "unreadable",
            };
            write!(
                f,
                "{what} at line {} column {} (details withheld: the body is a credential)",
                self.source.line(),
                self.source.column()
            )
        } else {
            write_masked(f, format_args!("{}", self.source))
        }
    }
}

impl fmt::Debug for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ParseError({self})")
    }
}

impl std::error::Error for ParseError {}

/// What identifies a money-moving request, to reconcile it by: the fields the spec
/// declares (`x-payspec-moves-money.reference`), with the values sent. Secret values
/// (a wallet number) appear as their redacted `Display`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Reference {
    fields: Vec<(&'static str, String)>,
}

impl Reference {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// With `name` = `value`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.fields.push((name, value.to_string()));
        self
    }

    /// With `name` = `value`, when there is one.
    pub fn with_optional(self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.with(name, value),
            None => self,
        }
    }

    /// With `name` = the listed values.
    pub fn with_list<T: fmt::Display>(mut self, name: &'static str, values: impl IntoIterator<Item = T>) -> Self {
        let values: Vec<String> = values.into_iter().map(|value| value.to_string()).collect();
        self.fields.push((name, format!("[{}]", values.join(", "))));
        self
    }

    /// The value sent for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every field and its value, in the order the spec lists them.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.fields.iter().map(|(name, value)| (*name, value.as_str()))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fields.is_empty() {
            return f.write_str("no reference");
        }
        let mut out = Masking::new(f);
        for (index, (name, value)) in self.fields.iter().enumerate() {
            if index > 0 {
                out.write_str(", ")?;
            }
            write!(out, "{name} {value:?}")?;
        }
        out.finish()
    }
}

impl fmt::Debug for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reference({self})")
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

/// Writes a provider's error as `code (meaning): message`, leaving out what is absent;
/// generated `Display` impls of error bodies use it.
pub fn describe(
    f: &mut fmt::Formatter<'_>,
    code: Option<&dyn fmt::Display>,
    meaning: Option<&str>,
    message: Option<&dyn fmt::Display>,
) -> fmt::Result {
    match (code, meaning) {
        (Some(code), Some(meaning)) => write!(f, "{code} ({meaning})")?,
        (Some(code), None) => write!(f, "{code}")?,
        (None, _) => {}
    }
    match (code.is_some(), message) {
        (true, Some(message)) => write!(f, ": {message}"),
        (false, Some(message)) => write!(f, "{message}"),
        (true, None) => Ok(()),
        (false, None) => f.write_str("no error details"),
    }
}
