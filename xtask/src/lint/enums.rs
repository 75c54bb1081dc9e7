//! `enum-descriptions`: an enum's `x-enum-descriptions` gives each value its meaning,
//! by position, and the generator turns them into the variants' docs and `meaning()`.
//! A list longer or shorter than `enum` shifts or drops meanings without a word, so it
//! has exactly one entry, a string, per value.

use serde_json::Value;

use super::{walk, Findings, Rule};
use crate::model::ENUM_DESCRIPTIONS;

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for schema in walk::schemas(doc) {
        let Some(descriptions) = schema.value.get(ENUM_DESCRIPTIONS) else { continue };
        let pointer = format!("{}/{ENUM_DESCRIPTIONS}", schema.pointer);
        let Some(values) = schema.value.get("enum").and_then(Value::as_array) else {
            findings.report(&pointer, Rule::EnumDescriptions, format!("{ENUM_DESCRIPTIONS} on a schema without `enum`: remove it"));
            continue;
        };
        let Some(descriptions) = descriptions.as_array() else {
            findings.report(
                &pointer,
                Rule::EnumDescriptions,
                format!("{ENUM_DESCRIPTIONS} is not a list: write one meaning per `enum` value, in order"),
            );
            continue;
        };
        if descriptions.len() != values.len() {
            findings.report(
                &pointer,
                Rule::EnumDescriptions,
                format!(
                    "{ENUM_DESCRIPTIONS} has {} entries for {} `enum` values, so meanings would be shifted or \
                     lost: write exactly one per value, in the order of `enum`",
                    descriptions.len(),
                    values.len()
                ),
            );
        }
        for (index, description) in descriptions.iter().enumerate() {
            if !description.is_string() {
                findings.report(
                    &format!("{pointer}/{index}"),
                    Rule::EnumDescriptions,
                    format!("{ENUM_DESCRIPTIONS} entry {description} is not a string"),
                );
            }
        }
    }
}
