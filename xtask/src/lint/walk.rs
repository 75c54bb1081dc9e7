//! Where the things the rules look at are written: parameters, media types (request
//! and response bodies), every schema, and every named property. Each is found where
//! it is written, with its JSON pointer; `$ref`s are not followed, so each thing is
//! visited once.

use serde_json::Value;

use crate::yaml_lines::escape;
use payspec_spec::openapi::{reference, resolve};

/// A node of the document and its JSON pointer.
pub struct At<'a> {
    /// JSON pointer of `value`.
    pub pointer: String,
    /// The node.
    pub value: &'a Value,
}

/// A schema property (or a parameter): the name a client field gets, and its schema.
pub struct Named<'a> {
    /// The property or parameter name.
    pub name: &'a str,
    /// JSON pointer of the property (or parameter).
    pub pointer: String,
    /// Its schema, as written (possibly a `$ref`).
    pub schema: &'a Value,
}

/// Every parameter object written in the document (components, path items, operations).
pub fn parameters(doc: &Value) -> Vec<At<'_>> {
    let mut out = entries(doc, "", "/components/parameters");
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let item_pointer = format!("/paths/{}", escape(path));
        out.extend(items(item, &item_pointer, "/parameters"));
        for method in payspec_spec::openapi::METHODS {
            if let Some(operation) = child(item, &item_pointer, method) {
                out.extend(items(operation.value, &operation.pointer, "/parameters"));
            }
        }
    }
    out.retain(|parameter| reference(parameter.value).is_none());
    out
}

/// Every media type object (a request or response body's `content/<type>`).
pub fn media_types(doc: &Value) -> Vec<At<'_>> {
    let mut holders = entries(doc, "", "/components/requestBodies");
    holders.extend(entries(doc, "", "/components/responses"));
    for operation in payspec_spec::openapi::operations(doc) {
        holders.extend(child(operation.value, &operation.pointer, "requestBody"));
        holders.extend(entries(operation.value, &operation.pointer, "/responses"));
    }
    holders
        .iter()
        .flat_map(|holder| entries(holder.value, &holder.pointer, "/content"))
        .collect()
}

/// Every schema written in the document, nested ones included.
pub fn schemas(doc: &Value) -> Vec<At<'_>> {
    let mut roots = entries(doc, "", "/components/schemas");
    for holder in parameters(doc).into_iter().chain(media_types(doc)) {
        roots.extend(child(holder.value, &holder.pointer, "schema"));
    }
    let mut out = Vec::new();
    for root in roots {
        descend(root, &mut out);
    }
    out
}

/// Every schema property and every parameter, with the schema its value has.
pub fn named(doc: &Value) -> Vec<Named<'_>> {
    let mut out = properties(doc);
    for parameter in parameters(doc) {
        if let (Some(name), Some(schema)) = (
            parameter.value["name"].as_str(),
            parameter.value.get("schema"),
        ) {
            out.push(Named {
                name,
                pointer: parameter.pointer,
                schema,
            });
        }
    }
    out
}

/// Every schema property, with its schema.
pub fn properties(doc: &Value) -> Vec<Named<'_>> {
    let mut out = Vec::new();
    for schema in schemas(doc) {
        for (name, property) in schema.value["properties"].as_object().into_iter().flatten() {
            out.push(Named {
                name,
                pointer: format!("{}/properties/{}", schema.pointer, escape(name)),
                schema: property,
            });
        }
    }
    out
}

fn descend<'a>(schema: At<'a>, out: &mut Vec<At<'a>>) {
    if reference(schema.value).is_some() || !schema.value.is_object() {
        return;
    }
    let (value, pointer) = (schema.value, schema.pointer.clone());
    out.push(schema);
    let mut children = entries(value, &pointer, "/properties");
    for key in ["items", "additionalProperties", "not"] {
        children.extend(child(value, &pointer, key));
    }
    for key in ["/allOf", "/anyOf", "/oneOf"] {
        children.extend(items(value, &pointer, key));
    }
    for nested in children {
        descend(nested, out);
    }
}

/// The members of the object at `relative` inside `value` (which is at `base`).
fn entries<'a>(value: &'a Value, base: &str, relative: &str) -> Vec<At<'a>> {
    value
        .pointer(relative)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(key, value)| At {
            pointer: format!("{base}{relative}/{}", escape(key)),
            value,
        })
        .collect()
}

/// The items of the array at `relative` inside `value` (which is at `base`).
fn items<'a>(value: &'a Value, base: &str, relative: &str) -> Vec<At<'a>> {
    value
        .pointer(relative)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, value)| At {
            pointer: format!("{base}{relative}/{index}"),
            value,
        })
        .collect()
}

/// `value[key]` (`value` is at `base`), when present.
fn child<'a>(value: &'a Value, base: &str, key: &str) -> Option<At<'a>> {
    value.get(key).map(|value| At {
        pointer: format!("{base}/{}", escape(key)),
        value,
    })
}

/// The properties `schema` declares (following `$ref`s, and through `allOf`, `anyOf`
/// and `oneOf`), by name, with their schemas as written.
pub fn properties_of<'a>(doc: &'a Value, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut out = Vec::new();
    collect_properties(doc, schema, &mut out, 0);
    out
}

fn collect_properties<'a>(doc: &'a Value, schema: &'a Value, out: &mut Vec<(&'a str, &'a Value)>, depth: usize) {
    // Deep enough for any real composition; a cycle of `$ref`s stops here.
    if depth > 16 {
        return;
    }
    let schema = resolve(doc, schema);
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        out.push((name, property));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            collect_properties(doc, part, out, depth + 1);
        }
    }
}

/// The schema of the property at `pointer` (`/data/status`) inside `schema`: each
/// segment names a property (a list's items are gone through, as the generated code
/// does); `None` if a segment names no property.
pub fn property_at<'a>(doc: &'a Value, schema: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut current = schema;
    for segment in pointer.strip_prefix('/')?.split('/') {
        let mut inner = resolve(doc, current);
        if inner.get("type").and_then(Value::as_str) == Some("array") {
            inner = resolve(doc, inner.get("items")?);
        }
        current = properties_of(doc, inner)
            .into_iter()
            .find(|(name, _)| *name == segment)
            .map(|(_, property)| property)?;
    }
    Some(current)
}
