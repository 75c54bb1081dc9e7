//! `money-format`: amounts are exact. A property or parameter named like money
//! (`amount`, `total`, `fee`, ...; see [`super::names`]) that is a JSON number or string
//! is `format: decimal`, which the generator maps to payspec-core's exact decimal
//! types; a bare `number` would be an `f64`. Integer amounts (minor units) are exact
//! already, and an `enum` names choices rather than an amount (`fees: [Full, Half]`):
//! both are left alone.

use serde_json::Value;

use super::{names, shape, Findings, Rule};
use payspec_spec::openapi::resolve;

/// The money format.
const DECIMAL: &str = "decimal";

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for named in super::walk::named(doc) {
        if !names::is_money(named.name) {
            continue;
        }
        let schema = resolve(doc, named.schema);
        let Some(ty @ ("number" | "string")) = schema.get("type").and_then(Value::as_str) else {
            continue;
        };
        if schema.get("enum").is_some() {
            continue;
        }
        if schema.get("format").and_then(Value::as_str) != Some(DECIMAL) {
            findings.report(
                &named.pointer,
                Rule::MoneyFormat,
                format!(
                    "`{}` looks like money but is `type: {ty}` without `format: decimal`: write \
                     `type: {ty}, format: decimal` so it is exact",
                    named.name
                ),
            );
        }
    }
    shape::check(
        doc,
        findings,
        Rule::MoneyFormat,
        |format| format == DECIMAL,
        &["string", "number"],
    );
}
