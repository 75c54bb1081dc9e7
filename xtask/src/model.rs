//! What a spec declares beyond what progenitor reads: auth per operation, the token
//! endpoint, environments, money-moving rules, enum meanings, error display, checks.
//! Read from the spec as JSON, the same way for every provider.

use anyhow::{anyhow, bail, Context};
use heck::ToUpperCamelCase;
use serde_json::Value;

use payspec_spec::openapi::{operations, ref_name, resolve};

/// Marks an operation that moves money (an object: reference, reconcile, success).
pub const MOVES_MONEY: &str = "x-payspec-moves-money";
/// Marks an operation that is safe to repeat (a read, a token call).
pub const RETRY_SAFE: &str = "x-payspec-retry-safe";
/// A body under a success status that is the provider's refusal.
pub const REFUSED: &str = "x-payspec-refused";
/// On a security scheme: the operation that issues its tokens.
pub const TOKEN_ENDPOINT: &str = "x-payspec-token-endpoint";
/// On a security scheme: the answers that mean the credential was not accepted.
pub const CREDENTIAL_REJECTED: &str = "x-payspec-credential-rejected";
/// On a server: the name of the environment it is.
pub const ENVIRONMENT: &str = "x-payspec-environment";
/// On an error schema: which fields are its code and its message.
pub const ERROR: &str = "x-payspec-error";
/// On a property or parameter: the sibling it must not be before.
pub const NOT_BEFORE: &str = "x-payspec-not-before";
/// Variant names of an enum (openapi-generator's convention).
pub const ENUM_VARNAMES: &str = "x-enum-varnames";
/// Meanings of an enum's values (openapi-generator's convention).
pub const ENUM_DESCRIPTIONS: &str = "x-enum-descriptions";

/// Everything the generator reads from a spec besides what progenitor reads.
pub struct Model {
    pub operations: Vec<Operation>,
    pub environments: Vec<Environment>,
    pub enums: Vec<Enum>,
    pub errors: Vec<ErrorDisplay>,
}

/// How an operation authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    None,
    Basic,
    Bearer { token: bool },
    ApiKey { header: String, token: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    MovesMoney,
    RetrySafe,
    NotRetried,
}

/// One operation's declarations.
pub struct Operation {
    pub id: String,
    pub auth: Auth,
    pub policy: Policy,
    pub token_endpoint: bool,
    pub success: Vec<u16>,
    pub refusals: Vec<(u16, u16)>,
    pub money: Option<Money>,
    pub refused: Vec<Condition>,
    pub rejected_statuses: Vec<u16>,
    pub rejected_body: Vec<Condition>,
    /// Parameters with `x-payspec-not-before`: (later, earlier).
    pub param_order: Vec<(String, String)>,
}

/// A money-moving operation's declarations.
pub struct Money {
    /// Request body properties (or parameters) that identify the request.
    pub reference: Vec<String>,
    pub reconcile: String,
    pub success: Vec<Condition>,
}

/// A test on one field of a body: `field` is a JSON pointer.
#[derive(Clone, Debug)]
pub struct Condition {
    pub field: String,
    pub test: Test,
    /// A condition on the request that waives this one.
    pub unless: Option<Box<Condition>>,
}

#[derive(Clone, Debug)]
pub enum Test {
    /// The value's wire text is one of these.
    In(Vec<String>),
    /// Present (and, for a list, not empty).
    Present,
    /// An integer at least this.
    Minimum(i64),
}

/// A named server.
pub struct Environment {
    pub variant: String,
    pub url: String,
    pub description: String,
}

/// A named enum schema (inline ones are hoisted first).
pub struct Enum {
    pub name: String,
    pub description: String,
    pub integer: bool,
    pub values: Vec<EnumValue>,
}

pub struct EnumValue {
    pub variant: String,
    pub wire: String,
    pub meaning: Option<String>,
}

/// An error schema's code and message fields (JSON pointers).
pub struct ErrorDisplay {
    pub schema: String,
    pub code: Option<String>,
    pub message: Option<String>,
    /// What a body must say to be this documented error.
    pub says: Vec<Condition>,
}

impl Model {
    /// Reads the declarations of `doc` (already prepared: enums hoisted).
    pub fn read(doc: &Value) -> anyhow::Result<Self> {
        let schemes = doc.pointer("/components/securitySchemes").cloned().unwrap_or(Value::Null);
        let token_endpoints: Vec<&str> = schemes
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, scheme)| scheme.get(TOKEN_ENDPOINT)?.as_str())
            .collect();
        let mut operations_out = Vec::new();
        for operation in operations(doc) {
            let id = operation.id().ok_or_else(|| anyhow!("{} has no operationId", operation.route()))?;
            operations_out.push(read_operation(doc, &schemes, &token_endpoints, id, operation.value).with_context(|| format!("operation {id}"))?);
        }
        Ok(Self {
            operations: operations_out,
            environments: environments(doc)?,
            enums: enums(doc)?,
            errors: errors(doc),
        })
    }

    /// Every auth scheme the operations use, without repeats.
    pub fn schemes(&self) -> Vec<&Auth> {
        let mut schemes: Vec<&Auth> = Vec::new();
        for operation in &self.operations {
            if !schemes.contains(&&operation.auth) {
                schemes.push(&operation.auth);
            }
        }
        schemes
    }
}

fn read_operation(doc: &Value, schemes: &Value, token_endpoints: &[&str], id: &str, op: &Value) -> anyhow::Result<Operation> {
    let security = op.get("security").or_else(|| doc.get("security"));
    // One requirement naming one scheme: optional auth (`{}`), alternatives and
    // combined schemes are not something the runtime wires.
    let scheme_name = match security.and_then(Value::as_array).map(Vec::as_slice) {
        None | Some([]) => None,
        Some([requirement]) => match requirement.as_object().map(|r| r.keys().collect::<Vec<_>>()) {
            Some(names) if names.len() == 1 => Some(names[0].clone()),
            _ => bail!("`security` must name exactly one scheme (no optional `{{}}`, no combined schemes)"),
        },
        Some(_) => bail!("`security` lists alternatives: name exactly one scheme"),
    };
    let (auth, rejected_statuses, rejected_body) = match &scheme_name {
        None => (Auth::None, Vec::new(), Vec::new()),
        Some(name) => {
            let scheme = schemes.get(name).ok_or_else(|| anyhow!("security scheme {name} is not defined"))?;
            let token = scheme.get(TOKEN_ENDPOINT).is_some();
            let auth = match (scheme["type"].as_str(), scheme["scheme"].as_str()) {
                (Some("http"), Some("basic")) => Auth::Basic,
                (Some("http"), Some("bearer")) => Auth::Bearer { token },
                (Some("apiKey"), _) if scheme["in"] == "header" => Auth::ApiKey {
                    header: scheme["name"].as_str().unwrap_or_default().to_ascii_lowercase(),
                    token,
                },
                other => bail!("security scheme {name}: {other:?} is not supported"),
            };
            let rejected = scheme.get(CREDENTIAL_REJECTED);
            let statuses = rejected
                .and_then(|r| r.get("statuses"))
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(|s| s.as_u64().map(|s| s as u16)).collect())
                .unwrap_or_default();
            let body = conditions(rejected.and_then(|r| r.get("body")))?;
            (auth, statuses, body)
        }
    };
    let money = match op.get(MOVES_MONEY) {
        Some(Value::Object(money)) => Some(Money {
            reference: money
                .get("reference")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default(),
            reconcile: money.get("reconcile").and_then(Value::as_str).unwrap_or_default().trim().to_string(),
            success: conditions(money.get("success"))?,
        }),
        Some(Value::Bool(false)) | None => None,
        Some(other) => bail!("{MOVES_MONEY} must be an object (reference, reconcile, success) or false, not {other}"),
    };
    let retry_safe = op.get(RETRY_SAFE).and_then(Value::as_bool) == Some(true);
    let policy = match (money.is_some(), retry_safe) {
        (true, true) => bail!("marked both {MOVES_MONEY} and {RETRY_SAFE}"),
        (true, false) => Policy::MovesMoney,
        (false, true) => Policy::RetrySafe,
        (false, false) => Policy::NotRetried,
    };
    let mut success = Vec::new();
    let mut refusals = Vec::new();
    for (status, _) in op["responses"].as_object().into_iter().flatten() {
        match status.as_str() {
            "default" => bail!("a `default` response is not supported (progenitor)"),
            code if code.ends_with("XX") => {
                let class: u16 = code[..1].parse().context("status class")?;
                if class == 2 {
                    bail!("a 2XX response range is not supported: list the success statuses");
                }
                refusals.push((class * 100, class * 100 + 99));
            }
            code => {
                let code: u16 = code.parse().with_context(|| format!("status {code}"))?;
                if (200..300).contains(&code) {
                    success.push(code);
                } else {
                    refusals.push((code, code));
                }
            }
        }
    }
    let param_order = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|param| resolve(doc, param))
        .filter_map(|param| {
            let earlier = param.get(NOT_BEFORE)?.as_str()?;
            Some((param["name"].as_str()?.to_string(), earlier.to_string()))
        })
        .collect();
    Ok(Operation {
        id: id.to_string(),
        auth,
        policy,
        token_endpoint: token_endpoints.contains(&id),
        success,
        refusals,
        money,
        refused: conditions(op.get(REFUSED))?,
        rejected_statuses,
        rejected_body,
        param_order,
    })
}

/// A list of conditions: `{field, in: [..]}`, `{field, present: true}`,
/// `{field, minimum: n}`, each with an optional `unless` condition on the request.
fn conditions(value: Option<&Value>) -> anyhow::Result<Vec<Condition>> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(condition)
        .collect()
}

fn condition(value: &Value) -> anyhow::Result<Condition> {
    let field = value["field"].as_str().ok_or_else(|| anyhow!("a condition needs a `field` pointer: {value}"))?.to_string();
    let test = if let Some(values) = value.get("in").and_then(Value::as_array) {
        Test::In(values.iter().map(wire_text).collect())
    } else if value.get("present") == Some(&Value::Bool(true)) {
        Test::Present
    } else if let Some(minimum) = value.get("minimum").and_then(Value::as_i64) {
        Test::Minimum(minimum)
    } else {
        bail!("a condition needs `in`, `present: true` or `minimum`: {value}");
    };
    let unless = value.get("unless").map(condition).transpose()?.map(Box::new);
    Ok(Condition { field, test, unless })
}

/// A JSON value as the text its Rust value displays.
fn wire_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn environments(doc: &Value) -> anyhow::Result<Vec<Environment>> {
    let mut out = Vec::new();
    for server in doc["servers"].as_array().into_iter().flatten() {
        let Some(name) = server.get(ENVIRONMENT).and_then(Value::as_str) else { continue };
        let url = server["url"].as_str().ok_or_else(|| anyhow!("server {name} has no url"))?;
        if url.contains('{') {
            bail!("server {name}: a named environment cannot have variables");
        }
        out.push(Environment {
            variant: name.to_upper_camel_case(),
            url: url.trim_end_matches('/').to_string(),
            description: server["description"].as_str().unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// Every named enum schema.
fn enums(doc: &Value) -> anyhow::Result<Vec<Enum>> {
    let mut out = Vec::new();
    for (name, schema) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else { continue };
        let integer = match schema["type"].as_str() {
            Some("string") => false,
            Some("integer") => true,
            other => bail!("enum {name}: type {other:?} is not supported (string or integer)"),
        };
        let names = schema.get(ENUM_VARNAMES).and_then(Value::as_array);
        let meanings = schema.get(ENUM_DESCRIPTIONS).and_then(Value::as_array);
        let mut variants = Vec::new();
        for (index, value) in values.iter().enumerate() {
            let wire = wire_text(value);
            let variant = match names.and_then(|names| names.get(index)).and_then(Value::as_str) {
                Some(variant) => variant.to_string(),
                None => variant_name(&wire),
            };
            let meaning = meanings.and_then(|m| m.get(index)).and_then(Value::as_str).map(String::from);
            variants.push(EnumValue { variant, wire, meaning });
        }
        out.push(Enum {
            name: name.clone(),
            description: schema["description"].as_str().unwrap_or_default().to_string(),
            integer,
            values: variants,
        });
    }
    Ok(out)
}

/// A variant name for a wire value, as typify names them: `access_denied` ->
/// `AccessDenied`, `200` -> `X200`.
pub fn variant_name(wire: &str) -> String {
    let name = wire.to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("X{name}")
    } else {
        name
    }
}

fn errors(doc: &Value) -> Vec<ErrorDisplay> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let error = schema.get(ERROR)?;
            Some(ErrorDisplay {
                schema: name.clone(),
                code: error.get("code").and_then(Value::as_str).map(String::from),
                message: error.get("message").and_then(Value::as_str).map(String::from),
                says: conditions(error.get("says")).unwrap_or_default(),
            })
        })
        .collect()
}

/// The component name of the schema of `operation`'s error responses, if any.
pub fn error_schema(doc: &Value, operation: &Value) -> Option<String> {
    operation["responses"].as_object()?.iter().find_map(|(status, response)| {
        if status.starts_with('2') {
            return None;
        }
        let response = resolve(doc, response);
        let media = response["content"].as_object()?.values().next()?;
        ref_name(&media["schema"]).map(String::from)
    })
}
