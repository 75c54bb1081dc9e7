//! Compares the operations of two versions of a spec: which were added, removed,
//! renamed or moved, and for each kept one its parameters, request body and responses.

use std::collections::BTreeMap;

use serde_json::Value;

use super::change::{Changes, Direction, Severity};
use super::schemas::{self, Docs, SchemaUse};
use crate::model::{MOVES_MONEY, REFUSED, RETRY_SAFE};
use payspec_spec::openapi::{resolve, Operation};

/// Records every change between the operations of `docs.old` and `docs.new`.
pub fn compare(docs: Docs<'_>, changes: &mut Changes) {
    let old_ops = by_id(docs.old);
    let new_ops = by_id(docs.new);
    let mut renamed_to = Vec::new();
    for (id, old) in &old_ops {
        if let Some(new) = new_ops.get(id) {
            compare_operation(docs, id, old, new, changes);
            continue;
        }
        let successor = new_ops
            .iter()
            .find(|(new_id, new)| new.route() == old.route() && !old_ops.contains_key(*new_id));
        match successor {
            Some((new_id, new)) => {
                changes.add(
                    Severity::Breaking,
                    code(id),
                    format!("renamed to `{new_id}` ({})", code_route(old)),
                    None,
                );
                renamed_to.push(new_id.to_string());
                compare_operation(docs, new_id, old, new, changes);
            }
            None => changes.add(
                Severity::Breaking,
                code(id),
                format!("removed (was {})", code_route(old)),
                None,
            ),
        }
    }
    for (id, new) in &new_ops {
        if !old_ops.contains_key(id) && !renamed_to.contains(&id.to_string()) {
            changes.add(
                Severity::NonBreaking,
                code(id),
                format!("added ({})", code_route(new)),
                None,
            );
        }
    }
}

fn by_id(doc: &Value) -> BTreeMap<&str, Operation<'_>> {
    payspec_spec::openapi::operations(doc)
        .into_iter()
        .map(|operation| (operation.id().unwrap_or(operation.path), operation))
        .collect()
}

fn compare_operation(
    docs: Docs<'_>,
    id: &str,
    old: &Operation<'_>,
    new: &Operation<'_>,
    changes: &mut Changes,
) {
    let subject = code(id);
    if old.route() != new.route() {
        let what = format!("moved from {} to {}", code_route(old), code_route(new));
        changes.add(Severity::Breaking, subject.clone(), what, None);
    }
    for key in ["summary", "description"] {
        if old.value[key] != new.value[key] {
            changes.add(
                Severity::NonBreaking,
                subject.clone(),
                format!("{key} changed"),
                None,
            );
        }
    }
    compare_policy(&subject, old.value, new.value, changes);
    compare_parameters(docs, id, old, new, changes);
    compare_request_body(docs, id, old.value, new.value, changes);
    compare_responses(docs, id, old.value, new.value, changes);
}

/// How the spec says the operation may be repeated: moves money (an
/// `x-payspec-moves-money` object; `false` is a deliberate "it does not"), retry-safe,
/// or neither.
fn policy(operation: &Value) -> &'static str {
    if operation[MOVES_MONEY].is_object() {
        "moves money"
    } else if operation[RETRY_SAFE] == Value::Bool(true) {
        "retry-safe"
    } else {
        "not retried"
    }
}

/// The repeat policy, and for an operation that moves money on both sides what its
/// declaration says: what a lost answer is referenced by, what to do then, and which
/// answers mean the money moved or was refused. None breaks a caller's code, but each
/// changes what the library does with an answer, so each is listed for review.
fn compare_policy(subject: &str, old: &Value, new: &Value, changes: &mut Changes) {
    let (old_policy, new_policy) = (policy(old), policy(new));
    if old_policy != new_policy {
        let what = format!("policy changed from {old_policy} to {new_policy}");
        changes.add(Severity::NonBreaking, subject.to_string(), what, None);
        return;
    }
    if old_policy == "moves money" {
        let (old_money, new_money) = (&old[MOVES_MONEY], &new[MOVES_MONEY]);
        if old_money["reference"] != new_money["reference"] {
            let what = format!(
                "money-moving reference changed from {} to {}",
                names(&old_money["reference"]),
                names(&new_money["reference"])
            );
            changes.add(Severity::NonBreaking, subject.to_string(), what, None);
        }
        for (key, what) in [
            ("success", "money-moving success conditions changed"),
            ("reconcile", "money-moving reconcile advice changed"),
        ] {
            if old_money[key] != new_money[key] {
                changes.add(Severity::NonBreaking, subject.to_string(), what.to_string(), None);
            }
        }
    }
    if old[REFUSED] != new[REFUSED] {
        let what = "refusal conditions (x-payspec-refused) changed".to_string();
        changes.add(Severity::NonBreaking, subject.to_string(), what, None);
    }
}

/// `[order, amount]` -> `` `order`, `amount` ``; nothing -> `nothing`.
fn names(list: &Value) -> String {
    let names: Vec<String> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|name| code(name.as_str().unwrap_or_default()))
        .collect();
    if names.is_empty() {
        "nothing".to_string()
    } else {
        names.join(", ")
    }
}

fn compare_parameters(
    docs: Docs<'_>,
    id: &str,
    old: &Operation<'_>,
    new: &Operation<'_>,
    changes: &mut Changes,
) {
    let old_parameters = parameters(docs.old, old);
    let new_parameters = parameters(docs.new, new);
    let used_by = format!("{} request", code(id));
    let use_ = SchemaUse {
        direction: Direction::Request,
        used_by: &used_by,
    };
    let required = |parameter: &Value| parameter["required"] == Value::Bool(true);
    for ((location, name), old_parameter) in &old_parameters {
        let subject = format!("{} {location} parameter `{name}`", code(id));
        let Some(new_parameter) = new_parameters.get(&(*location, *name)) else {
            changes.add(Severity::Breaking, subject, "removed".to_string(), None);
            continue;
        };
        match (required(old_parameter), required(new_parameter)) {
            (false, true) => changes.add(
                Severity::Breaking,
                subject.clone(),
                "made required".to_string(),
                None,
            ),
            (true, false) => changes.add(
                Severity::NonBreaking,
                subject.clone(),
                "made optional".to_string(),
                None,
            ),
            _ => {}
        }
        if old_parameter["description"] != new_parameter["description"] {
            changes.add(
                Severity::NonBreaking,
                subject.clone(),
                "description changed".to_string(),
                None,
            );
        }
        schemas::compare(
            docs,
            &use_,
            &subject,
            &old_parameter["schema"],
            &new_parameter["schema"],
            changes,
        );
    }
    for ((location, name), new_parameter) in &new_parameters {
        if !old_parameters.contains_key(&(*location, *name)) {
            let subject = format!("{} {location} parameter `{name}`", code(id));
            let (severity, what) = if required(new_parameter) {
                (Severity::Breaking, "added (required)")
            } else {
                (Severity::NonBreaking, "added (optional)")
            };
            changes.add(severity, subject, what.to_string(), None);
        }
    }
}

/// The operation's parameters (path-level ones included), by (location, name).
fn parameters<'a>(
    doc: &'a Value,
    operation: &Operation<'a>,
) -> BTreeMap<(&'a str, &'a str), &'a Value> {
    let mut out = BTreeMap::new();
    for holder in [operation.path_item, operation.value] {
        for parameter in holder["parameters"].as_array().into_iter().flatten() {
            let parameter = resolve(doc, parameter);
            if let (Some(location), Some(name)) =
                (parameter["in"].as_str(), parameter["name"].as_str())
            {
                out.insert((location, name), parameter);
            }
        }
    }
    out
}

fn compare_request_body(docs: Docs<'_>, id: &str, old: &Value, new: &Value, changes: &mut Changes) {
    let subject = format!("{} request `body`", code(id));
    match (request_body(docs.old, old), request_body(docs.new, new)) {
        (None, None) => {}
        (Some(_), None) => changes.add(Severity::Breaking, subject, "removed".to_string(), None),
        (None, Some((required, _))) => {
            let severity = if required {
                Severity::Breaking
            } else {
                Severity::NonBreaking
            };
            let what = if required {
                "added (required)"
            } else {
                "added (optional)"
            };
            changes.add(severity, subject, what.to_string(), None);
        }
        (Some((old_required, old_media)), Some((new_required, new_media))) => {
            if !old_required && new_required {
                changes.add(
                    Severity::Breaking,
                    subject.clone(),
                    "made required".to_string(),
                    None,
                );
            }
            if let (Some((old_type, old_schema)), Some((new_type, new_schema))) =
                (old_media, new_media)
            {
                if old_type != new_type {
                    let what = format!("content type changed from `{old_type}` to `{new_type}`");
                    changes.add(Severity::Breaking, subject.clone(), what, None);
                }
                let used_by = format!("{} request", code(id));
                let use_ = SchemaUse {
                    direction: Direction::Request,
                    used_by: &used_by,
                };
                schemas::compare(docs, &use_, &subject, old_schema, new_schema, changes);
            }
        }
    }
}

/// Whether the operation's request body is required, and its first media type.
fn request_body<'a>(
    doc: &'a Value,
    operation: &'a Value,
) -> Option<(bool, Option<(&'a str, &'a Value)>)> {
    let body = resolve(doc, &operation["requestBody"]);
    (!body.is_null()).then(|| (body["required"] == Value::Bool(true), first_media(body)))
}

fn compare_responses(docs: Docs<'_>, id: &str, old: &Value, new: &Value, changes: &mut Changes) {
    for (outcome, is_success) in [("response", true), ("error", false)] {
        let subject = format!("{} {outcome} `body`", code(id));
        match (
            response_body(docs.old, old, is_success),
            response_body(docs.new, new, is_success),
        ) {
            (None, None) => {}
            (Some(_), None) => {
                changes.add(Severity::Breaking, subject, "removed".to_string(), None)
            }
            (None, Some(_)) => {
                changes.add(Severity::NonBreaking, subject, "added".to_string(), None)
            }
            (Some(old_schema), Some(new_schema)) => {
                let used_by = format!("{} {outcome}", code(id));
                let use_ = SchemaUse {
                    direction: Direction::Response,
                    used_by: &used_by,
                };
                schemas::compare(docs, &use_, &subject, old_schema, new_schema, changes);
            }
        }
    }
}

/// The schema of the operation's first success (or error) response with a body.
fn response_body<'a>(doc: &'a Value, operation: &'a Value, is_success: bool) -> Option<&'a Value> {
    operation["responses"]
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2') == is_success)
        .find_map(|(_, response)| first_media(resolve(doc, response)))
        .map(|(_, schema)| schema)
}

/// The first media type of a body or response that has a schema: (type, schema).
fn first_media(holder: &Value) -> Option<(&str, &Value)> {
    holder["content"]
        .as_object()?
        .iter()
        .find_map(|(media_type, media)| {
            media
                .get("schema")
                .map(|schema| (media_type.as_str(), schema))
        })
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

fn code_route(operation: &Operation<'_>) -> String {
    code(&operation.route())
}
