//! What the spec declares about one operation, as the generator writes it for the
//! runtime: how it authenticates, whether it may be repeated, which answers are
//! documented, and, for an operation that moves money, how its body says success and
//! how a lost outcome is reconciled.

use std::ops::RangeInclusive;

use crate::auth::AuthScheme;
use crate::transport::OperationPolicy;

/// One operation of a provider's spec; `E` is its error body.
/// (What a money-moving success body must say depends on the request, so the generated
/// method passes it to [`crate::call::send`].)
/// Each crate's generated `operations` module holds one per `operationId`.
pub struct Operation<E> {
    /// The provider (`"magicpayments"`).
    pub provider: &'static str,
    /// The spec's `operationId`.
    pub id: &'static str,
    /// How it authenticates (the spec's `security`).
    pub auth: AuthScheme,
    /// Whether it moves money, may be repeated, or neither.
    pub policy: OperationPolicy,
    /// It is the provider's token endpoint: its bodies are credentials, never kept.
    pub token_endpoint: bool,
    /// The documented success statuses (e.g. `[200]`).
    pub success: &'static [u16],
    /// The statuses whose documented error body is a refusal (e.g. `400..=499`).
    pub refusals: &'static [RangeInclusive<u16>],
    /// Whether a body under a success status is the provider's refusal (the spec's
    /// `x-payspec-refused`), read as the error body.
    pub says_refused: Option<fn(&E) -> bool>,
    /// What an error body must say to be the provider's documented error, under any
    /// status (the error schema's `x-payspec-error.says`): a gateway's JSON that happens
    /// to fit the schema is not a refusal.
    pub error_says: fn(&E) -> bool,
    /// The answers in which the provider did not accept the credential.
    pub credential_rejected: Rejection<E>,
    /// What to do when a money-moving call's outcome is unknown (the spec's
    /// `x-payspec-moves-money.reconcile`); empty for other operations.
    pub reconcile: &'static str,
}

impl<E> Operation<E> {
    /// Whether the operation moves money.
    pub fn moves_money(&self) -> bool {
        self.policy == OperationPolicy::MovesMoney
    }

    pub(crate) fn is_refusal_status(&self, status: u16) -> bool {
        self.refusals.iter().any(|range| range.contains(&status))
    }
}

/// The answers that mean the credential was not accepted, and so that nothing was
/// processed (the spec's `x-payspec-credential-rejected` on the security scheme).
pub struct Rejection<E> {
    /// Statuses that say so.
    pub statuses: &'static [u16],
    /// An error body that says so, under any status.
    pub body: Option<fn(&E) -> bool>,
}

impl<E> Rejection<E> {
    /// No answer is a rejection (the scheme declares none).
    pub const NONE: Self = Self {
        statuses: &[],
        body: None,
    };
}

/// Whether `value` displays as one of `texts` (its wire text: a code, a status); the
/// generator's conditions compare with it, without allocating.
pub fn wire_is<T: std::fmt::Display + ?Sized>(value: &T, texts: &[&str]) -> bool {
    texts.iter().any(|text| {
        let mut compare = Compare { rest: text, equal: true };
        std::fmt::Write::write_fmt(&mut compare, format_args!("{value}")).is_ok() && compare.equal && compare.rest.is_empty()
    })
}

/// Compares what is written with `rest`, piece by piece.
struct Compare<'a> {
    rest: &'a str,
    equal: bool,
}

impl std::fmt::Write for Compare<'_> {
    fn write_str(&mut self, piece: &str) -> std::fmt::Result {
        match self.rest.strip_prefix(piece) {
            Some(rest) if self.equal => self.rest = rest,
            _ => self.equal = false,
        }
        Ok(())
    }
}
