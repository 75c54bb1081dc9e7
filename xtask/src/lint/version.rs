//! `openapi-version`: the spec is OpenAPI 3.0.x, the only version progenitor reads.

use serde_json::Value;

use super::{Findings, Rule};

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => findings.report(
            "/openapi",
            Rule::OpenapiVersion,
            format!("OpenAPI {version} is not supported: write `openapi: 3.0.3` (progenitor reads 3.0.x only)"),
        ),
        None => findings.report(
            "",
            Rule::OpenapiVersion,
            "no `openapi` version (a string): write `openapi: 3.0.3`",
        ),
    }
}
