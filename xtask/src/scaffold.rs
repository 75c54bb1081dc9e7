//! `cargo xtask new <provider>`: a spec skeleton and a crate that builds and tests
//! right away, so a new provider starts from the layout every provider crate shares.
//!
//! Writes `specs/<provider>.yaml` (one read operation, one static bearer scheme, one
//! named environment, an error schema with its code and message: the house rules and
//! the extensions the generator reads), and `clients/<provider>/` with
//! `Cargo.toml`, `README.md` (its example is a doc test), `src/lib.rs` (`mod
//! generated;`, the re-exports, `Credentials`) and `src/rules.rs` (for what OpenAPI
//! cannot say), then `src/generated.rs` by running the generator. The workspace's
//! `clients/*` members glob picks the crate up. The templates are in `xtask/templates/`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::generate;
use crate::workspace::Workspace;

const SPEC: &str = include_str!("../templates/spec.yaml.tmpl");
const MANIFEST: &str = include_str!("../templates/Cargo.toml.tmpl");
const README: &str = include_str!("../templates/README.md.tmpl");
const LIB: &str = include_str!("../templates/lib.rs.tmpl");
const RULES: &str = include_str!("../templates/rules.rs.tmpl");

/// The hand-written files of a new provider (`generated.rs` is generated from the spec).
pub struct Scaffold {
    /// `specs/<provider>.yaml`.
    pub spec: String,
    /// `clients/<provider>/Cargo.toml`.
    pub manifest: String,
    /// `clients/<provider>/README.md`.
    pub readme: String,
    /// `clients/<provider>/src/lib.rs`.
    pub lib: String,
    /// `clients/<provider>/src/rules.rs`.
    pub rules: String,
}

/// The files for `provider`, filled in from the templates.
pub fn scaffold(provider: &str) -> anyhow::Result<Scaffold> {
    check_name(provider)?;
    let fill = |template: &str| {
        template
            .replace("__PROVIDER__", provider)
            .replace("__TITLE__", &title(provider))
            .replace("__CRATE__", &format!("payspec_{provider}"))
            .replace("__ENV_VAR__", &format!("{}_URL", provider.to_ascii_uppercase()))
    };
    Ok(Scaffold {
        spec: fill(SPEC),
        manifest: fill(MANIFEST),
        readme: fill(README),
        lib: fill(LIB),
        rules: fill(RULES),
    })
}

/// Writes the new provider's files and generates its client; refuses to overwrite.
pub fn run(workspace: &Workspace, provider: &str) -> anyhow::Result<ExitCode> {
    let scaffold = scaffold(provider)?;
    let spec = workspace.spec_path(provider);
    let generated = workspace.generated_path(provider);
    let src = generated.parent().context("generated.rs has a directory")?;
    let crate_dir = src.parent().context("src/ has a directory")?;
    for existing in [spec.as_path(), crate_dir] {
        if existing.exists() {
            bail!(
                "{} already exists: `new` only starts a provider",
                workspace.relative(existing).display()
            );
        }
    }
    std::fs::create_dir_all(src)?;
    let write = |path: &Path, contents: &str| -> anyhow::Result<()> {
        std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", workspace.relative(path).display());
        Ok(())
    };
    write(&spec, &scaffold.spec)?;
    write(&crate_dir.join("Cargo.toml"), &scaffold.manifest)?;
    write(&crate_dir.join("README.md"), &scaffold.readme)?;
    write(&src.join("lib.rs"), &scaffold.lib)?;
    write(&src.join("rules.rs"), &scaffold.rules)?;
    // Generated from the spec just written, exactly as `cargo xtask generate` would.
    write(&generated, &generate::provider(workspace, provider)?)?;
    println!(
        "\nnext: write specs/{provider}.yaml from the docs, then `cargo xtask generate {provider}`, \
         `cargo xtask lint`, and `cargo test -p payspec-{provider}`; a token endpoint needs \
         clients/{provider}/src/auth.rs (see payspec-paymob), a rule OpenAPI cannot say goes in \
         clients/{provider}/src/rules.rs"
    );
    Ok(ExitCode::SUCCESS)
}

/// A provider name is a spec file stem, a directory and part of a crate name:
/// lower-case ASCII letters and digits, starting with a letter.
fn check_name(provider: &str) -> anyhow::Result<()> {
    let valid = provider.starts_with(|c: char| c.is_ascii_lowercase())
        && provider
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !valid {
        bail!("`{provider}` is not a provider name: use lower-case letters and digits (e.g. `acmepay`)");
    }
    Ok(())
}

/// `acmepay` -> `Acmepay`, for prose; the spec's `info.title` is edited by hand.
fn title(provider: &str) -> String {
    let mut chars = provider.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
