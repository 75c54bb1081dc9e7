//! Exact money.
//!
//! Providers send amounts as JSON strings (`"10.0000000001"`, `"800.00"`) and as JSON
//! numbers (`487.5`, `1000`). Both read into a [`Decimal`] from their exact text, never
//! through `f64`, and write back in the shape the spec declares:
//!
//! | spec                              | Rust type         | written as        |
//! |-----------------------------------|-------------------|-------------------|
//! | `type: string, format: decimal`   | [`DecimalString`] | `"800.00"`        |
//! | `type: number, format: decimal`   | [`DecimalNumber`] | `487.5`           |
//!
//! How numbers stay exact without serde_json's `arbitrary_precision` (which must not be
//! enabled: it changes `serde_json::Number` for the whole program): serde_json's
//! `raw_value` feature hands a value's exact text to a deserializer that asks for it,
//! and writes a [`RawValue`] verbatim. Where serde has already buffered the input
//! (inside `#[serde(untagged)]` enums and `#[serde(flatten)]`) the text is gone and a
//! number arrives as `f64`; it is then read by its shortest round-trip representation,
//! which is exact for numbers of up to 15 significant digits (property-tested).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Deserializer;
use serde::ser::{Error as _, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::text::{self, FromText};

/// How a decimal is written on the wire.
pub trait WireShape: Copy + Default + fmt::Debug + Send + Sync + 'static {
    /// Writes `value` in this shape.
    fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Written as a JSON string: `"800.00"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AsString;

/// Written as a JSON number with the decimal's exact text: `487.5`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AsNumber;

impl WireShape for AsString {
    fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }
}

impl WireShape for AsNumber {
    fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(value.to_string()).map_err(S::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// An exact decimal amount that reads from a JSON string or number and writes in the
/// wire shape `S`. Use the aliases [`DecimalString`] and [`DecimalNumber`].
///
/// Equality and ordering are numeric (`800.00 == 800`); `Display` keeps the scale the
/// value arrived with (`800.00`).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WireDecimal<S: WireShape> {
    value: Decimal,
    shape: PhantomData<S>,
}

/// A decimal the provider sends and expects as a JSON string.
pub type DecimalString = WireDecimal<AsString>;

/// A decimal the provider sends and expects as a JSON number.
pub type DecimalNumber = WireDecimal<AsNumber>;

impl<S: WireShape> WireDecimal<S> {
    /// Wraps `value`.
    pub const fn new(value: Decimal) -> Self {
        Self {
            value,
            shape: PhantomData,
        }
    }

    /// The decimal value.
    pub const fn value(self) -> Decimal {
        self.value
    }
}

impl<S: WireShape> Deref for WireDecimal<S> {
    type Target = Decimal;

    fn deref(&self) -> &Decimal {
        &self.value
    }
}

impl<S: WireShape> From<Decimal> for WireDecimal<S> {
    fn from(value: Decimal) -> Self {
        Self::new(value)
    }
}

impl<S: WireShape> From<WireDecimal<S>> for Decimal {
    fn from(amount: WireDecimal<S>) -> Self {
        amount.value
    }
}

impl<S: WireShape> From<i64> for WireDecimal<S> {
    fn from(value: i64) -> Self {
        Self::new(Decimal::from(value))
    }
}

impl<S: WireShape> fmt::Display for WireDecimal<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl<S: WireShape> fmt::Debug for WireDecimal<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

/// A decimal that could not be read exactly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an exact decimal amount: {text:?}")]
pub struct ParseDecimalError {
    text: String,
}

impl<S: WireShape> FromStr for WireDecimal<S> {
    type Err = ParseDecimalError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_exact(text).map(Self::new)
    }
}

/// Parses decimal text (`"-12.50"`, `"1e3"`) exactly; more precision than a
/// [`Decimal`] holds (28 digits) is an error, never a silent rounding, and so is
/// anything but JSON's number grammar (`"1_000"`, `"+1"`, `".5"`, `"1."`).
pub fn parse_exact(text: &str) -> Result<Decimal, ParseDecimalError> {
    if !is_json_number(text) {
        return Err(ParseDecimalError {
            text: text.to_string(),
        });
    }
    let invalid = || ParseDecimalError {
        text: text.to_string(),
    };
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return Decimal::from_str_exact(text).map_err(|_| invalid());
    };
    // Exact in exponent form too: the mantissa's digits are kept, only the scale moves
    // (`Decimal::from_scientific` rounds a mantissa with more than 28 digits).
    let mut value = Decimal::from_str_exact(mantissa).map_err(|_| invalid())?;
    let exponent: i64 = exponent.parse().map_err(|_| invalid())?;
    let scale = i64::from(value.scale()).checked_sub(exponent).ok_or_else(invalid)?;
    if scale >= 0 {
        let scale = u32::try_from(scale).map_err(|_| invalid())?;
        value.set_scale(scale).map_err(|_| invalid())?;
        return Ok(value);
    }
    let shift = scale
        .checked_neg()
        .and_then(|shift| u32::try_from(shift).ok())
        .filter(|shift| *shift <= 28)
        .ok_or_else(invalid)?;
    value.set_scale(0).map_err(|_| invalid())?;
    value
        .checked_mul(Decimal::from_i128_with_scale(10i128.pow(shift), 0))
        .ok_or_else(invalid)
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, leading zeros allowed (`"007.5"`
/// is a plausible amount string).
fn is_json_number(text: &str) -> bool {
    let digits = |text: &str| -> usize { text.bytes().take_while(u8::is_ascii_digit).count() };
    let rest = text.strip_prefix('-').unwrap_or(text);
    let whole = digits(rest);
    if whole == 0 {
        return false;
    }
    let mut rest = &rest[whole..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let count = digits(fraction);
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let count = digits(exponent);
        return count > 0 && count == exponent.len();
    }
    rest.is_empty()
}

impl<S: WireShape> Serialize for WireDecimal<S> {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        S::serialize(&self.value, serializer)
    }
}

impl<'de, S: WireShape> Deserialize<'de> for WireDecimal<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text::deserialize::<D, Decimal>(deserializer).map(Self::new)
    }
}

impl FromText for Decimal {
    const EXPECTING: &'static str = "a decimal amount as a JSON string or number";

    fn from_text(text: &str) -> Result<Self, String> {
        parse_exact(text.trim()).map_err(|error| error.to_string())
    }

    // Exact for numbers of up to 15 significant digits: Rust's `Display` for `f64` is
    // the shortest text that reads back as the same `f64`, and never uses exponents.
    fn from_f64(value: f64) -> Result<Self, String> {
        parse_exact(&value.to_string()).map_err(|error| error.to_string())
    }
}
