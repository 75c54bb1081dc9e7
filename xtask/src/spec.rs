//! Loading a spec for the generator: payspec-spec's loading, plus a check that the
//! document reads as OpenAPI (what progenitor will be given).

use std::path::Path;

use anyhow::anyhow;
use serde_json::Value;

/// Reads and parses `path` as an OpenAPI 3.0.x document, as JSON.
pub fn load(path: &Path, display_path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|error| anyhow!("reading {}: {error}", display_path.display()))?;
    parse(&text, display_path)
}

/// Parses `text` (the contents of `display_path`) as an OpenAPI 3.0.x document.
pub fn parse(text: &str, display_path: &Path) -> anyhow::Result<Value> {
    let doc = payspec_spec::parse(text, display_path)?;
    // Read as OpenAPI from the text, so a wrong shape is reported with its location.
    serde_yaml_ng::from_str::<openapiv3::OpenAPI>(text).map_err(|error| match error.location() {
        Some(at) => anyhow!("{}:{}:{}: {error}", display_path.display(), at.line(), at.column()),
        None => anyhow!("{}: {error}", display_path.display()),
    })?;
    Ok(doc)
}
