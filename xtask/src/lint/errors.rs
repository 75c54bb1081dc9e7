//! `error-pointer`: an error schema's `x-payspec-error` says which of its fields is the
//! provider's code and which its message (`{code: /error/type, message: /error/message}`),
//! and the generated `Display` reads them. Each is a JSON pointer whose every segment
//! names a property of the schema (through `$ref`s, `allOf` and list items); the
//! generator fails on one that names nothing.

use serde_json::Value;

use super::{walk, Findings, Rule};
use crate::model::ERROR;
use crate::yaml_lines::escape;

/// The keys `x-payspec-error` has.
const KEYS: [&str; 2] = ["code", "message"];

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for (name, schema) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        let Some(error) = schema.get(ERROR) else { continue };
        let at = format!("/components/schemas/{}/{ERROR}", escape(name));
        let Some(error) = error.as_object() else {
            findings.report(&at, Rule::ErrorPointer, format!("`{name}`: {ERROR} is not an object: write `{{code: /field, message: /field}}`"));
            continue;
        };
        for (key, pointer) in error {
            let key_at = format!("{at}/{}", escape(key));
            if key == "says" {
                says(doc, schema, name, &key_at, pointer, findings);
                continue;
            }
            if !KEYS.contains(&key.as_str()) {
                findings.report(&key_at, Rule::ErrorPointer, format!("`{name}`: {ERROR} has `{key}`, which is not `code`, `message` or `says`"));
                continue;
            }
            let Some(pointer) = pointer.as_str() else {
                findings.report(&key_at, Rule::ErrorPointer, format!("`{name}`: {ERROR} `{key}` is not a JSON pointer (`/field`)"));
                continue;
            };
            if walk::property_at(doc, schema, pointer).is_none() {
                findings.report(
                    &key_at,
                    Rule::ErrorPointer,
                    format!(
                        "`{name}`: {ERROR} `{key}` points at `{pointer}`, which is not a field of the schema: \
                         write a JSON pointer through its properties (e.g. `/error/message`)"
                    ),
                );
            }
        }
    }
}

/// `says`: conditions (`{field, in | present | minimum}`) on fields of the schema.
fn says(doc: &Value, schema: &Value, name: &str, at: &str, conditions: &Value, findings: &mut Findings<'_>) {
    let Some(conditions) = conditions.as_array() else {
        findings.report(at, Rule::ErrorPointer, format!("`{name}`: `says` is not a list of conditions"));
        return;
    };
    for (index, condition) in conditions.iter().enumerate() {
        let pointer = condition.get("field").and_then(Value::as_str).unwrap_or_default();
        if walk::property_at(doc, schema, pointer).is_none() {
            findings.report(
                &format!("{at}/{index}"),
                Rule::ErrorPointer,
                format!("`{name}`: `says` condition on `{pointer}`, which is not a field of the schema"),
            );
        }
    }
}

