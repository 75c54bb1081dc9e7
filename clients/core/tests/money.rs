//! Money is exact: strings and numbers read from their text and write back in the
//! declared wire shape.

use payspec_core::money::parse_exact;
use payspec_core::{Decimal, DecimalNumber, DecimalString};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Amounts {
    string: DecimalString,
    number: DecimalNumber,
}

#[test]
fn reads_strings_and_numbers_exactly() {
    let amounts: Amounts = serde_json::from_str(r#"{"string":"10.0000000001","number":487.5}"#).unwrap();
    assert_eq!(amounts.string.value(), decimal("10.0000000001"));
    assert_eq!(amounts.number.value(), decimal("487.5"));

    // Either shape is accepted on input, whatever the declared output shape.
    let swapped: Amounts = serde_json::from_str(r#"{"string":800.00,"number":"1000"}"#).unwrap();
    assert_eq!(swapped.string.to_string(), "800.00", "the scale on the wire is kept");
    assert_eq!(swapped.number.value(), decimal("1000"));
}

#[test]
fn writes_the_declared_shape_with_the_exact_text() {
    let amounts = Amounts {
        string: "800.00".parse().unwrap(),
        number: "487.5".parse().unwrap(),
    };
    assert_eq!(serde_json::to_string(&amounts).unwrap(), r#"{"string":"800.00","number":487.5}"#);
    let integral = Amounts { string: DecimalString::from(1000), number: DecimalNumber::from(1000) };
    assert_eq!(serde_json::to_string(&integral).unwrap(), r#"{"string":"1000","number":1000}"#);
}

#[test]
fn numbers_beyond_f64_precision_are_exact() {
    let text = r#"{"string":"12345678901234567890.12345678","number":12345678901234567890.12345678}"#;
    let amounts: Amounts = serde_json::from_str(text).unwrap();
    assert_eq!(amounts.number.to_string(), "12345678901234567890.12345678");
    assert_eq!(serde_json::to_string(&amounts).unwrap(), text);
    // Through a `serde_json::Value` (from_value) the text is still exact.
    let value: serde_json::Value = serde_json::from_str(r#"{"string":"0.1","number":0.1}"#).unwrap();
    let amounts: Amounts = serde_json::from_value(value).unwrap();
    assert_eq!(amounts.number.value(), decimal("0.1"));
}

#[test]
fn exponents_negatives_and_reader_input() {
    let amounts: Amounts = serde_json::from_reader(&br#"{"string":"-0.50","number":1.5e3}"#[..]).unwrap();
    assert_eq!(amounts.string.to_string(), "-0.50");
    assert_eq!(amounts.number.value(), decimal("1500"));
}

#[test]
fn rejects_what_is_not_an_amount() {
    for bad in [
        r#"{"string":"12,5","number":1}"#,
        r#"{"string":"","number":1}"#,
        r#"{"string":true,"number":1}"#,
        r#"{"string":null,"number":1}"#,
        r#"{"string":"1","number":[1]}"#,
        // More digits than a decimal holds is an error, never a silent rounding.
        r#"{"string":"1.00000000000000000000000000001","number":1}"#,
    ] {
        assert!(serde_json::from_str::<Amounts>(bad).is_err(), "{bad}");
    }
}

#[test]
fn only_json_number_grammar_is_an_amount() {
    for bad in ["1_000", "+1", ".5", "1.", "", "1e", "1e+", "-", "--1", "1.2.3", "0x10", "1,5", "NaN", "inf", "1e1.5", "١٢"] {
        assert!(parse_exact(bad).is_err(), "parse_exact({bad:?})");
        assert!(bad.parse::<DecimalString>().is_err(), "{bad:?}");
        assert!(bad.parse::<DecimalNumber>().is_err(), "{bad:?}");
        let json = format!(r#"{{"string":{},"number":1}}"#, serde_json::to_string(bad).unwrap());
        assert!(serde_json::from_str::<Amounts>(&json).is_err(), "{json}");
    }
    // Text is parsed as it is; inside a JSON string, surrounding whitespace is tolerated.
    for padded in [" 1", "1 "] {
        assert!(parse_exact(padded).is_err(), "parse_exact({padded:?})");
        let json = format!(r#"{{"string":"{padded}","number":1}}"#);
        assert_eq!(serde_json::from_str::<Amounts>(&json).unwrap().string.value(), decimal("1"));
    }
    for (good, value) in [("007.5", "7.5"), ("-0", "0"), ("1E2", "100"), ("1e-2", "0.01"), ("1.5e+3", "1500"), ("0.10", "0.10")] {
        assert_eq!(parse_exact(good).unwrap(), decimal(value), "{good:?}");
    }
    assert_eq!(parse_exact("0.10").unwrap().to_string(), "0.10", "the scale is kept");
}

#[test]
fn out_of_range_exponents_are_errors_not_panics() {
    for text in ["1e29", "1e-29", "1e4294967296", "1.5e-4294967295", "1e99999999999999999999", "79228162514264337593543950336"] {
        assert!(parse_exact(text).is_err(), "{text:?}");
    }
    assert_eq!(parse_exact("1e28").unwrap(), decimal("10000000000000000000000000000"));
    assert_eq!(parse_exact("1e-28").unwrap(), decimal("0.0000000000000000000000000001"));
}

#[test]
fn more_precision_than_a_decimal_holds_is_an_error_in_exponent_form_too() {
    let digits = "1.00000000000000000000000000001";
    assert!(parse_exact(digits).is_err());
    for text in [format!("{digits}e0"), format!("{digits}E0"), format!("{digits}e+0")] {
        assert!(parse_exact(&text).is_err(), "{text:?} read as {:?}", parse_exact(&text));
        let json = format!(r#"{{"string":"1","number":{text}}}"#);
        assert!(serde_json::from_str::<Amounts>(&json).is_err(), "{json}");
    }
}

/// Inside `#[serde(untagged)]` (and `flatten`) serde buffers the input and the number
/// text is gone: the shortest round-trip of the `f64` is used.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Buffered {
    Amount { number: DecimalNumber },
}

#[test]
fn buffered_numbers_read_by_shortest_round_trip() {
    let Buffered::Amount { number } = serde_json::from_str(r#"{"number":487.5}"#).unwrap();
    assert_eq!(number.value(), decimal("487.5"));
    let Buffered::Amount { number } = serde_json::from_str(r#"{"number":0.1}"#).unwrap();
    assert_eq!(number.value(), decimal("0.1"), "not 0.1000000000000000055511151231257827");
}

/// Decimal text with at most `digits` significant digits and a random scale.
fn decimal_text(max_digits: u32) -> impl Strategy<Value = String> {
    (1..=max_digits).prop_flat_map(|digits| {
        let max = 10u128.pow(digits) - 1;
        (0..=max, 0..=digits, any::<bool>()).prop_map(|(mantissa, scale, negative)| {
            let value = Decimal::from_i128_with_scale(mantissa as i128, scale);
            let value = if negative && mantissa > 0 { -value } else { value };
            value.to_string()
        })
    })
}

proptest! {

    /// Direct reads are exact for every decimal a `Decimal` holds (up to 28 digits).
    #[test]
    fn direct_reads_are_exact(text in decimal_text(28)) {
        let json = format!(r#"{{"string":"{text}","number":{text}}}"#);
        let amounts: Amounts = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(amounts.string.to_string(), text.clone());
        prop_assert_eq!(amounts.number.to_string(), text.clone());
        prop_assert_eq!(serde_json::to_string(&amounts).unwrap(), json);
    }

    /// Buffered reads (through f64) are exact up to 15 significant digits: the
    /// documented limit of that path.
    #[test]
    fn buffered_reads_are_exact_to_15_digits(text in decimal_text(15)) {
        let Buffered::Amount { number } = serde_json::from_str(&format!(r#"{{"number":{text}}}"#)).unwrap();
        prop_assert_eq!(number.value(), decimal(&text));
    }
}
