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

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Error as _, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The name serde_json's `raw_value` feature uses to hand out a value's exact text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

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
/// [`Decimal`] holds (28 digits) is an error, never a silent rounding.
pub fn parse_exact(text: &str) -> Result<Decimal, ParseDecimalError> {
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    parsed.map_err(|_| ParseDecimalError {
        text: text.to_string(),
    })
}

impl<S: WireShape> Serialize for WireDecimal<S> {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        S::serialize(&self.value, serializer)
    }
}

impl<'de, S: WireShape> Deserialize<'de> for WireDecimal<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(RAW_VALUE_TOKEN, DecimalVisitor)
            .map(Self::new)
    }
}

/// Accepts a decimal from the exact JSON text serde_json hands out, or, from any other
/// deserializer, from a string or a number.
struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a JSON string or number")
    }

    // serde_json with `raw_value`: one entry whose value is the exact JSON text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        map.next_key::<de::IgnoredAny>()?
            .ok_or_else(|| de::Error::custom("expected the raw JSON text of an amount"))?;
        map.next_value_seed(RawTextSeed)
    }

    // Any other deserializer (including serde's buffered content): ask for the value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        parse_exact(text.trim()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Decimal, E> {
        Decimal::from_u128(value).ok_or_else(|| E::custom("amount out of range"))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Decimal, E> {
        Decimal::from_i128(value).ok_or_else(|| E::custom("amount out of range"))
    }

    // Only reached where serde buffered the number (untagged enums, flatten).
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
        if !value.is_finite() {
            return Err(E::custom("an amount must be finite"));
        }
        parse_exact(&shortest_round_trip(value)).map_err(E::custom)
    }
}

/// The shortest text that reads back as `value` (Rust's `Display` for `f64` is
/// shortest round-trip and never uses exponents).
fn shortest_round_trip(value: f64) -> String {
    value.to_string()
}

/// Reads the raw JSON text of a value: a number's digits, or a quoted string.
struct RawTextSeed;

impl<'de> DeserializeSeed<'de> for RawTextSeed {
    type Value = Decimal;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_str(RawTextVisitor)
    }
}

struct RawTextVisitor;

impl Visitor<'_> for RawTextVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the raw JSON text of an amount")
    }

    fn visit_str<E: de::Error>(self, raw: &str) -> Result<Decimal, E> {
        let raw = raw.trim();
        if raw.starts_with('"') {
            // Amounts carry no escapes, so this borrows; an escaped string still reads.
            match serde_json::from_str::<&str>(raw) {
                Ok(text) => parse_exact(text.trim()).map_err(E::custom),
                Err(_) => {
                    let text: String = serde_json::from_str(raw).map_err(E::custom)?;
                    parse_exact(text.trim()).map_err(E::custom)
                }
            }
        } else {
            parse_exact(raw).map_err(|_| {
                E::invalid_type(de::Unexpected::Other(raw), &"a decimal amount as a JSON string or number")
            })
        }
    }
}
