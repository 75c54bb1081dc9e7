//! `secret-format`: secrets never leak. A string property or parameter named like a
//! credential or card data (`password`, `pin`, `cvv`, `client_secret`, `api_key`,
//! `token`, `pan`, `card`, ...; see [`super::names`]) uses one of the secret formats,
//! which the generator maps to payspec-core types that print redacted.

use serde_json::Value;

use super::{names, shape, Findings, Rule};
use payspec_spec::openapi::resolve;
use crate::settings::CONVERSIONS;

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    let formats = secret_formats();
    for named in super::walk::named(doc) {
        if !names::is_secret(named.name) {
            continue;
        }
        let schema = resolve(doc, named.schema);
        if schema.get("type").and_then(Value::as_str) != Some("string") {
            continue;
        }
        let format = schema.get("format").and_then(Value::as_str);
        if !format.is_some_and(|format| formats.contains(&format)) {
            findings.report(
                &named.pointer,
                Rule::SecretFormat,
                format!(
                    "`{}` looks like a secret but has {}: use one of the secret formats ({}) so it prints redacted",
                    named.name,
                    format.map_or_else(|| "no format".to_string(), |format| format!("`format: {format}`")),
                    formats.join(", ")
                ),
            );
        }
    }
    shape::check(
        doc,
        findings,
        Rule::SecretFormat,
        |format| formats.contains(&format),
        &["string"],
    );
}

/// The formats the generator maps to payspec-core's redacting secret types.
fn secret_formats() -> Vec<&'static str> {
    CONVERSIONS
        .iter()
        .filter(|conversion| conversion.rust_type.contains("::secret::"))
        .map(|conversion| conversion.format)
        .collect()
}
