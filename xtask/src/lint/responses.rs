//! `error-schema` and `success-schema`: progenitor gives each operation one success
//! body type and one error body type, and panics on more (`assertion failed:
//! response_types.len() <= 1`). A body type is the JSON schema of a response, or "a
//! non-JSON body", or "no body": `200` with a schema beside `204` without one is two.
//! `default` beside a 2xx response counts on both sides; it is reported on its own.

use serde_json::Value;

use super::{Findings, Rule};
use crate::yaml_lines::escape;
use payspec_spec::openapi::{ref_name, resolve};

pub(super) fn check(doc: &Value, findings: &mut Findings<'_>) {
    for operation in payspec_spec::openapi::operations(doc) {
        let name = operation
            .id()
            .map_or_else(|| operation.route(), |id| format!("`{id}`"));
        let responses = operation.value["responses"].as_object();
        let has_2xx = responses
            .into_iter()
            .flatten()
            .any(|(status, _)| status.starts_with('2'));
        let mut success = Bodies::default();
        let mut errors = Bodies::default();
        for (status, response) in responses.into_iter().flatten() {
            let pointer = format!("{}/responses/{}", operation.pointer, escape(status));
            if status == "default" && has_2xx {
                findings.report(
                    &pointer,
                    Rule::ErrorSchema,
                    format!(
                        "{name} has `default` beside a 2xx response, which makes progenitor \
                         panic: answer errors with `4XX` (and `5XX`) instead"
                    ),
                );
                continue;
            }
            let side = if status.starts_with('2') || status == "101" {
                &mut success
            } else {
                &mut errors
            };
            side.add(status, Body::of(resolve(doc, response)), pointer);
        }
        if let Some(pointer) = errors.second_pointer() {
            findings.report(
                pointer,
                Rule::ErrorSchema,
                format!(
                    "{name} has {} different error bodies ({}), but progenitor accepts one per \
                     operation (it would panic): model one error schema whose fields cover every \
                     documented shape, and answer it for `4XX`",
                    errors.distinct.len(),
                    errors.describe()
                ),
            );
        }
        if let Some(pointer) = success.second_pointer() {
            findings.report(
                pointer,
                Rule::SuccessSchema,
                format!(
                    "{name} has {} different success bodies ({}), but progenitor accepts one per \
                     operation (it would panic): model one schema that covers them",
                    success.distinct.len(),
                    success.describe()
                ),
            );
        }
    }
}

/// What progenitor makes of a response: a JSON schema, another content type, or nothing.
#[derive(PartialEq)]
enum Body {
    Json(Value),
    Raw,
    Empty,
}

impl Body {
    fn of(response: &Value) -> Self {
        let content = response["content"].as_object();
        let json = content.into_iter().flatten().find(|(media_type, _)| {
            *media_type == "application/json" || media_type.starts_with("application/json;")
        });
        match (json, content.is_some_and(|content| !content.is_empty())) {
            (Some((_, media)), _) => Body::Json(media["schema"].clone()),
            (None, true) => Body::Raw,
            (None, false) => Body::Empty,
        }
    }

    fn describe(&self) -> String {
        match self {
            Body::Json(schema) => ref_name(schema).map_or_else(
                || "an inline schema".to_string(),
                |name| format!("`{name}`"),
            ),
            Body::Raw => "a non-JSON body".to_string(),
            Body::Empty => "no body".to_string(),
        }
    }
}

/// The distinct bodies of one side (success or error) of an operation.
#[derive(Default)]
struct Bodies {
    /// (status, body, pointer of the response), one per distinct body.
    distinct: Vec<(String, Body, String)>,
}

impl Bodies {
    fn add(&mut self, status: &str, body: Body, pointer: String) {
        if !self.distinct.iter().any(|(_, seen, _)| *seen == body) {
            self.distinct.push((status.to_string(), body, pointer));
        }
    }

    /// Where the second distinct body is declared, if there is one.
    fn second_pointer(&self) -> Option<&str> {
        self.distinct.get(1).map(|(_, _, pointer)| pointer.as_str())
    }

    /// `400: `BadRequest`, 404: no body`.
    fn describe(&self) -> String {
        self.distinct
            .iter()
            .map(|(status, body, _)| format!("{status}: {}", body.describe()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
