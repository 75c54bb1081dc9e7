//! `description`: every operation, parameter and schema property says what it is, in
//! English: it becomes the generated doc comment users read.
//!
//! A property that is only a `$ref` cannot carry its own description in OpenAPI 3.0
//! (siblings of `$ref` are ignored), so the schema it names must have one.

use serde_json::Value;

use super::{walk, Findings, Rule};
use payspec_spec::openapi::{ref_name, resolve};

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for operation in payspec_spec::openapi::operations(doc) {
        if !has_description(operation.value) {
            let named = operation
                .id()
                .map_or_else(|| operation.route(), |id| format!("operation `{id}`"));
            findings.report(
                &operation.pointer,
                Rule::Description,
                format!("{named} has no description"),
            );
        }
    }
    for parameter in walk::parameters(doc) {
        if !has_description(parameter.value) {
            let name = parameter.value["name"].as_str().unwrap_or("?");
            findings.report(
                &parameter.pointer,
                Rule::Description,
                format!("parameter `{name}` has no description"),
            );
        }
    }
    for property in walk::properties(doc) {
        if has_description(property.schema) || has_description(resolve(doc, property.schema)) {
            continue;
        }
        let name = property.name;
        let message = match ref_name(property.schema) {
            Some(target) => {
                format!("property `{name}` has no description: it is a $ref, so describe schema `{target}`")
            }
            None => format!("property `{name}` has no description"),
        };
        findings.report(&property.pointer, Rule::Description, message);
    }
}

fn has_description(value: &Value) -> bool {
    value
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|text| !text.trim().is_empty())
}
