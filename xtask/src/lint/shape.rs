//! The exact shape the generator maps a money or secret format in.
//!
//! `with_conversion` matches a schema exactly, ignoring only metadata: `type: string,
//! format: decimal, nullable: true` is not `type: string, format: decimal`, and
//! silently becomes a plain `String`. So a schema with a mapped format carries nothing
//! but its type, format and metadata.

use serde_json::Value;

use super::{walk, Findings, Rule};

/// Keys a mapped schema may carry besides `type` and `format` (metadata the
/// generator ignores when matching).
const METADATA: &[&str] = &[
    "description",
    "example",
    "title",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Reports every schema whose `format` passes `mapped` but whose shape is not exactly
/// `type: <one of types>` + `format` + metadata.
pub(super) fn check(
    doc: &Value,
    findings: &mut Findings<'_>,
    rule: Rule,
    mapped: impl Fn(&str) -> bool,
    types: &[&str],
) {
    for schema in walk::schemas(doc) {
        let Some(format) = schema.value.get("format").and_then(Value::as_str) else {
            continue;
        };
        if !mapped(format) {
            continue;
        }
        let ty = schema.value.get("type").and_then(Value::as_str);
        if !ty.is_some_and(|ty| types.contains(&ty)) {
            findings.report(
                &schema.pointer,
                rule,
                format!(
                    "`format: {format}` needs `type: {}`: no other type is mapped",
                    types.join("` or `type: ")
                ),
            );
        }
        let extra: Vec<&str> = schema
            .value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, _)| key.as_str())
            .filter(|key| !["type", "format"].contains(key) && !METADATA.contains(key))
            .collect();
        if !extra.is_empty() {
            findings.report(
                &schema.pointer,
                rule,
                format!(
                    "`format: {format}` with `{}` is not the exact shape the generator maps, so it \
                     would not become the payspec-core type: keep only type, format, description and \
                     example (a value that may be null or absent is left out of `required`)",
                    extra.join("`, `")
                ),
            );
        }
    }
}
