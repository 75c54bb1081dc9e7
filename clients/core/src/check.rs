//! Checks on a request before anything is sent. The generator writes a [`Check`] impl
//! for every request body and parameter list from the spec's keywords, the same way for
//! every provider:
//!
//! | spec | check |
//! |---|---|
//! | `format: decimal` with `minimum: 0` and `exclusiveMinimum: true` | [`positive`] |
//! | `pattern: '\S'` (a string with something in it) | [`not_blank`] |
//! | `minItems: 1` | [`not_empty`] |
//! | `uniqueItems: true` | [`unique`] |
//! | `anyOf` of `required` lists on an object | [`any_present`] |
//! | `x-payspec-not-before: <sibling>` | [`not_before`] |
//!
//! A failed check is an [`InvalidRequest`] naming the field by its path in the request
//! (`data[2].amount`); values are quoted only where they cannot be secrets (amounts,
//! dates, ids).

use std::collections::HashSet;
use std::fmt::{self, Display};
use std::hash::Hash;

use rust_decimal::Decimal;

use crate::error::InvalidRequest;

/// Something sent that can be checked before sending.
pub trait Check {
    /// Checks `self`, which is found at `at` in the request.
    fn check(&self, at: Path<'_>) -> Result<(), InvalidRequest>;
}

impl<T: Check> Check for Option<T> {
    #[inline]
    fn check(&self, at: Path<'_>) -> Result<(), InvalidRequest> {
        self.as_ref().map_or(Ok(()), |value| value.check(at))
    }
}

impl<T: Check> Check for Vec<T> {
    #[inline]
    fn check(&self, at: Path<'_>) -> Result<(), InvalidRequest> {
        self.iter().enumerate().try_for_each(|(index, item)| item.check(at.index(index)))
    }
}

/// Where a value is in the request: built on the stack, written out only for an error.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Name(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The request body.
    pub const BODY: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    /// The field `name` of the value at `self`.
    #[inline]
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Name(name),
        }
    }

    /// Item `index` of the list at `self`.
    #[inline]
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    // Out of line: the checks are inlined into every request's loop over its items,
    // and only a failing one writes its path out.
    #[cold]
    #[inline(never)]
    fn invalid(&self, problem: String) -> InvalidRequest {
        InvalidRequest::new(self.to_string(), problem)
    }
}

impl Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Name(name) if self.parent.is_some_and(|parent| !matches!(parent.segment, Segment::Root)) => {
                write!(f, ".{name}")
            }
            Segment::Name(name) => f.write_str(name),
            Segment::Index(index) => write!(f, "[{index}]"),
        }
    }
}

/// An amount that must be more than zero (a payment of nothing, or a negative one, is a
/// mistake the provider may not catch).
#[inline]
pub fn positive(at: Path<'_>, amount: &Decimal) -> Result<(), InvalidRequest> {
    if amount.is_sign_positive() && !amount.is_zero() {
        Ok(())
    } else {
        Err(at.invalid(format!("must be more than zero, not {amount}")))
    }
}

/// Text that must have something in it besides whitespace (an identifier, a reference
/// to reconcile by).
#[inline]
pub fn not_blank(at: Path<'_>, text: &str) -> Result<(), InvalidRequest> {
    // Decided by the first byte for almost all text; `blank` says what
    // `trim().is_empty()` says for the rest.
    let filled = text.as_bytes().first().is_some_and(|&byte| byte.is_ascii() && !char::from(byte).is_whitespace());
    if filled || !blank(text) {
        Ok(())
    } else {
        Err(at.invalid("must not be blank".into()))
    }
}

fn blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// A list that must have at least one item.
#[inline]
pub fn not_empty<T>(at: Path<'_>, items: &[T]) -> Result<(), InvalidRequest> {
    if items.is_empty() {
        Err(at.invalid("must not be empty".into()))
    } else {
        Ok(())
    }
}

/// A list whose items must each appear once.
pub fn unique<T: Eq + Hash + Display>(at: Path<'_>, items: &[T]) -> Result<(), InvalidRequest> {
    let mut seen = HashSet::with_capacity(items.len());
    match items.iter().find(|item| !seen.insert(*item)) {
        Some(repeated) => Err(at.invalid(format!("lists {repeated} more than once"))),
        None => Ok(()),
    }
}

/// At least one of the named fields must be present (and, for text, not blank).
pub fn any_present(at: Path<'_>, fields: &[(&str, bool)]) -> Result<(), InvalidRequest> {
    if fields.iter().any(|(_, present)| *present) {
        return Ok(());
    }
    let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
    Err(at.invalid(format!("needs at least one of {}", names.join(", "))))
}

/// A value (a date) that must not be before `earlier`, named `earlier_name`.
pub fn not_before<T: PartialOrd + Display>(
    at: Path<'_>,
    later: &T,
    earlier_name: &str,
    earlier: &T,
) -> Result<(), InvalidRequest> {
    if later < earlier {
        Err(at.invalid(format!("({later}) must not be before {earlier_name} ({earlier})")))
    } else {
        Ok(())
    }
}

/// Whether text is present and not blank, for [`any_present`].
pub fn has_text(text: Option<&str>) -> bool {
    text.is_some_and(|text| !text.trim().is_empty())
}
