//! Loading a spec, with errors that point at the file, line and column.

use std::path::Path;

use anyhow::{anyhow, Context};
use serde_json::Value;

/// Reads and parses `path` as an OpenAPI 3.0.x document, as JSON.
pub fn load(path: &Path, display_path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", display_path.display()))?;
    parse(&text, display_path)
}

/// Parses `text` (the contents of `display_path`) as an OpenAPI 3.0.x document: valid
/// YAML, OpenAPI 3.0.x, and readable as OpenAPI (every `$ref` resolvable later).
pub fn parse(text: &str, display_path: &Path) -> anyhow::Result<Value> {
    let at = |error: serde_yaml::Error| match error.location() {
        Some(location) => anyhow!("{}:{}:{}: {error}", display_path.display(), location.line(), location.column()),
        None => anyhow!("{}: {error}", display_path.display()),
    };
    let doc: Value = serde_yaml::from_str(text).map_err(at)?;
    let version = doc["openapi"].as_str().unwrap_or_default();
    if !version.starts_with("3.0.") {
        return Err(anyhow!(
            "{}:1:1: OpenAPI version {version:?} is not supported (progenitor reads 3.0.x only)",
            display_path.display(),
        ));
    }
    serde_yaml::from_str::<openapiv3::OpenAPI>(text).map_err(at)?;
    Ok(doc)
}
