//! payspec-spec: reading payspec's OpenAPI specs, shared by the generator (xtask), the
//! tests and the mock server.
//!
//! - [`load`] and [`parse`]: a spec as JSON, with errors that say `file:line:column`;
//! - [`openapi`]: its operations and its local `$ref`s;
//! - `json_schema` (feature `json-schema`, on by default): its schemas as JSON Schema
//!   validators (OpenAPI 3.0's `nullable` rewritten), to check examples and requests
//!   against the spec itself.

#[cfg(feature = "json-schema")]
pub mod json_schema;
pub mod openapi;

use std::path::Path;

use serde_json::Value;

/// A spec that does not load.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The path shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not YAML, or not OpenAPI 3.0.x.
    #[error("{0}")]
    Invalid(String),
}

/// Reads and parses `path` (shown as `display_path` in errors) as an OpenAPI 3.0.x
/// document, as JSON.
pub fn load(path: &Path, display_path: &Path) -> Result<Value, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: display_path.display().to_string(),
        source,
    })?;
    parse(&text, display_path)
}

/// Parses `text` (the contents of `display_path`) as an OpenAPI 3.0.x document: valid
/// YAML whose `openapi` is 3.0.x.
pub fn parse(text: &str, display_path: &Path) -> Result<Value, SpecError> {
    let doc: Value = parse_yaml(text).map_err(|error| {
        SpecError::Invalid(match error.location() {
            Some(at) => format!("{}:{}:{}: {error}", display_path.display(), at.line(), at.column()),
            None => format!("{}: {error}", display_path.display()),
        })
    })?;
    let version = doc["openapi"].as_str().unwrap_or_default();
    if !version.starts_with("3.0.") {
        return Err(SpecError::Invalid(format!(
            "{}:1:1: OpenAPI version {version:?} is not supported (progenitor reads 3.0.x only)",
            display_path.display()
        )));
    }
    Ok(doc)
}

/// Parses YAML (or JSON) text into JSON, whatever it describes.
pub fn parse_yaml(text: &str) -> Result<Value, serde_yaml_ng::Error> {
    serde_yaml_ng::from_str(text)
}
