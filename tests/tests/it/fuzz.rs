//! Every answer parser of every provider, fuzzed: arbitrary bytes, arbitrary JSON, and
//! documented examples with one member replaced at any depth. Nothing may panic. The
//! cargo-fuzz targets in `fuzz/` run the same parsers (`payspec_tests::parse`).

use proptest::prelude::*;

use payspec_tests::fuzz::{any_json, mutate};
use payspec_tests::parse::{every_answer, PROVIDERS};
use payspec_tests::{examples, spec, ExampleKind};

/// A quick count by default; `PROPTEST_CASES` sets the full one.
fn config() -> ProptestConfig {
    ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256), failure_persistence: None, ..ProptestConfig::default() }
}

fn documented() -> Vec<(&'static str, serde_json::Value)> {
    PROVIDERS
        .iter()
        .flat_map(|provider| {
            examples(&spec(provider))
                .into_iter()
                .filter(|example| example.kind != ExampleKind::Request)
                .map(move |example| (*provider, example.value))
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for provider in PROVIDERS {
            every_answer(provider, &bytes);
        }
    }

    #[test]
    fn arbitrary_json(value in any_json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        for provider in PROVIDERS {
            every_answer(provider, &bytes);
        }
    }

    #[test]
    fn documented_answers_with_one_member_replaced(pick in any::<usize>(), at in any::<usize>(), replacement in any_json()) {
        let documented = documented();
        let (provider, example) = &documented[pick % documented.len()];
        let bytes = serde_json::to_vec(&mutate(example, at, replacement)).unwrap();
        every_answer(provider, &bytes);
    }
}
