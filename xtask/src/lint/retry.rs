//! `moves-money`: a payout is never sent twice by the library, and an answer that is
//! lost says what to look for. An operation that moves money says so with an object:
//!
//! ```yaml
//! x-payspec-moves-money:
//!   reference: [order]          # the request fields (or parameters) it is found by
//!   reconcile: Look it up with get_status by order before paying again.
//!   success:                    # what in the answer means the money moved
//!     - field: /status
//!       in: [success]
//! ```
//!
//! It is never retried, a lost or undocumented answer is "outcome unknown" naming the
//! `reference` and saying `reconcile`, and it is never also `x-payspec-retry-safe: true`.
//! The old `x-payspec-moves-money: true` says none of that and is refused.
//!
//! An operation whose operationId or summary says it creates or cancels a payout,
//! withdrawal, disbursement, refund, chargeback, debit, invoice or payment, or starts
//! with such a verb (`refund_transaction`, "Disburse to a wallet"), must be marked.
//! `x-payspec-moves-money: false` records a deliberate "it does not" and is accepted.

use serde_json::{Map, Value};

use super::walk::properties_of;
use super::{Findings, Rule};
use crate::model::{MOVES_MONEY, RETRY_SAFE};
use payspec_spec::openapi::{resolve, Operation};

/// Word beginnings that name what moves money.
const MONEY_NOUNS: &[&str] = &[
    "payout",
    "withdraw",
    "disburs",
    "refund",
    "chargeback",
    "debit",
    "invoice",
    "payment",
];
/// Word beginnings of the actions that move it.
const ACTIONS: &[&str] = &["creat", "cancel"];
/// First words that are themselves a money-moving action.
const MONEY_VERBS: &[&str] = &[
    "withdraw",
    "disburse",
    "refund",
    "debit",
    "payout",
    "pay",
    "chargeback",
];

/// How to write the declaration, for messages.
const SHAPE: &str = "an object of `reference` (the request fields or parameters a lost answer is \
                     looked up by), `reconcile` (what to do before sending it again) and `success` \
                     (the conditions on the answer that mean the money moved)";

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for operation in payspec_spec::openapi::operations(doc) {
        let id = operation.id().unwrap_or_default();
        let summary = operation.value["summary"].as_str().unwrap_or_default();
        let at = format!("{}/{MOVES_MONEY}", operation.pointer);
        match operation.value.get(MOVES_MONEY) {
            Some(Value::Object(money)) => {
                declaration(doc, &operation, money, &at, findings);
                if operation.value.get(RETRY_SAFE).and_then(Value::as_bool) == Some(true) {
                    findings.report(
                        &format!("{}/{RETRY_SAFE}", operation.pointer),
                        Rule::MovesMoney,
                        format!(
                            "`{id}` moves money ({MOVES_MONEY}) and is marked {RETRY_SAFE}: the library must \
                             never repeat it; remove {RETRY_SAFE}"
                        ),
                    );
                }
            }
            Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => findings.report(
                &at,
                Rule::MovesMoney,
                format!("`{id}`: `{MOVES_MONEY}: true` is the old form, which the generator refuses: write {SHAPE}"),
            ),
            Some(other) => findings.report(
                &at,
                Rule::MovesMoney,
                format!("`{id}`: `{MOVES_MONEY}` is {other}: write {SHAPE}, or `false` if it moves no money"),
            ),
            None if says_it_moves_money(id) || says_it_moves_money(summary) => findings.report(
                &operation.pointer,
                Rule::MovesMoney,
                format!(
                    "`{id}` creates or cancels a money movement (its operationId or summary says so) \
                     but has no `{MOVES_MONEY}`, so a lost answer could be retried: declare it with \
                     {SHAPE}; or write `{MOVES_MONEY}: false` if it really moves no money"
                ),
            ),
            None => {}
        }
    }
}

/// Checks the object form: a non-empty `reference` naming what the request has, a
/// `reconcile` text, and `success` conditions.
fn declaration(doc: &Value, operation: &Operation<'_>, money: &Map<String, Value>, at: &str, findings: &mut Findings<'_>) {
    let id = operation.id().unwrap_or_default();
    match money.get("reference").and_then(Value::as_array) {
        Some(reference) if !reference.is_empty() => {
            let known = request_names(doc, operation);
            for (index, name) in reference.iter().enumerate() {
                let pointer = format!("{at}/reference/{index}");
                match name.as_str() {
                    Some(name) if known.contains(&name) => {}
                    Some(name) => findings.report(
                        &pointer,
                        Rule::MovesMoney,
                        format!(
                            "`{id}`: reference `{name}` is neither a parameter nor a property of the request \
                             body ({})",
                            if known.is_empty() { "it has none".to_string() } else { known.join(", ") }
                        ),
                    ),
                    None => findings.report(&pointer, Rule::MovesMoney, format!("`{id}`: a reference is a field name, not {name}")),
                }
            }
        }
        _ => findings.report(
            money.get("reference").map_or(at.to_string(), |_| format!("{at}/reference")).as_str(),
            Rule::MovesMoney,
            format!(
                "`{id}` moves money but names no `reference`: list the request fields (or parameters) a \
                 lost answer is looked up by, e.g. `reference: [order]`"
            ),
        ),
    }
    if money.get("reconcile").and_then(Value::as_str).is_none_or(|text| text.trim().is_empty()) {
        findings.report(
            money.get("reconcile").map_or(at.to_string(), |_| format!("{at}/reconcile")).as_str(),
            Rule::MovesMoney,
            format!(
                "`{id}` moves money but has no `reconcile`: say what to do when its answer is lost \
                 (how to look it up, or whom to ask) before sending it again"
            ),
        );
    }
    if money.get("success").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        findings.report(
            money.get("success").map_or(at.to_string(), |_| format!("{at}/success")).as_str(),
            Rule::MovesMoney,
            format!(
                "`{id}` moves money but has no `success` conditions: say what in the answer means the \
                 money moved, e.g. `success: [{{field: /status, in: [success]}}]`"
            ),
        );
    }
}

/// The names a reference may use: the operation's parameters (path-level ones
/// included) and the properties of its request body.
fn request_names<'a>(doc: &'a Value, operation: &Operation<'a>) -> Vec<&'a str> {
    let mut names = Vec::new();
    for holder in [operation.path_item, operation.value] {
        for parameter in holder["parameters"].as_array().into_iter().flatten() {
            names.extend(resolve(doc, parameter)["name"].as_str());
        }
    }
    let body = resolve(doc, &operation.value["requestBody"]);
    for media in body["content"].as_object().into_iter().flatten().map(|(_, media)| media) {
        if let Some(schema) = media.get("schema") {
            names.extend(properties_of(doc, schema).into_iter().map(|(name, _)| name));
        }
    }
    names
}

fn says_it_moves_money(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let has = |stems: &[&str]| {
        words
            .iter()
            .any(|word| stems.iter().any(|stem| word.starts_with(stem)))
    };
    (has(MONEY_NOUNS) && has(ACTIONS))
        || words
            .first()
            .is_some_and(|first| MONEY_VERBS.contains(&first.as_str()))
}
