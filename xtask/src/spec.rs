//! Loading a spec, with errors that point at the file, line and column.

use std::path::Path;

use anyhow::{anyhow, Context};

/// Reads and parses `path` as an OpenAPI 3.0.x document.
pub fn load(path: &Path, display_path: &Path) -> anyhow::Result<openapiv3::OpenAPI> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", display_path.display()))?;
    parse(&text, display_path)
}

/// Parses `text` (the contents of `display_path`) as an OpenAPI 3.0.x document.
pub fn parse(text: &str, display_path: &Path) -> anyhow::Result<openapiv3::OpenAPI> {
    let openapi: openapiv3::OpenAPI = serde_yaml::from_str(text).map_err(|error| {
        match error.location() {
            Some(location) => anyhow!(
                "{}:{}:{}: {error}",
                display_path.display(),
                location.line(),
                location.column()
            ),
            None => anyhow!("{}: {error}", display_path.display()),
        }
    })?;
    if !openapi.openapi.starts_with("3.0.") {
        return Err(anyhow!(
            "{}:1:1: OpenAPI version {} is not supported (progenitor reads 3.0.x only)",
            display_path.display(),
            openapi.openapi
        ));
    }
    Ok(openapi)
}
