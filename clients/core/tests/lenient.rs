//! What PHP-backed providers send: integers as strings (and as `3600.0`), codes as
//! numbers. Read by their exact text, never through `f64`.

use std::convert::Infallible;
use std::str::FromStr;

use payspec_core::lenient;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Integer {
    #[serde(deserialize_with = "lenient::integer")]
    value: i64,
}

fn integer(json: &str) -> Result<i64, serde_json::Error> {
    serde_json::from_str::<Integer>(&format!(r#"{{"value":{json}}}"#)).map(|read| read.value)
}

#[test]
fn integers_read_from_numbers_and_numeric_strings() {
    for (json, value) in [
        ("3000", 3000),
        (r#""3000""#, 3000),
        ("3600.0", 3600),
        (r#""3.6e3""#, 3600),
        ("3.6e3", 3600),
        (r#""3600.00""#, 3600),
        ("-12", -12),
        (r#"" 42 ""#, 42),
        ("9223372036854775807", i64::MAX),
        ("-9223372036854775808", i64::MIN),
        // Beyond f64's exact range, still exact.
        (r#""9007199254740993""#, 9_007_199_254_740_993),
        ("9007199254740993", 9_007_199_254_740_993),
    ] {
        assert_eq!(integer(json).unwrap_or_else(|error| panic!("{json}: {error}")), value, "{json}");
    }
}

#[test]
fn what_is_not_an_integer_is_an_error() {
    for json in [
        "3600.5",
        r#""3600.5""#,
        r#""abc""#,
        r#""""#,
        "null",
        "true",
        "[1]",
        r#"{"a":1}"#,
        "9223372036854775808",
        r#""1e19""#,
        r#""0x10""#,
        r#""1_000""#,
    ] {
        assert!(integer(json).is_err(), "{json} read as {:?}", integer(json));
    }
}

#[test]
fn the_error_names_the_kind_of_value_never_its_content() {
    let error = integer(r#"{"secret":"s3cr3t-value"}"#).unwrap_err().to_string();
    assert!(!error.contains("s3cr3t"), "{error}");
}

/// Inside `#[serde(untagged)]` serde buffers the input: the number arrives as `f64`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Buffered {
    Value {
        #[serde(deserialize_with = "lenient::integer")]
        value: i64,
    },
}

#[test]
fn buffered_integers_are_read_too() {
    for (json, value) in [("3000", 3000), (r#""3000""#, 3000), ("3600.0", 3600), (r#""3.6e3""#, 3600)] {
        let Buffered::Value { value: read } = serde_json::from_str(&format!(r#"{{"value":{json}}}"#)).unwrap();
        assert_eq!(read, value, "{json}");
    }
    for json in ["3600.5", r#""abc""#] {
        assert!(serde_json::from_str::<Buffered>(&format!(r#"{{"value":{json}}}"#)).is_err(), "{json}");
    }
}

#[derive(Debug, Deserialize)]
struct Optional {
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    value: Option<i64>,
    #[serde(default, deserialize_with = "lenient::integers")]
    values: Vec<i64>,
}

#[test]
fn optional_integers_and_lists() {
    let read: Optional = serde_json::from_str(r#"{"value":null,"values":[1,"2",3.0,"4e0"]}"#).unwrap();
    assert_eq!(read.value, None);
    assert_eq!(read.values, vec![1, 2, 3, 4]);
    let read: Optional = serde_json::from_str(r#"{"value":"12"}"#).unwrap();
    assert_eq!(read.value, Some(12));
    let read: Optional = serde_json::from_str("{}").unwrap();
    assert_eq!(read.value, None);
    assert!(serde_json::from_str::<Optional>(r#"{"values":[1,"x"]}"#).is_err());
}

/// A generated code enum: an unknown code is kept.
#[derive(Debug, PartialEq, Eq)]
enum Code {
    Ok,
    Declined,
    Other(String),
}

impl FromStr for Code {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Infallible> {
        Ok(match text {
            "200" => Self::Ok,
            "402" => Self::Declined,
            other => Self::Other(other.to_string()),
        })
    }
}

#[derive(Debug, Deserialize)]
struct WithCode {
    #[serde(deserialize_with = "lenient::code")]
    code: Code,
}

#[test]
fn codes_read_the_same_from_strings_and_numbers() {
    for json in [r#""200""#, "200"] {
        let read: WithCode = serde_json::from_str(&format!(r#"{{"code":{json}}}"#)).unwrap();
        assert_eq!(read.code, Code::Ok, "{json}");
    }
    for json in [r#""402""#, "402"] {
        let read: WithCode = serde_json::from_str(&format!(r#"{{"code":{json}}}"#)).unwrap();
        assert_eq!(read.code, Code::Declined, "{json}");
    }
    let read: WithCode = serde_json::from_str(r#"{"code":"E-17"}"#).unwrap();
    assert_eq!(read.code, Code::Other("E-17".to_string()));
    let read: WithCode = serde_json::from_str(r#"{"code":"007"}"#).unwrap();
    assert_eq!(read.code, Code::Other("007".to_string()), "by its exact text");
    assert!(serde_json::from_str::<WithCode>(r#"{"code":null}"#).is_err());
    assert!(serde_json::from_str::<WithCode>(r#"{"code":[200]}"#).is_err());
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum BufferedCode {
    Value {
        #[serde(deserialize_with = "lenient::code")]
        code: Code,
    },
}

#[test]
fn buffered_codes_read_the_same_too() {
    for json in [r#""200""#, "200"] {
        let BufferedCode::Value { code } = serde_json::from_str(&format!(r#"{{"code":{json}}}"#)).unwrap();
        assert_eq!(code, Code::Ok, "{json}");
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Numeric(i64);

impl From<i64> for Numeric {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

#[derive(Debug, Deserialize)]
struct WithIntegerCode {
    #[serde(deserialize_with = "lenient::integer_code")]
    code: Numeric,
}

#[test]
fn integer_codes_read_from_numbers_and_strings() {
    for json in [r#""6061""#, "6061", "6061.0"] {
        let read: WithIntegerCode = serde_json::from_str(&format!(r#"{{"code":{json}}}"#)).unwrap();
        assert_eq!(read.code, Numeric(6061), "{json}");
    }
}
