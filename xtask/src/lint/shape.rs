//! The exact shape the generator maps a money or secret format in.
//!
//! `with_conversion` matches a schema exactly, ignoring only metadata: `type: string,
//! format: decimal, nullable: true` is not `type: string, format: decimal`, and
//! silently becomes a plain `String`. So a schema with a mapped format carries nothing
//! but its type, format and metadata, and the keywords payspec checks itself (removed
//! before progenitor sees the spec, see [`crate::prepare::strip_checks`]): `pattern: '\S'`
//! (not blank) and, on an amount, `minimum: 0` with `exclusiveMinimum: true` (more than
//! zero). Any other bound on an amount would be removed unchecked, so it is reported.

use serde_json::Value;

use super::{walk, Findings, Rule};
use crate::prepare::NOT_BLANK;

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
        // Exactly what the generator turns into `check::positive` (`minimum: 0`, an integer).
        let positive = format == "decimal" && schema.value["minimum"] == 0 && schema.value["exclusiveMinimum"] == true;
        if format == "decimal" && !positive {
            let bounds: Vec<String> = ["minimum", "exclusiveMinimum"]
                .iter()
                .filter_map(|key| schema.value.get(*key).map(|value| format!("{key}: {value}")))
                .collect();
            if !bounds.is_empty() {
                findings.report(
                    &schema.pointer,
                    rule,
                    format!(
                        "`format: decimal` with `{}`: the only bound checked before sending is \
                         `minimum: 0, exclusiveMinimum: true` (more than zero); any other is dropped unchecked",
                        bounds.join("`, `")
                    ),
                );
            }
        }
        let checked = |key: &str, value: &Value| match key {
            "pattern" => value.as_str() == Some(NOT_BLANK),
            "minimum" | "exclusiveMinimum" => format == "decimal",
            _ => false,
        };
        let extra: Vec<&str> = schema
            .value
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(key, value)| !["type", "format"].contains(&key.as_str()) && !METADATA.contains(&key.as_str()) && !checked(key, value))
            .map(|(key, _)| key.as_str())
            .collect();
        if !extra.is_empty() {
            findings.report(
                &schema.pointer,
                rule,
                format!(
                    "`format: {format}` with `{}` is not the exact shape the generator maps, so it \
                     would not become the payspec-core type: keep only type, format, description and \
                     example, and the checked `pattern: '\\S'` or (on an amount) `minimum: 0, \
                     exclusiveMinimum: true` (a value that may be null or absent is left out of `required`)",
                    extra.join("`, `")
                ),
            );
        }
    }
}
