//! `operation-id`: every operation has an `operationId`, in snake_case (it becomes the
//! Rust method name), used by no other operation.

use std::collections::HashMap;

use serde_json::Value;

use super::{Findings, Rule};

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for operation in payspec_spec::openapi::operations(doc) {
        let pointer = format!("{}/operationId", operation.pointer);
        let Some(id) = operation.id() else {
            findings.report(
                &operation.pointer,
                Rule::OperationId,
                format!(
                    "{} has no operationId: add a snake_case one",
                    operation.route()
                ),
            );
            continue;
        };
        if !is_snake_case(id) {
            findings.report(
                &pointer,
                Rule::OperationId,
                format!("operationId `{id}` is not snake_case (e.g. `create_payout`)"),
            );
        }
        match seen.get(id) {
            Some(first) => findings.report(
                &pointer,
                Rule::OperationId,
                format!("operationId `{id}` is already used by {first}"),
            ),
            None => {
                seen.insert(id, operation.route());
            }
        }
    }
}

/// `create_payout`, `get_v2_balance`: lower-case words of letters and digits joined by
/// single underscores, starting with a letter.
fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('_').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}
