//! `security`: how each operation authenticates is generated from the spec, so what
//! the spec says must exist. Every `security` requirement (global or per operation)
//! names a scheme of `components.securitySchemes`; every scheme is one the generator
//! wires (`http` `basic` or `bearer`, or an `apiKey` in a header); and a scheme's
//! `x-payspec-token-endpoint` names the operation that issues its tokens.

use serde_json::Value;

use super::{Findings, Rule};
use crate::model::TOKEN_ENDPOINT;
use crate::yaml_lines::escape;

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    let schemes = doc.pointer("/components/securitySchemes").and_then(Value::as_object);
    let defined: Vec<&str> = schemes.into_iter().flatten().map(|(name, _)| name.as_str()).collect();

    let mut requirements = vec![("/security".to_string(), "the spec".to_string(), doc.get("security"))];
    for operation in payspec_spec::openapi::operations(doc) {
        let named = operation
            .id()
            .map_or_else(|| operation.route(), |id| format!("`{id}`"));
        requirements.push((format!("{}/security", operation.pointer), named, operation.value.get("security")));
    }
    for (pointer, named, security) in requirements {
        for (index, requirement) in security.and_then(Value::as_array).into_iter().flatten().enumerate() {
            for (scheme, _) in requirement.as_object().into_iter().flatten() {
                if !defined.contains(&scheme.as_str()) {
                    findings.report(
                        &format!("{pointer}/{index}/{}", escape(scheme)),
                        Rule::Security,
                        format!(
                            "{named} requires security scheme `{scheme}`, which `components.securitySchemes` \
                             does not define ({})",
                            if defined.is_empty() { "it defines none".to_string() } else { format!("defined: {}", defined.join(", ")) }
                        ),
                    );
                }
            }
        }
    }

    let operation_ids: Vec<&str> = payspec_spec::openapi::operations(doc)
        .iter()
        .filter_map(|operation| operation.id())
        .collect();
    for (name, scheme) in schemes.into_iter().flatten() {
        let pointer = format!("/components/securitySchemes/{}", escape(name));
        if let Some(unsupported) = unsupported(scheme) {
            findings.report(
                &pointer,
                Rule::Security,
                format!(
                    "security scheme `{name}` is {unsupported}, which the generator does not wire: use \
                     `type: http` with `scheme: basic` or `bearer`, or `type: apiKey` with `in: header`"
                ),
            );
        }
        match scheme.get(TOKEN_ENDPOINT) {
            None => {}
            Some(Value::String(id)) if operation_ids.contains(&id.as_str()) => {}
            Some(endpoint) => findings.report(
                &format!("{pointer}/{TOKEN_ENDPOINT}"),
                Rule::Security,
                format!(
                    "security scheme `{name}`: {TOKEN_ENDPOINT} {endpoint} names no operation: write the \
                     operationId of the operation that issues its tokens"
                ),
            ),
        }
    }
}

/// What a scheme is, when the generator cannot wire it.
fn unsupported(scheme: &Value) -> Option<String> {
    match (scheme["type"].as_str(), scheme["scheme"].as_str(), scheme["in"].as_str()) {
        (Some("http"), Some("basic" | "bearer"), _) | (Some("apiKey"), _, Some("header")) => None,
        (Some("http"), scheme, _) => Some(format!("`type: http` with `scheme: {}`", scheme.unwrap_or("(none)"))),
        (Some("apiKey"), _, location) => Some(format!("an `apiKey` in `{}`", location.unwrap_or("(nowhere)"))),
        (Some(other), _, _) => Some(format!("`type: {other}`")),
        (None, _, _) => Some("without a `type`".to_string()),
    }
}
