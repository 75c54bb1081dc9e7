//! `moves-money`: a payout is never sent twice by the library. An operation that
//! moves money says so (`x-payspec-moves-money: true`: never retried, a lost answer is
//! "outcome unknown"), and is never also `x-payspec-retry-safe: true`.
//!
//! An operation whose operationId or summary says it creates or cancels a payout,
//! withdrawal, disbursement, refund, chargeback, debit, invoice or payment, or starts
//! with such a verb (`refund_transaction`, "Disburse to a wallet"), must be marked.
//! `x-payspec-moves-money: false` records a deliberate "it does not" and is accepted.

use serde_json::Value;

use super::{Findings, Rule};
use crate::model::{MOVES_MONEY, RETRY_SAFE};

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

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for operation in payspec_spec::openapi::operations(doc) {
        let flag = |name: &str| operation.value.get(name).and_then(Value::as_bool);
        let id = operation.id().unwrap_or_default();
        let summary = operation.value["summary"].as_str().unwrap_or_default();
        match flag(MOVES_MONEY) {
            Some(true) if flag(RETRY_SAFE) == Some(true) => findings.report(
                &format!("{}/{RETRY_SAFE}", operation.pointer),
                Rule::MovesMoney,
                format!(
                    "`{id}` moves money ({MOVES_MONEY}) and is marked {RETRY_SAFE}: the library must \
                     never repeat it; remove {RETRY_SAFE}"
                ),
            ),
            None if says_it_moves_money(id) || says_it_moves_money(summary) => findings.report(
                &operation.pointer,
                Rule::MovesMoney,
                format!(
                    "`{id}` creates or cancels a money movement (its operationId or summary says so) \
                     but has no `{MOVES_MONEY}: true`, so a lost answer could be retried: mark it \
                     (or write `{MOVES_MONEY}: false` if it really moves no money)"
                ),
            ),
            _ => {}
        }
    }
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
