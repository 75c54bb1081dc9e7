//! Test support shared by the workspace tests: the specs as JSON, their documented
//! examples, and JSON Schema validators built from their request schemas, so a client
//! is checked against the very spec it was generated from.

pub mod fuzz;
pub mod hostile;
pub mod parse;
pub mod traces;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `specs/<provider>.yaml` as JSON.
pub fn spec(provider: &str) -> Value {
    let path = repo_root().join("specs").join(format!("{provider}.yaml"));
    payspec_spec::load(&path, &path).unwrap_or_else(|e| panic!("{e}"))
}

/// One `reqwest::Client` for every client a test binary builds (building one reads the
/// system's CA store, which costs milliseconds each time). payspec's builder turns
/// redirects off; this one is built the same way.
pub fn http() -> reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    built_once(&HTTP, |builder| builder)
}

/// One `reqwest::Client` that keeps no idle connection: each request opens its own, so
/// a connection left by an earlier case (to a server reconfigured since) never carries
/// the next one. For tests that need that isolation; built once for the same reason as
/// [`http()`].
pub fn unpooled_http() -> reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    built_once(&HTTP, |builder| builder.pool_max_idle_per_host(0))
}

fn built_once(client: &OnceLock<reqwest::Client>, configure: fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder) -> reqwest::Client {
    client
        .get_or_init(|| {
            configure(payspec_core::transport::http_client_builder(&payspec_core::Limits::default()))
                .build()
                .expect("a reqwest client")
        })
        .clone()
}

/// Where a documented example belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExampleKind {
    /// A request body.
    Request,
    /// A response body with this status key (`"200"`, `"4XX"`).
    Response(String),
}

/// One documented example of an operation.
#[derive(Clone, Debug)]
pub struct Example {
    /// The operation's `operationId`.
    pub operation: String,
    /// Request or response.
    pub kind: ExampleKind,
    /// The example's name in the spec.
    pub name: String,
    /// The example body.
    pub value: Value,
}

/// Every named example of every operation's JSON request and response bodies.
pub fn examples(spec: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    for (operation, op) in operations(spec) {
        if let Some(body) = op.get("requestBody").map(|body| resolve(spec, body)) {
            collect_examples(spec, &operation, ExampleKind::Request, body, &mut out);
        }
        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            let response = resolve(spec, response);
            collect_examples(spec, &operation, ExampleKind::Response(status.clone()), response, &mut out);
        }
    }
    out
}

fn collect_examples(spec: &Value, operation: &str, kind: ExampleKind, holder: &Value, out: &mut Vec<Example>) {
    for media in holder["content"].as_object().into_iter().flatten().map(|(_, media)| media) {
        for (name, example) in media["examples"].as_object().into_iter().flatten() {
            out.push(Example {
                operation: operation.to_string(),
                kind: kind.clone(),
                name: name.clone(),
                value: resolve(spec, example)["value"].clone(),
            });
        }
    }
}

/// `(operationId, operation object)` for every operation in the spec.
pub fn operations(spec: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (_, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.push((op["operationId"].as_str().unwrap_or_default().to_string(), op));
            }
        }
    }
    out
}

/// Follows a local `$ref` (`#/components/...`) once.
pub fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {reference}")),
        None => value,
    }
}

/// A validator for the JSON request body of `operation_id`, built from the spec's own
/// schema with OpenAPI 3.0's `nullable` rewritten to JSON Schema.
pub fn request_validator(spec: &Value, operation_id: &str) -> jsonschema::Validator {
    let (_, op) = operations(spec)
        .into_iter()
        .find(|(id, _)| id == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"));
    let body = resolve(spec, &op["requestBody"]);
    let (_, media) = body["content"]
        .as_object()
        .and_then(|content| content.iter().next())
        .unwrap_or_else(|| panic!("{operation_id} has no request body"));
    validator_for(spec, &media["schema"])
}

/// A validator for `schema`, with the spec's components available to its `$ref`s.
pub fn validator_for(spec: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = json_schema(schema);
    if let Value::Object(root) = &mut root {
        root.insert("components".into(), json_schema(&spec["components"]));
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

/// OpenAPI 3.0 schema -> JSON Schema (`nullable: true` becomes a `null` alternative):
/// the same rewrite `cargo xtask lint` validates examples with.
pub use payspec_spec::json_schema::rewrite as json_schema;

/// Panics with every validation error when `instance` does not match.
pub fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what} does not match its schema:\n{}\n{instance:#}", errors.join("\n"));
}

/// The repository README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
