//! `reference`: every local `$ref` (`#/components/...`) names something the document
//! has. A dangling one would make progenitor panic while generating; here it is a
//! finding at the line of the `$ref`.

use serde_json::Value;

use super::{Findings, Rule};

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    let mut references = Vec::new();
    collect(doc, String::new(), &mut references);
    for (pointer, target) in references {
        let resolves = target.strip_prefix('#').is_some_and(|target| doc.pointer(target).is_some());
        if !resolves {
            findings.report(
                &pointer,
                Rule::Reference,
                format!("$ref {target:?} names nothing in this document (only local `#/...` references are read)"),
            );
        }
    }
}

/// Every `$ref` below `value`: (the JSON pointer of the `$ref` key, its target).
fn collect(value: &Value, at: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let pointer = format!("{at}/{}", payspec_spec::openapi::escape(key));
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => out.push((pointer, target.clone())),
                    _ => collect(child, pointer, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}
