//! Compares the schema of one request or response body (or parameter) between two
//! versions of a spec, following `$ref`s: types, fields, required-ness, enum values
//! and descriptions, each change classified by the way the schema travels.

use std::collections::HashSet;

use serde_json::Value;

use super::change::{Changes, Direction, Severity};
use payspec_spec::openapi::{ref_name, resolve};

/// The two documents being compared.
#[derive(Clone, Copy)]
pub struct Docs<'a> {
    /// The spec at the old revision.
    pub old: &'a Value,
    /// The spec in the working tree.
    pub new: &'a Value,
}

/// One use of a schema: which operation, which way, and how it is reported.
pub struct SchemaUse<'a> {
    /// Request or response.
    pub direction: Direction,
    /// `` `create_payout` request ``: listed beside changes to shared schemas.
    pub used_by: &'a str,
}

/// Records every change between `old` and `new`, the schema of `use_`, under `label`
/// (Markdown ending in a code span, e.g. `` `create_payout` request `body` ``).
pub fn compare(
    docs: Docs<'_>,
    use_: &SchemaUse<'_>,
    label: &str,
    old: &Value,
    new: &Value,
    changes: &mut Changes,
) {
    let mut walk = Walk {
        docs,
        use_,
        changes,
        entered: HashSet::new(),
    };
    walk.compare(label, false, old, new);
}

/// A type as a reader names it: `string (decimal)`, `array of Payout`, `Payout or null`.
pub fn signature(schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return name.to_string();
    }
    let nullable = if schema["nullable"] == Value::Bool(true) {
        " or null"
    } else {
        ""
    };
    for (key, joiner) in [
        ("oneOf", "one of"),
        ("anyOf", "any of"),
        ("allOf", "all of"),
    ] {
        if let Some(variants) = schema[key].as_array() {
            let variants: Vec<String> = variants.iter().map(signature).collect();
            return format!("{joiner} ({}){nullable}", variants.join(", "));
        }
    }
    let base = match schema["type"].as_str() {
        Some("array") => format!("array of {}", signature(&schema["items"])),
        Some("object") | None
            if schema["additionalProperties"].is_object() && schema.get("properties").is_none() =>
        {
            format!("map of {}", signature(&schema["additionalProperties"]))
        }
        Some(ty) => match schema["format"].as_str() {
            Some(format) => format!("{ty} ({format})"),
            None => ty.to_string(),
        },
        None if schema.get("properties").is_some() => "object".to_string(),
        None => "any".to_string(),
    };
    format!("{base}{nullable}")
}

struct Walk<'a, 'b> {
    docs: Docs<'a>,
    use_: &'b SchemaUse<'b>,
    changes: &'b mut Changes,
    /// Named schemas already compared for this use (shared schemas, cycles).
    entered: HashSet<String>,
}

impl Walk<'_, '_> {
    /// `named`: whether `label` is inside a named (shared) schema, whose changes list
    /// the operations that reach them.
    fn compare(&mut self, label: &str, named: bool, old: &Value, new: &Value) {
        let (old_sig, new_sig) = (signature(old), signature(new));
        if old_sig != new_sig {
            let what = format!("type changed from `{old_sig}` to `{new_sig}`");
            self.add(Severity::Breaking, label, named, what);
            // A renamed schema is still compared field by field; other retypes say it all.
            if ref_name(old).is_none() || ref_name(new).is_none() {
                return;
            }
        }
        let (label, named) = match ref_name(new) {
            Some(name) => {
                if !self.entered.insert(name.to_string()) {
                    return;
                }
                (format!("`{name}`"), true)
            }
            None => (label.to_string(), named),
        };
        let (old, new) = (resolve(self.docs.old, old), resolve(self.docs.new, new));
        if old["description"] != new["description"] {
            self.add(
                Severity::NonBreaking,
                &label,
                named,
                "description changed".to_string(),
            );
        }
        self.compare_enums(&label, named, old, new);
        self.compare_properties(&label, named, old, new);
        for (key, suffix) in [("items", "[]"), ("additionalProperties", "{}")] {
            if old[key].is_object() && new[key].is_object() {
                self.compare(&child(&label, suffix), named, &old[key], &new[key]);
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            let pairs = old[key]
                .as_array()
                .into_iter()
                .flatten()
                .zip(new[key].as_array().into_iter().flatten());
            for (index, (old, new)) in pairs.enumerate() {
                self.compare(&child(&label, &format!("<{key} {index}>")), named, old, new);
            }
        }
    }

    fn compare_enums(&mut self, label: &str, named: bool, old: &Value, new: &Value) {
        let values = |schema: &Value| schema["enum"].as_array().cloned().unwrap_or_default();
        let (old_values, new_values) = (values(old), values(new));
        for value in old_values
            .iter()
            .filter(|value| !new_values.contains(value))
        {
            let severity = match self.use_.direction {
                Direction::Request => Severity::Breaking,
                Direction::Response => Severity::NonBreaking,
            };
            self.add(
                severity,
                label,
                named,
                format!("enum value `{}` removed", plain(value)),
            );
        }
        for value in new_values
            .iter()
            .filter(|value| !old_values.contains(value))
        {
            self.add(
                Severity::NonBreaking,
                label,
                named,
                format!("enum value `{}` added", plain(value)),
            );
        }
    }

    fn compare_properties(&mut self, label: &str, named: bool, old: &Value, new: &Value) {
        let required = |schema: &Value, name: &str| {
            schema["required"]
                .as_array()
                .is_some_and(|names| names.iter().any(|n| n == name))
        };
        let request = self.use_.direction == Direction::Request;
        let empty = serde_json::Map::new();
        let old_properties = old["properties"].as_object().unwrap_or(&empty);
        let new_properties = new["properties"].as_object().unwrap_or(&empty);
        for (name, old_property) in old_properties {
            let field = child(label, &format!(".{name}"));
            let Some(new_property) = new_properties.get(name) else {
                self.add(Severity::Breaking, &field, named, "removed".to_string());
                continue;
            };
            match (required(old, name), required(new, name)) {
                (true, false) => {
                    let severity = if request {
                        Severity::NonBreaking
                    } else {
                        Severity::Breaking
                    };
                    self.add(severity, &field, named, "made optional".to_string());
                }
                (false, true) => {
                    let severity = if request {
                        Severity::Breaking
                    } else {
                        Severity::NonBreaking
                    };
                    self.add(severity, &field, named, "made required".to_string());
                }
                _ => {}
            }
            self.compare(&field, named, old_property, new_property);
        }
        for name in new_properties
            .keys()
            .filter(|name| !old_properties.contains_key(*name))
        {
            let field = child(label, &format!(".{name}"));
            if required(new, name) {
                let severity = if request {
                    Severity::Breaking
                } else {
                    Severity::NonBreaking
                };
                self.add(severity, &field, named, "added (required)".to_string());
            } else {
                self.add(
                    Severity::NonBreaking,
                    &field,
                    named,
                    "added (optional)".to_string(),
                );
            }
        }
    }

    fn add(&mut self, severity: Severity, label: &str, named: bool, what: String) {
        let used_by = named.then_some(self.use_.used_by);
        self.changes.add(severity, label.to_string(), what, used_by);
    }
}

/// `` `Payout` `` + `.amount` -> `` `Payout.amount` ``: labels end in a code span.
fn child(label: &str, suffix: &str) -> String {
    match label.strip_suffix('`') {
        Some(open) => format!("{open}{suffix}`"),
        None => format!("{label}{suffix}"),
    }
}

/// An enum value as written: strings without quotes.
fn plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}
