//! `cargo xtask new`: the skeleton follows the house rules, has the layout every
//! provider crate shares, and a scaffolded provider builds and passes its tests (its
//! README and crate doc examples, as doc tests) in a copy of the workspace right away.
//!
//! The build test copies the workspace (without `target/` and `.git/`) to a temporary
//! directory and runs `cargo test -p payspec-<provider>`
//! there, offline, with this workspace's target directory so dependencies are already
//! built: it takes well under two minutes once the workspace has been built.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use xtask::workspace::Workspace;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn the_skeleton_spec_follows_the_house_rules() {
    let scaffold = xtask::scaffold::scaffold("acmepay").expect("scaffolds");
    let findings = xtask::lint::lint_text(&scaffold.spec, "specs/acmepay.yaml");
    assert!(findings.is_empty(), "{findings:#?}");
    // The extensions the generator reads: one static bearer scheme, one named
    // environment, one read operation, an error schema with its code and message.
    for declared in [
        "security:\n  - bearer: []",
        "x-payspec-environment: production",
        "x-payspec-retry-safe: true",
        "x-payspec-error:",
        "x-enum-descriptions:",
    ] {
        assert!(scaffold.spec.contains(declared), "{declared}");
    }
    assert!(!scaffold.spec.contains("x-payspec-token-endpoint:"), "a static token");
    assert!(scaffold.manifest.contains("name = \"payspec-acmepay\""));
    assert!(scaffold.readme.contains("use payspec_acmepay::{Client, Credentials, Environment};"));
    assert!(scaffold.lib.contains("use payspec_acmepay::{Client, Credentials, Environment, Error};"));
    assert!(scaffold.lib.contains(
        "pub use generated::{operations, types, ApiError, Client, Environment, Error, Provider, SPEC_JSON};"
    ));
    assert!(scaffold.lib.contains("pub type Credentials = payspec_core::secret::AccessToken;"));
    assert!(scaffold.lib.contains("#[doc = include_str!(\"../README.md\")]"));
    for (name, text) in [
        ("spec", &scaffold.spec),
        ("Cargo.toml", &scaffold.manifest),
        ("README.md", &scaffold.readme),
        ("lib.rs", &scaffold.lib),
        ("rules.rs", &scaffold.rules),
    ] {
        assert!(!text.contains("__"), "every placeholder of {name} is filled");
    }
}

#[test]
fn the_scaffolded_crate_has_the_layout_every_provider_crate_shares() {
    // The files every provider crate has besides generated.rs (auth.rs only where a
    // token endpoint needs one): a new crate starts from exactly these.
    let root = repo_root();
    for provider in ["magicpayments", "mediacube", "paymob", "billon"] {
        let dir = root.join("clients").join(provider);
        for file in ["Cargo.toml", "README.md", "src/lib.rs", "src/generated.rs"] {
            assert!(dir.join(file).is_file(), "clients/{provider}/{file}");
        }
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("pub use generated::{operations, types, ApiError, Client, Environment, Error, Provider, SPEC_JSON};"), "{provider}");
        assert!(lib.contains("#[doc = include_str!(\"../README.md\")]"), "{provider}");
    }
    let scaffold = xtask::scaffold::scaffold("acmepay").expect("scaffolds");
    assert!(scaffold.lib.contains("mod generated;\npub mod rules;\n"));
}

#[test]
fn a_provider_name_must_be_lower_case_letters_and_digits() {
    for bad in ["AcmePay", "acme-pay", "1pay", ""] {
        assert!(xtask::scaffold::scaffold(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_scaffolded_provider_builds_and_tests_in_a_copy_of_the_workspace() {
    let root = repo_root();
    let temp = std::env::temp_dir().join(format!("payspec-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    copy_tree(&root, &temp, &["target", ".git"]);

    let workspace = Workspace::at(&temp);
    assert_eq!(
        xtask::scaffold::run(&workspace, "acmepay").expect("scaffolds"),
        ExitCode::SUCCESS
    );
    assert!(
        xtask::scaffold::run(&workspace, "acmepay").is_err(),
        "never overwrites"
    );
    let generated = std::fs::read_to_string(workspace.generated_path("acmepay")).unwrap();
    assert_eq!(
        generated,
        xtask::generate::provider(&workspace, "acmepay").unwrap(),
        "generated.rs is current"
    );

    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let output = Command::new(env!("CARGO"))
        .args(["test", "--offline", "-p", "payspec-acmepay"])
        .current_dir(&temp)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{log}");
    // The README's example and the crate doc's example compile against the generated
    // client (`Client::builder`, `Environment`, `get_balance`), as doc tests.
    assert!(
        log.contains("src/lib.rs - ReadmeExamples") && log.contains("src/lib.rs - (line"),
        "{log}"
    );
    assert!(log.contains("Doc-tests payspec_acmepay"), "{log}");
    assert!(!log.contains("FAILED"), "{log}");
    std::fs::remove_dir_all(&temp).unwrap();
}

/// Copies `from` into `to`, leaving out the top-level entries named in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if skip.iter().any(|skipped| name == *skipped) {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(name), &[]);
        } else {
            std::fs::copy(&path, to.join(name))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
