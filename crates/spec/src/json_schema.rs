//! OpenAPI 3.0 schemas as JSON Schema validators, to check a spec's examples against
//! the spec's own schemas.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few keywords; the one that
//! changes validation is `nullable: true`, rewritten here to a `null` alternative.
//! `$ref`s (`#/components/...`) resolve because every validator's root carries the
//! spec's components.

use serde_json::{json, Map, Value};

/// Builds validators for the schemas of one spec.
pub struct Validators {
    /// The spec's `components`, already rewritten to JSON Schema.
    components: Value,
}

impl Validators {
    /// Validators that resolve `$ref`s against `doc`'s components.
    pub fn for_spec(doc: &Value) -> Self {
        Self {
            components: rewrite(&doc["components"]),
        }
    }

    /// The problems of `instance` against `schema`, as `message at /pointer` lines;
    /// empty when it is valid. A schema that does not compile is one problem.
    pub fn problems(&self, schema: &Value, instance: &Value) -> Vec<String> {
        let mut root = rewrite(schema);
        if let Value::Object(object) = &mut root {
            object.insert("components".into(), self.components.clone());
        }
        let validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&root)
        {
            Ok(validator) => validator,
            Err(error) => return vec![format!("the schema does not compile: {error}")],
        };
        validator
            .iter_errors(instance)
            .map(|error| {
                let at = error.instance_path.to_string();
                if at.is_empty() {
                    error.to_string()
                } else {
                    format!("{error} at {at}")
                }
            })
            .collect()
    }
}

/// OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes a `null` alternative, and
/// `format: php-object` also accepts `[]`.
pub fn rewrite(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(rewrite).collect()),
        Value::Object(object) => {
            let mut out: Map<String, Value> = object
                .iter()
                .filter(|(key, _)| key.as_str() != "nullable")
                .map(|(key, value)| (key.clone(), rewrite(value)))
                .collect();
            // PHP's empty map: an object, or `[]` for an empty one.
            if object.get("format").and_then(Value::as_str) == Some("php-object") {
                out.insert("type".into(), json!(["object", "array"]));
                out.insert("maxItems".into(), json!(0));
            }
            if object.get("nullable") == Some(&Value::Bool(true)) {
                match out.get("type").cloned() {
                    Some(Value::String(ty)) => {
                        out.insert("type".into(), json!([ty, "null"]));
                    }
                    _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}
