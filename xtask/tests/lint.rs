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
fn parse() {
    let findings = assert_fixture("parse");
    assert!(
        messages(&findings).contains("not valid YAML"),
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
