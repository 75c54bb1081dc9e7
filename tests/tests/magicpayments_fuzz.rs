//! Every MagicPayments response parser takes arbitrary bytes and arbitrary JSON without
//! panicking; mutated documented responses either parse or are refused, never panic.
//! 2,000 cases per property.

use std::sync::LazyLock;

use payspec_magicpayments::callback::Callback;
use payspec_magicpayments::types;
use payspec_tests::fuzz::{any_json, mutate};
use payspec_tests::{examples, spec, ExampleKind};
use proptest::prelude::*;
use serde_json::Value;

fn parse_all(bytes: &[u8]) {
    let _ = serde_json::from_slice::<types::InvoiceResponse>(bytes);
    let _ = serde_json::from_slice::<types::WithdrawalResponse>(bytes);
    let _ = serde_json::from_slice::<types::Transaction>(bytes);
    let _ = serde_json::from_slice::<types::ErrorResponse>(bytes);
    let _ = serde_json::from_slice::<types::DisputeMessages>(bytes);
    let _ = serde_json::from_slice::<Vec<types::Wallet>>(bytes);
    let _ = serde_json::from_slice::<types::WalletBalance>(bytes);
    let _ = serde_json::from_slice::<types::HistoryPage>(bytes);
    let _ = Callback::from_body(bytes);
    let _ = Callback::from_query(&String::from_utf8_lossy(bytes));
}

/// Read once: the spec is parsed from YAML, too slow to repeat per case.
static DOCUMENTED_RESPONSES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    examples(&spec("magicpayments"))
        .into_iter()
        .filter(|example| matches!(example.kind, ExampleKind::Response(_)))
        .map(|example| example.value)
        .collect()
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        parse_all(value.to_string().as_bytes());
    }

    #[test]
    fn mutated_documented_responses_never_panic(pick in any::<usize>(), which in any::<usize>(), replacement in any_json()) {
        let documented = &*DOCUMENTED_RESPONSES;
        let mutated = mutate(&documented[which % documented.len()], pick, replacement);
        parse_all(mutated.to_string().as_bytes());
    }
}
