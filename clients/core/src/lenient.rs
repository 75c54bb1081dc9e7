//! What PHP-backed providers send: numbers as strings and strings as numbers.
//!
//! The generator applies these to every integer field (`deserialize_with`) and every
//! code enum (string or integer) of every spec, so `"3000"` reads where the docs show
//! `3000` and `200` where they show `"200"`. Values are read by their exact text, never
//! through `f64`: `3600.0` and `3.6e3` are the integer 3600, `3600.5` is an error. What
//! is written back is the shape the spec declares.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use serde::de::Deserializer;
use serde::Deserialize;

use crate::text::{self, FromText};

/// The largest integer an `f64` holds exactly.
const F64_EXACT: f64 = 9_007_199_254_740_992.0;

/// An `i64` read from a JSON number or a numeric string.
struct Integer(i64);

impl FromText for Integer {
    const EXPECTING: &'static str = "an integer as a JSON number or string";

    fn from_text(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(value) = text.parse::<i64>() {
            return Ok(Self(value));
        }
        let decimal = crate::money::parse_exact(text).map_err(|error| error.to_string())?;
        match decimal.fract().is_zero().then(|| decimal.to_i64()).flatten() {
            Some(value) => Ok(Self(value)),
            None => Err(format!("{decimal} is not an integer in range")),
        }
    }

    fn from_f64(value: f64) -> Result<Self, String> {
        if value.fract() == 0.0 && value.abs() <= F64_EXACT {
            Ok(Self(value as i64))
        } else {
            Err(format!("{value} is not an integer"))
        }
    }
}

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text::deserialize(deserializer)
    }
}

/// An integer field: a JSON number or a numeric string.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Integer::deserialize(deserializer).map(|Integer(value)| value)
}

/// An optional or nullable integer field.
pub fn optional_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<Integer>::deserialize(deserializer).map(|value| value.map(|Integer(value)| value))
}

/// A list of integers.
pub fn integers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<i64>, D::Error> {
    Vec::<Integer>::deserialize(deserializer).map(|values| values.into_iter().map(|Integer(value)| value).collect())
}

/// A code read by its exact text, from a JSON string or number: `"200"` and `200` both
/// read as the code "200". Generated enums implement `FromStr` infallibly (an unknown
/// code is kept as `Other`).
pub fn code<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: std::fmt::Display,
{
    text::deserialize::<D, Code<T>>(deserializer).map(|Code(value)| value)
}

struct Code<T>(T);

impl<T: FromStr> FromText for Code<T>
where
    T::Err: std::fmt::Display,
{
    const EXPECTING: &'static str = "a code as a JSON string or number";

    fn from_text(text: &str) -> Result<Self, String> {
        text.parse().map(Code).map_err(|error: T::Err| error.to_string())
    }

    fn from_f64(value: f64) -> Result<Self, String> {
        Self::from_text(&value.to_string())
    }
}

/// An integer code read from a JSON number or a numeric string.
pub fn integer_code<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<i64>,
{
    integer(deserializer).map(T::from)
}

/// A free-form JSON object as PHP sends it: `{...}`, or `[]` for an empty one (PHP's
/// `json_encode` of an empty array). The spec's `type: object, format: php-object`.
/// Written back as an object.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct PhpObject(pub serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for PhpObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Object(serde_json::Map<String, serde_json::Value>),
            EmptyList([(); 0]),
        }
        Ok(match Shape::deserialize(deserializer)? {
            Shape::Object(object) => Self(object),
            Shape::EmptyList([]) => Self::default(),
        })
    }
}

impl std::ops::Deref for PhpObject {
    type Target = serde_json::Map<String, serde_json::Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::fmt::Display for PhpObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", serde_json::Value::Object(self.0.clone()))
    }
}

impl FromStr for PhpObject {
    type Err = serde_json::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        serde_json::from_str(text)
    }
}
