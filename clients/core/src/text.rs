//! Reading a JSON value by its exact text: a number's digits as written, or a string's
//! content. How money and lenient integers stay exact without serde_json's
//! `arbitrary_precision` (which must never be enabled: it changes `serde_json::Number`
//! for the whole program).
//!
//! serde_json's `raw_value` feature hands a value's exact text to a deserializer that
//! asks for it by a private newtype name, and writes a `RawValue` verbatim. Where serde
//! has already buffered the input (inside `#[serde(untagged)]` enums and
//! `#[serde(flatten)]`) the text is gone: a number arrives as `i64`, `u64` or `f64`, and
//! [`FromText::from_f64`] decides what an `f64` may mean.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// The name serde_json's `raw_value` feature uses to hand out a value's exact text.
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A value that reads from the text of a JSON string or number.
pub(crate) trait FromText: Sized {
    /// What the value is, for error messages.
    const EXPECTING: &'static str;

    /// From `text`: the content of a JSON string, or the digits of a JSON number.
    fn from_text(text: &str) -> Result<Self, String>;

    /// From a number serde buffered as `f64` (its text is gone).
    fn from_f64(value: f64) -> Result<Self, String>;
}

/// Deserializes a `T` from the exact text of a JSON string or number.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: FromText>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, TextVisitor(PhantomData))
}

struct TextVisitor<T>(PhantomData<T>);

impl<'de, T: FromText> Visitor<'de> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    // serde_json with `raw_value`: one entry whose value is the exact JSON text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        map.next_key::<de::IgnoredAny>()?
            .ok_or_else(|| de::Error::custom("expected the raw JSON text of a value"))?;
        map.next_value_seed(RawSeed(PhantomData))
    }

    // Any other deserializer (including serde's buffered content): ask for the value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::from_text(text).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::from_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::from_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<T, E> {
        T::from_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<T, E> {
        T::from_text(&value.to_string()).map_err(E::custom)
    }

    // Only reached where serde buffered the number (untagged enums, flatten).
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        if !value.is_finite() {
            return Err(E::custom("a number must be finite"));
        }
        T::from_f64(value).map_err(E::custom)
    }
}

/// Reads the raw JSON text of a value: a number's digits, or a quoted string.
struct RawSeed<T>(PhantomData<T>);

impl<'de, T: FromText> DeserializeSeed<'de> for RawSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_str(RawVisitor(PhantomData))
    }
}

struct RawVisitor<T>(PhantomData<T>);

impl<T: FromText> Visitor<'_> for RawVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, raw: &str) -> Result<T, E> {
        let raw = raw.trim();
        if raw.starts_with('"') {
            // Borrowed when the string has no escapes; an escaped string still reads.
            match serde_json::from_str::<&str>(raw) {
                Ok(text) => T::from_text(text).map_err(E::custom),
                Err(_) => {
                    let text: String = serde_json::from_str(raw).map_err(E::custom)?;
                    T::from_text(&text).map_err(E::custom)
                }
            }
        } else if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            T::from_text(raw).map_err(E::custom)
        } else {
            // Name the kind of value, never its content (it may be a whole object).
            let kind = match raw.as_bytes().first() {
                Some(b'{') => "an object",
                Some(b'[') => "an array",
                Some(b'n') => "null",
                Some(b't' | b'f') => "a boolean",
                _ => "a value",
            };
            Err(E::invalid_type(de::Unexpected::Other(kind), &T::EXPECTING))
        }
    }
}
