//! Loading a spec for the generator: payspec-spec's loading, plus a check that the
//! document reads as OpenAPI (what progenitor will be given).

use std::path::Path;

use anyhow::anyhow;
use serde_json::Value;

/// Reads and parses `path` as an OpenAPI 3.0.x document, as JSON.
pub fn load(path: &Path, display_path: &Path) -> anyhow::Result<Value> {
    let doc = payspec_spec::load(path, display_path)?;
    check(&doc, display_path)?;
    Ok(doc)
}

/// Parses `text` (the contents of `display_path`) as an OpenAPI 3.0.x document.
pub fn parse(text: &str, display_path: &Path) -> anyhow::Result<Value> {
    let doc = payspec_spec::parse(text, display_path)?;
    check(&doc, display_path)?;
    Ok(doc)
}

fn check(doc: &Value, display_path: &Path) -> anyhow::Result<()> {
    serde_json::from_value::<openapiv3::OpenAPI>(doc.clone())
        .map(drop)
        .map_err(|error| anyhow!("{}: not OpenAPI 3.0: {error}", display_path.display()))
}
