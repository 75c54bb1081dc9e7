//! Arbitrary bytes to every mediacube answer parser (`payspec_tests::parse`, the same
//! parsers the property tests fuzz). A panic is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| payspec_tests::parse::every_answer("mediacube", bytes));
