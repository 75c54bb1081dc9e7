//! Arbitrary text to payspec-core's exact money: parsing never panics, and what parses
//! writes back as the same decimal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payspec_core::{DecimalNumber, DecimalString};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Ok(amount) = text.parse::<DecimalString>() {
        let written = serde_json::to_string(&amount).expect("writes");
        let read: DecimalString = serde_json::from_str(&written).expect("reads back");
        assert_eq!(read, amount, "{text:?}");
    }
    if let Ok(amount) = serde_json::from_str::<DecimalNumber>(text) {
        let written = serde_json::to_string(&amount).expect("writes");
        assert_eq!(serde_json::from_str::<DecimalNumber>(&written).expect("reads back"), amount);
    }
});
