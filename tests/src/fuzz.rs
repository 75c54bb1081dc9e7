//! Strategies for fuzzing response parsers with proptest: arbitrary JSON values, and
//! arbitrary values grafted into a documented example so the parser gets past the
//! first field.

use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Any JSON value, nested up to a few levels, with the numbers and strings that break
/// parsers (huge, tiny, negative, exponents, unicode, empty).
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        "[a-z0-9 .:_-]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        Just(Value::String("1e400".into())),
        Just(Value::String("-0.0000000000000000000000000001".into())),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,16}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// `example` with one member (at any depth) replaced by `replacement`, chosen by `pick`.
pub fn mutate(example: &Value, pick: usize, replacement: Value) -> Value {
    let mut value = example.clone();
    let mut slots = Vec::new();
    collect_slots(&value, String::new(), &mut slots);
    if slots.is_empty() {
        return replacement;
    }
    let pointer = &slots[pick % slots.len()];
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = replacement;
    }
    value
}

fn collect_slots(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(pointer.clone());
                collect_slots(child, pointer, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let pointer = format!("{at}/{index}");
                out.push(pointer.clone());
                collect_slots(child, pointer, out);
            }
        }
        _ => {}
    }
}
