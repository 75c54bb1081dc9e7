//! `example`: every example validates against the schema it illustrates: a body's
//! `example`/`examples` against the body schema, a parameter's against the parameter
//! schema, and a schema's own `example` against that schema. The documented examples
//! are the evidence a spec is written from; one that does not match means the spec
//! or the example is wrong.

use serde_json::Value;

use super::walk::{self, At};
use super::{Findings, Rule};
use payspec_spec::json_schema::Validators;
use payspec_spec::openapi::{reference, resolve};
use crate::yaml_lines::escape;

/// How many problems of one example are listed before "and N more".
const SHOWN: usize = 3;

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    let validators = Validators::for_spec(doc);
    for holder in walk::media_types(doc)
        .into_iter()
        .chain(walk::parameters(doc))
    {
        let Some(schema) = holder.value.get("schema") else {
            continue;
        };
        for example in examples_of(doc, &holder) {
            validate(&validators, schema, &example, findings);
        }
    }
    for schema in walk::schemas(doc) {
        if let Some(value) = schema.value.get("example") {
            let example = At {
                pointer: format!("{}/example", schema.pointer),
                value,
            };
            validate(&validators, schema.value, &example, findings);
        }
    }
}

/// The `example` and every `examples/<name>/value` of a media type or parameter.
fn examples_of<'a>(doc: &'a Value, holder: &At<'a>) -> Vec<At<'a>> {
    let mut out = Vec::new();
    if let Some(value) = holder.value.get("example") {
        out.push(At {
            pointer: format!("{}/example", holder.pointer),
            value,
        });
    }
    for (name, example) in holder.value["examples"].as_object().into_iter().flatten() {
        // A `$ref`'d example is reported where it is used; `externalValue` is not checked.
        let at = format!("{}/examples/{}", holder.pointer, escape(name));
        let pointer = match reference(example) {
            Some(_) => at,
            None => format!("{at}/value"),
        };
        if let Some(value) = resolve(doc, example).get("value") {
            out.push(At { pointer, value });
        }
    }
    out
}

fn validate(
    validators: &Validators,
    schema: &Value,
    example: &At<'_>,
    findings: &mut Findings<'_>,
) {
    let problems = validators.problems(schema, example.value);
    if problems.is_empty() {
        return;
    }
    let mut message = format!(
        "example does not match its schema: {}",
        problems
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    );
    if problems.len() > SHOWN {
        message.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    findings.report(&example.pointer, Rule::Example, message);
}
