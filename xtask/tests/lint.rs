//! `cargo xtask lint`: one fixture spec per rule under `tests/fixtures/lint/`, each
//! breaking its rule. A fixture marks every line a finding must point at with a
//! trailing `# lint: <rule>` comment; the test asserts exactly those findings appear.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::lint::{lint_text, Rule};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

/// `(line, rule)` for every `# lint: <rule>[, <rule>]` marker in `text`.
fn expected(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if let Some((_, rules)) = line.split_once("# lint: ") {
            out.extend(
                rules
                    .split(',')
                    .map(|rule| (index + 1, rule.trim().to_string())),
            );
        }
    }
    out.sort();
    out
}

/// Lints `tests/fixtures/lint/<name>.yaml` and compares with its markers; returns the
/// findings for further assertions.
fn assert_fixture(name: &str) -> Vec<xtask::lint::Finding> {
    let file = format!("tests/fixtures/lint/{name}.yaml");
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.yaml"))).expect("fixture");
    let findings = lint_text(&text, &file);
    let mut found: Vec<(usize, String)> = findings
        .iter()
        .map(|finding| (finding.line, finding.rule.to_string()))
        .collect();
    found.sort();
    let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        expected(&text),
        "findings of {file}:\n{}",
        shown.join("\n")
    );
    for finding in &findings {
        assert!(finding
            .to_string()
            .starts_with(&format!("{file}:{}: {}: ", finding.line, finding.rule)));
    }
    findings
}

fn messages(findings: &[xtask::lint::Finding]) -> String {
    findings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_has_a_fixture_that_breaks_it() {
    for rule in Rule::ALL {
        let path = fixtures().join(format!("{rule}.yaml"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("no fixture {}", path.display()));
        assert!(
            expected(&text)
                .iter()
                .any(|(_, marked)| *marked == rule.to_string()),
            "{} marks no `# lint: {rule}` line",
            path.display()
        );
    }
}

#[test]
fn a_spec_that_follows_the_house_rules_has_no_findings() {
    assert!(assert_fixture("clean").is_empty());
}

#[test]
fn a_spec_that_follows_the_house_rules_generates() {
    // The rules exist so that the generator (and the guarantees it wires) can rely on
    // them: the clean fixture, which uses every extension the generator reads, generates.
    let text = std::fs::read_to_string(fixtures().join("clean.yaml")).expect("fixture");
    let doc = xtask::spec::parse(&text, Path::new("specs/clean.yaml")).expect("parses");
    let source = xtask::generate::source_for(&doc, "clean").expect("generates");
    assert!(source.contains("policy: ::payspec_core::transport::OperationPolicy::MovesMoney"), "{source}");
    assert!(source.contains("Production,"), "the named environment: {source}");
}

#[test]
fn parse() {
    let findings = assert_fixture("parse");
    assert!(
        messages(&findings).contains("the spec is not valid YAML: did not find expected ','"),
        "{}",
        messages(&findings)
    );
}

#[test]
fn openapi_version() {
    let findings = assert_fixture("openapi-version");
    assert!(messages(&findings).contains("OpenAPI 3.1.0 is not supported"));
}

#[test]
fn operation_id() {
    let all = messages(&assert_fixture("operation-id"));
    assert!(all.contains("`createPayout` is not snake_case"), "{all}");
    assert!(
        all.contains("`get_payout` is already used by GET /payouts/{id}"),
        "{all}"
    );
    assert!(
        all.contains("DELETE /payouts/{id} has no operationId"),
        "{all}"
    );
}

#[test]
fn description() {
    let all = messages(&assert_fixture("description"));
    assert!(
        all.contains("operation `get_payout` has no description"),
        "{all}"
    );
    assert!(all.contains("parameter `id` has no description"), "{all}");
    assert!(
        all.contains("property `status` has no description"),
        "{all}"
    );
    assert!(
        all.contains("property `card` has no description: it is a $ref, so describe schema `Card`"),
        "{all}"
    );
}

#[test]
fn example() {
    let all = messages(&assert_fixture("example"));
    assert!(
        all.contains("\"10.50\" is not of type \"number\" at /amount"),
        "{all}"
    );
    assert!(all.contains("\"currency\" is a required property"), "{all}");
}

#[test]
fn money_format() {
    let all = messages(&assert_fixture("money-format"));
    assert!(
        all.contains("`amount` looks like money but is `type: number` without `format: decimal`"),
        "{all}"
    );
    assert!(all.contains("`format: decimal` with `nullable`"), "{all}");
    assert!(
        all.contains("`format: decimal` with `minimum: 5`: the only bound checked before sending is `minimum: 0, exclusiveMinimum: true`"),
        "{all}"
    );
    assert!(!all.contains("payout_amount"), "more than zero is the checked shape: {all}");
}

#[test]
fn secret_format() {
    let all = messages(&assert_fixture("secret-format"));
    assert!(
        all.contains("`password` looks like a secret but has no format"),
        "{all}"
    );
    assert!(
        all.contains("`apiKey` looks like a secret but has `format: uuid`"),
        "{all}"
    );
    assert!(all.contains("`format: cvv` needs `type: string`"), "{all}");
    assert!(all.contains("`format: client-secret` with `pattern` is not the exact shape"), "{all}");
}

#[test]
fn error_schema() {
    let all = messages(&assert_fixture("error-schema"));
    assert!(
        all.contains("2 different error bodies (400: `BadRequest`, 422: `Invalid`)"),
        "{all}"
    );
    assert!(all.contains("`default` beside a 2xx response"), "{all}");
    assert!(all.contains("(404: no body, 4XX: `BadRequest`)"), "{all}");
}

#[test]
fn success_schema() {
    let all = messages(&assert_fixture("success-schema"));
    assert!(
        all.contains("2 different success bodies (200: `Payout`, 201: an inline schema)"),
        "{all}"
    );
    assert!(
        all.contains("(200: an inline schema, 204: no body)"),
        "{all}"
    );
}

#[test]
fn moves_money() {
    let all = messages(&assert_fixture("moves-money"));
    assert!(all.contains("`create_payout` moves money (x-payspec-moves-money) and is marked x-payspec-retry-safe"), "{all}");
    assert!(
        all.contains("`create_refund` creates or cancels a money movement"),
        "{all}"
    );
    assert!(
        all.contains("`disburse` creates or cancels a money movement"),
        "{all}"
    );
    assert!(
        all.contains("`cancel_payout`: `x-payspec-moves-money: true` is the old form"),
        "{all}"
    );
    for missing in [
        "`create_withdrawal` moves money but names no `reference`",
        "`create_withdrawal` moves money but has no `reconcile`",
        "`create_withdrawal` moves money but has no `success` conditions",
        "`create_debit` moves money but has no `reconcile`",
        "`create_debit` moves money but has no `success` conditions",
    ] {
        assert!(all.contains(missing), "{missing}: {all}");
    }
    assert!(
        all.contains("`create_debit`: reference `merchant_ref` is neither a parameter nor a property of the request body (order)"),
        "{all}"
    );
    assert!(!all.contains("create_transfer"), "a path parameter is a reference: {all}");
}

#[test]
fn security() {
    let all = messages(&assert_fixture("security"));
    assert!(
        all.contains("the spec requires security scheme `apiToken`, which `components.securitySchemes` does not define"),
        "{all}"
    );
    assert!(all.contains("`get_profile` requires security scheme `oauth`"), "{all}");
    assert!(
        all.contains("security scheme `refreshed`: x-payspec-token-endpoint \"get_token\" names no operation"),
        "{all}"
    );
    assert!(all.contains("security scheme `cookie` is an `apiKey` in `cookie`"), "{all}");
}

#[test]
fn enum_descriptions() {
    let all = messages(&assert_fixture("enum-descriptions"));
    assert!(all.contains("x-enum-descriptions has 2 entries for 3 `enum` values"), "{all}");
    assert!(all.contains("x-enum-descriptions has 3 entries for 2 `enum` values"), "{all}");
    assert!(all.contains("x-enum-descriptions is not a list"), "{all}");
}

#[test]
fn error_pointer() {
    let all = messages(&assert_fixture("error-pointer"));
    assert!(
        all.contains("`BatchError`: x-payspec-error `code` points at `/data/code`, which is not a field of the schema"),
        "{all}"
    );
    assert!(all.contains("`BatchError`: x-payspec-error `message` points at `/msg`"), "{all}");
    assert!(all.contains("`BatchError`: x-payspec-error has `hint`, which is not `code`, `message` or `says`"), "{all}");
    assert!(all.contains("`Misspelled`: x-payspec-error is not an object"), "{all}");
}

#[test]
fn the_lint_command_prints_file_line_findings_and_exits_non_zero() {
    let temp = std::env::temp_dir().join(format!("payspec-lint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(temp.join("specs")).unwrap();
    std::fs::copy(fixtures().join("clean.yaml"), temp.join("specs/clean.yaml")).unwrap();
    let lint = || {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("lint")
            .env("PAYSPEC_ROOT", &temp)
            .output()
            .expect("runs")
    };
    assert_eq!(lint().status.code(), Some(0));

    std::fs::copy(
        fixtures().join("money-format.yaml"),
        temp.join("specs/broken.yaml"),
    )
    .unwrap();
    let output = lint();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("specs/broken.yaml:"), "{stdout}");
    assert!(stdout.contains(": money-format: "), "{stdout}");
    std::fs::remove_dir_all(&temp).unwrap();
}

#[test]
fn reference() {
    let all = messages(&assert_fixture("reference"));
    assert!(all.contains("#/components/schemas/Payout"), "{all}");
}
