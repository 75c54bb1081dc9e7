//! What a call printed: its outcome as JSON on stdout, an explanation on stderr, and
//! the exit code. Values of secret fields (the spec's secret formats) are redacted in
//! every answer printed.

use std::fmt::Display;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::{exit, Output};

/// What a call came to, as the CLI reports it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// The answer, as JSON.
    Ok(Value),
    /// The provider refused the request.
    Refused { status: u16, error: String },
    /// A money-moving request whose outcome is unknown.
    Unknown { operation: &'static str, reference: Vec<(String, String)>, reconcile: &'static str, cause: String },
    /// Refused before sending.
    Invalid(String),
    /// No usable answer.
    Failed(String),
}

/// The outcome of a typed call.
pub(crate) fn outcome<T: Serialize, A: Display>(result: Result<T, payspec_core::Error<A>>) -> Outcome {
    use payspec_core::Error;
    match result {
        Ok(value) => match serde_json::to_value(&value) {
            Ok(value) => Outcome::Ok(value),
            Err(error) => Outcome::Failed(format!("the answer cannot be printed as JSON: {error}")),
        },
        Err(error @ Error::Api { .. }) => {
            Outcome::Refused { status: error.status().map_or(0, |status| status.as_u16()), error: error.to_string() }
        }
        Err(Error::OutcomeUnknown(unknown)) => Outcome::Unknown {
            operation: unknown.operation,
            reference: unknown.reference.fields().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
            reconcile: unknown.reconcile,
            cause: payspec_core::redact::Masked(&unknown.cause).to_string(),
        },
        Err(Error::InvalidRequest(invalid)) => Outcome::Invalid(invalid.to_string()),
        Err(other) => Outcome::Failed(other.to_string()),
    }
}

/// The fields whose values are secrets, by name, from a spec's schemas: a property
/// whose `format` is one of payspec's secret formats.
pub(crate) struct Secrets(Vec<(String, bool)>);

const SECRET_FORMATS: [&str; 11] = [
    "card-number",
    "account-number",
    "cvv",
    "pin",
    "password",
    "client-secret",
    "api-key",
    "access-token",
    "refresh-token",
    "authorization-code",
    "card-token",
];

impl Secrets {
    /// The secret fields of `spec` (a crate's `SPEC_JSON`).
    pub(crate) fn of(spec: &Value) -> Self {
        let mut fields = Vec::new();
        collect(spec, &mut fields);
        Self(fields)
    }

    /// `value` with every secret field's value redacted (card and account numbers keep
    /// their last four digits).
    pub(crate) fn redact(&self, value: &Value) -> Value {
        match value {
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let secret = self.0.iter().find(|(name, _)| name == key);
                        let value = match (secret, value) {
                            (Some((_, true)), Value::String(text)) if text.chars().count() >= 8 => {
                                let tail: String = text.chars().skip(text.chars().count() - 4).collect();
                                json!(format!("****{tail}"))
                            }
                            (Some(_), Value::String(_)) => json!("<redacted>"),
                            _ => self.redact(value),
                        };
                        (key.clone(), value)
                    })
                    .collect::<Map<_, _>>(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|item| self.redact(item)).collect()),
            other => other.clone(),
        }
    }
}

fn collect(value: &Value, fields: &mut Vec<(String, bool)>) {
    match value {
        Value::Object(object) => {
            for (name, property) in object.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if let Some(format) = property["format"].as_str().filter(|format| SECRET_FORMATS.contains(format)) {
                    fields.push((name.clone(), matches!(format, "card-number" | "account-number")));
                }
            }
            object.values().for_each(|value| collect(value, fields));
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, fields)),
        _ => {}
    }
}

impl Outcome {
    /// What to print, and the exit code.
    pub(crate) fn output(self, secrets: &Secrets) -> Output {
        let pretty = |value: &Value| serde_json::to_string_pretty(value).unwrap_or_default() + "\n";
        match self {
            Self::Ok(value) => Output { code: exit::OK, stdout: pretty(&secrets.redact(&value)), stderr: String::new() },
            Self::Refused { status, error } => Output {
                code: exit::REFUSED,
                stdout: pretty(&json!({ "outcome": "refused", "status": status, "error": error })),
                stderr: format!("payspec: {error}\n"),
            },
            Self::Unknown { operation, reference, reconcile, cause } => {
                let fields: Map<String, Value> = reference.iter().map(|(name, value)| (name.clone(), json!(value))).collect();
                let printed = reference.iter().map(|(name, value)| format!("{name} {value:?}")).collect::<Vec<_>>().join(", ");
                Output {
                    code: exit::UNKNOWN,
                    stdout: pretty(&json!({
                        "outcome": "unknown", "operation": operation, "reference": fields, "reconcile": reconcile, "cause": cause,
                    })),
                    stderr: format!(
                        "payspec: the outcome of {operation} is unknown ({cause}).\nReference: {printed}\nDo not send it again before reconciling: {reconcile}\n"
                    ),
                }
            }
            Self::Invalid(problem) => Output::usage(format!("invalid request, nothing was sent: {problem}")),
            Self::Failed(error) => Output {
                code: exit::FAILED,
                stdout: pretty(&json!({ "outcome": "failed", "error": error })),
                stderr: format!("payspec: {error}\n"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_by_the_spec_formats() {
        let spec = json!({"components": {"schemas": {"T": {"properties": {
            "access_token": {"type": "string", "format": "access-token"},
            "card": {"type": "string", "format": "card-number"},
            "amount": {"type": "string", "format": "decimal"},
        }}}}});
        let secrets = Secrets::of(&spec);
        let printed = secrets.redact(&json!({"access_token": "abc", "nested": [{"card": "4111111111111111", "amount": "1.00"}]}));
        assert_eq!(printed, json!({"access_token": "<redacted>", "nested": [{"card": "****1111", "amount": "1.00"}]}));
    }
}
