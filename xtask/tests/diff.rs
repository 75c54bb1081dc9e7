//! `cargo xtask diff`: the comparison is a pure function of two spec texts, checked
//! on a fixture pair (`tests/fixtures/diff/{old,new}.yaml`) that makes one change of
//! every kind, with the report kept as an insta snapshot; and the command end to end
//! on a throwaway git repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::diff::{self, Change, ProviderChanges, Severity};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The surface listing of a spec text, generated in memory.
fn listing(spec: &str) -> String {
    let openapi = xtask::spec::parse(spec, Path::new("specs/payouts.yaml")).expect("parses");
    let source = xtask::generate::source_for(&openapi, "x").expect("generates");
    xtask::surface::listing(&source).expect("lists")
}

fn find<'a>(changes: &'a [Change], subject: &str, what: &str) -> &'a Change {
    changes
        .iter()
        .find(|change| change.subject == subject && change.what.starts_with(what))
        .unwrap_or_else(|| panic!("no change `{subject}: {what}` in {changes:#?}"))
}

#[test]
fn each_kind_of_change_is_classified() {
    let changes =
        diff::compare(Some(&fixture("old.yaml")), Some(&fixture("new.yaml"))).expect("compares");
    let breaking = |subject: &str, what: &str| {
        assert_eq!(
            find(&changes, subject, what).severity,
            Severity::Breaking,
            "{subject}: {what}"
        );
    };
    breaking("`delete_note`", "removed (was `DELETE /payouts/{id}/note`)");
    breaking("`get_payout`", "renamed to `fetch_payout`");
    breaking(
        "`list_payouts`",
        "moved from `GET /payouts` to `GET /v2/payouts`",
    );
    breaking("`PayoutRequest.reference`", "added (required)");
    breaking("`PayoutRequest.note`", "removed");
    breaking(
        "`Payout.amount`",
        "type changed from `number (decimal)` to `string (decimal)`",
    );
    breaking("`Method`", "enum value `bank` removed");
    breaking("`Payout.status`", "made optional");

    let non_breaking = |subject: &str, what: &str| {
        assert_eq!(
            find(&changes, subject, what).severity,
            Severity::NonBreaking,
            "{subject}: {what}"
        );
    };
    non_breaking("`cancel_payout`", "added (`POST /payouts/{id}/cancel`)");
    non_breaking("`PayoutRequest.comment`", "added (optional)");
    non_breaking("`Status`", "enum value `refunded` added");
    non_breaking("`Payout.id`", "description changed");
    non_breaking("`list_payouts` query parameter `limit`", "added (optional)");
    non_breaking("`Payout.channel`", "enum value `batch` removed");
    non_breaking(
        "`fetch_payout`",
        "policy changed from not retried to retry-safe",
    );
    // Read from the `x-payspec-moves-money` object on both sides.
    non_breaking(
        "`create_payout`",
        "money-moving reference changed from `amount`, `method` to `reference`",
    );
    assert!(
        !changes.iter().any(|change| change.subject == "`create_payout`" && change.what.starts_with("policy changed")),
        "create_payout moves money on both sides: {changes:#?}"
    );

    let first_non_breaking = changes
        .iter()
        .position(|c| c.severity == Severity::NonBreaking)
        .unwrap();
    assert!(
        changes[first_non_breaking..]
            .iter()
            .all(|c| c.severity == Severity::NonBreaking),
        "breaking first"
    );
    let shared = find(&changes, "`Payout.amount`", "type changed");
    assert!(
        shared
            .uses
            .contains(&"`create_payout` response".to_string()),
        "{:?}",
        shared.uses
    );
}

#[test]
fn the_report_of_the_fixture_pair() {
    let (old, new) = (fixture("old.yaml"), fixture("new.yaml"));
    let report = diff::markdown(
        "v1",
        &[ProviderChanges {
            provider: "payouts".into(),
            changes: diff::compare(Some(&old), Some(&new)).expect("compares"),
            surface: diff::surface_diff("payouts", &listing(&old), &listing(&new)),
        }],
    );
    insta::assert_snapshot!("report_of_the_fixture_pair", report);
}

#[test]
fn an_unchanged_spec_reports_no_changes() {
    let spec = fixture("old.yaml");
    let changes = diff::compare(Some(&spec), Some(&spec)).expect("compares");
    assert!(changes.is_empty(), "{changes:#?}");
    assert!(diff::surface_diff("payouts", &listing(&spec), &listing(&spec)).is_none());
    let report = diff::markdown(
        "v1",
        &[ProviderChanges {
            provider: "payouts".into(),
            changes,
            surface: None,
        }],
    );
    assert_eq!(
        report,
        "# API changes since `v1`\n\n0 breaking, 0 non-breaking.\n\nNo changes: `payouts`.\n"
    );
}

#[test]
fn a_shared_schema_change_lists_a_few_operations_then_counts_the_rest() {
    let uses: Vec<String> = (1..=6).map(|n| format!("`op{n}` response")).collect();
    let change = Change {
        severity: Severity::NonBreaking,
        subject: "`Status`".into(),
        what: "enum value `refunded` added".into(),
        uses,
    };
    let report = diff::markdown(
        "v1",
        &[ProviderChanges {
            provider: "payouts".into(),
            changes: vec![change],
            surface: None,
        }],
    );
    assert!(
        report.contains(
            "- `Status`: enum value `refunded` added — `op1` response, `op2` response, \
         `op3` response, `op4` response and 2 more\n"
        ),
        "{report}"
    );
}

#[test]
fn a_new_provider_lists_its_operations_as_added() {
    let changes = diff::compare(None, Some(&fixture("new.yaml"))).expect("compares");
    assert_eq!(changes.len(), 4, "{changes:#?}");
    assert!(
        changes
            .iter()
            .all(|change| change.severity == Severity::NonBreaking
                && change.what.starts_with("added"))
    );
    let removed = diff::compare(Some(&fixture("new.yaml")), None).expect("compares");
    assert!(removed
        .iter()
        .all(|change| change.severity == Severity::Breaking && change.what.starts_with("removed")));
}

#[test]
fn the_diff_command_reads_the_old_spec_and_generated_code_from_git() {
    let temp = std::env::temp_dir().join(format!("payspec-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(temp.join("specs")).unwrap();
    std::fs::create_dir_all(temp.join("clients/payouts/src")).unwrap();
    let old = fixture("old.yaml");
    std::fs::write(temp.join("specs/payouts.yaml"), &old).unwrap();
    std::fs::write(
        temp.join("clients/payouts/Cargo.toml"),
        "[package]\nname = \"payspec-payouts\"\n",
    )
    .unwrap();
    let workspace = xtask::workspace::Workspace::at(&temp);
    let generated = xtask::generate::provider(&workspace, "payouts").expect("generates");
    std::fs::write(temp.join("clients/payouts/src/generated.rs"), generated).unwrap();
    git(&temp, &["init", "--quiet"]);
    git(&temp, &["add", "."]);
    git(
        &temp,
        &[
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.com",
            "commit",
            "--quiet",
            "-m",
            "old",
        ],
    );
    std::fs::write(temp.join("specs/payouts.yaml"), fixture("new.yaml")).unwrap();

    let run = |rev: &str| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["diff", rev])
            .env("PAYSPEC_ROOT", &temp)
            .output()
            .expect("runs")
    };
    let output = run("HEAD");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.starts_with("# API changes since `HEAD`\n\n8 breaking, 8 non-breaking."),
        "{stdout}"
    );
    assert!(
        stdout.contains("- `get_payout`: renamed to `fetch_payout`"),
        "{stdout}"
    );
    // The surface diff compares the committed generated.rs with what the spec generates now.
    assert!(
        stdout.contains("\n-get_payout GET /payouts/{id}\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n+fetch_payout GET /payouts/{id}\n"),
        "{stdout}"
    );
    assert!(stdout.contains("</details>"), "{stdout}");

    let output = run("no-such-rev");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`no-such-rev` is not a commit"));
    std::fs::remove_dir_all(&temp).unwrap();
}

fn git(dir: &PathBuf, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}
