//! `cargo xtask lint`: the house rules for specs, each finding as
//! `specs/x.yaml:123: rule: message`, and a non-zero exit when any rule is broken.
//!
//! The rules are what the generator and the payments guarantees rely on: OpenAPI
//! 3.0.x, unique snake_case operationIds, descriptions everywhere, examples that match
//! their schemas, money and secrets marked by format, one success and one error schema
//! per operation, money-moving operations declared as such (with what identifies them,
//! how to reconcile them and what in the answer says the money moved), and the spec
//! extensions the generator reads (`security` schemes and their token endpoints,
//! `x-enum-descriptions`, `x-payspec-error`) pointing at things that exist.

mod descriptions;
mod enums;
mod errors;
mod examples;
mod money;
mod names;
mod references;
mod operation_ids;
mod responses;
mod retry;
mod secrets;
mod security;
mod shape;
mod version;
mod walk;

use std::fmt;
use std::process::ExitCode;

use serde_json::Value;

use crate::workspace::Workspace;
use crate::yaml_lines::LineIndex;

/// A house rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// The file is YAML.
    Parse,
    /// `openapi: 3.0.x` (progenitor reads nothing else).
    OpenapiVersion,
    /// Every operation has a unique snake_case `operationId`.
    OperationId,
    /// Every operation, parameter and schema property has a description.
    Description,
    /// Every example validates against its schema.
    Example,
    /// Amounts are `format: decimal`, in the exact shape the generator maps.
    MoneyFormat,
    /// Credentials and card data use a secret format, in the exact shape the generator maps.
    SecretFormat,
    /// At most one error schema per operation, and no `default` beside a 2xx.
    ErrorSchema,
    /// At most one success schema per operation.
    SuccessSchema,
    /// Money-moving operations are marked so (reference, reconcile, success) and never
    /// marked retry-safe.
    MovesMoney,
    /// Every `security` names a defined scheme the generator supports, and every
    /// `x-payspec-token-endpoint` names an operation.
    Security,
    /// `x-enum-descriptions` has one meaning per `enum` value.
    EnumDescriptions,
    /// `x-payspec-error`'s `code` and `message` point at fields of the schema.
    ErrorPointer,
    /// Every local `$ref` names something the document has (progenitor would panic).
    Reference,
}

impl Rule {
    /// Every rule, in the order findings are explained in.
    pub const ALL: [Rule; 14] = [
        Rule::Parse,
        Rule::OpenapiVersion,
        Rule::OperationId,
        Rule::Description,
        Rule::Example,
        Rule::MoneyFormat,
        Rule::SecretFormat,
        Rule::ErrorSchema,
        Rule::SuccessSchema,
        Rule::MovesMoney,
        Rule::Security,
        Rule::EnumDescriptions,
        Rule::ErrorPointer,
        Rule::Reference,
    ];

    /// The rule's name in findings (`money-format`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Parse => "parse",
            Rule::OpenapiVersion => "openapi-version",
            Rule::OperationId => "operation-id",
            Rule::Description => "description",
            Rule::Example => "example",
            Rule::MoneyFormat => "money-format",
            Rule::SecretFormat => "secret-format",
            Rule::ErrorSchema => "error-schema",
            Rule::SuccessSchema => "success-schema",
            Rule::MovesMoney => "moves-money",
            Rule::Security => "security",
            Rule::EnumDescriptions => "enum-descriptions",
            Rule::ErrorPointer => "error-pointer",
            Rule::Reference => "reference",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One broken rule, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The spec, as shown (`specs/x.yaml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The rule broken.
    pub rule: Rule,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.rule, self.message
        )
    }
}

/// Where rules report: turns JSON pointers into lines of the file.
pub(crate) struct Findings<'a> {
    file: &'a str,
    lines: &'a LineIndex,
    found: Vec<Finding>,
}

impl Findings<'_> {
    /// Reports `message` against the node at `pointer`.
    fn report(&mut self, pointer: &str, rule: Rule, message: impl Into<String>) {
        self.found.push(Finding {
            file: self.file.to_string(),
            line: self.lines.line(pointer),
            rule,
            message: message.into(),
        });
    }
}

/// Every finding in `text`, the contents of the spec shown as `file`, by line.
pub fn lint_text(text: &str, file: &str) -> Vec<Finding> {
    let lines = LineIndex::of(text);
    let mut findings = Findings {
        file,
        lines: &lines,
        found: Vec::new(),
    };
    match payspec_spec::parse_yaml(text) {
        Ok(doc) => check(&doc, &mut findings),
        Err(error) => findings.found.push(Finding {
            file: file.to_string(),
            line: parse_error_line(text),
            rule: Rule::Parse,
            message: format!("the spec is not valid YAML: {error}"),
        }),
    }
    let mut found = findings.found;
    found.sort_by_key(|finding| (finding.line, finding.rule));
    found
}

fn check(doc: &Value, findings: &mut Findings<'_>) {
    version::check(doc, findings);
    references::check(doc, findings);
    operation_ids::check(doc, findings);
    descriptions::check(doc, findings);
    examples::check(doc, findings);
    money::check(doc, findings);
    secrets::check(doc, findings);
    responses::check(doc, findings);
    retry::check(doc, findings);
    security::check(doc, findings);
    enums::check(doc, findings);
    errors::check(doc, findings);
}

fn parse_error_line(text: &str) -> usize {
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
        .err()
        .and_then(|error| error.location())
        .map_or(1, |location| location.line())
}

/// Lints every spec; prints each finding and fails when there is any.
pub fn run(workspace: &Workspace) -> anyhow::Result<ExitCode> {
    let mut total = 0;
    let providers = workspace.providers()?;
    for provider in &providers {
        let path = workspace.spec_path(provider);
        let text = std::fs::read_to_string(&path)?;
        let findings = lint_text(&text, &workspace.relative(&path).display().to_string());
        for finding in &findings {
            println!("{finding}");
        }
        total += findings.len();
    }
    if total == 0 {
        println!("ok    {} spec(s) follow the house rules", providers.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{total} finding(s): see README.md, \"Adding a provider\", for the house rules");
        Ok(ExitCode::FAILURE)
    }
}
