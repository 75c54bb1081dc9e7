//! An OpenAPI document read as plain JSON: its operations and its local `$ref`s.
//!
//! `lint` and `diff` read specs this way rather than through `openapiv3` types: they
//! look at what is written (keys the typed model drops, such as `example` beside a
//! `$ref`, and `x-payspec-*` extensions) and they need JSON pointers for locations.

use serde_json::Value;

/// The HTTP methods a path item may hold, in OpenAPI's order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A JSON pointer segment for `key` (`/` and `~` escaped, RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// One operation of a spec.
pub struct Operation<'a> {
    /// Its path template (`/payments/{id}`).
    pub path: &'a str,
    /// Its method, lower case as written.
    pub method: &'a str,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// The operation object.
    pub value: &'a Value,
    /// The path item it belongs to (for path-level parameters).
    pub path_item: &'a Value,
}

impl<'a> Operation<'a> {
    /// Its `operationId`, if it has one.
    pub fn id(&self) -> Option<&'a str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// `POST /payments`, for messages.
    pub fn route(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Every operation of `doc`, in document order.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for (path, path_item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, value) in path_item.as_object().into_iter().flatten() {
            if METHODS.contains(&method.as_str()) {
                out.push(Operation {
                    path,
                    method,
                    pointer: format!("/paths/{}/{method}", escape(path)),
                    value,
                    path_item,
                });
            }
        }
    }
    out
}

/// Follows local `$ref`s (`#/components/...`) until a value that is not a reference;
/// a reference that leads nowhere (or in a circle) resolves to itself.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..32 {
        let Some(target) = reference(current).and_then(|pointer| doc.pointer(pointer)) else {
            return current;
        };
        current = target;
    }
    value
}

/// The JSON pointer a local `$ref` names (`#/components/schemas/X` -> `/components/schemas/X`).
pub fn reference(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()?.strip_prefix('#')
}

/// The last segment of a `$ref`: the name of the schema (or response, parameter) it names.
pub fn ref_name(value: &Value) -> Option<&str> {
    reference(value)?.rsplit('/').next()
}
