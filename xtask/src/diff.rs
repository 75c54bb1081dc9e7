//! `cargo xtask diff <git-rev>`: what changed in each provider's API since a git
//! revision, as Markdown for a pull request: breaking changes first (an operation
//! removed, renamed or moved; a request field added as required; a field removed or
//! retyped; an enum value removed from a request; a response field made optional),
//! then the rest (additions, descriptions, and the repeat policy: an operation that
//! starts or stops moving money or being retry-safe, or a money-moving one whose
//! `x-payspec-moves-money` reference, reconcile advice or success conditions, or whose
//! `x-payspec-refused` conditions, changed), then the generated surface diff.
//!
//! The spec comparison is a pure function of the two spec texts ([`compare`]); the
//! command reads the old texts with `git show <rev>:<path>`, so it works offline on
//! any clone that has the revision. Paths are taken from the repository's top level,
//! which is the workspace root.

mod change;
mod git;
mod operations;
mod report;
mod schemas;

use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;
use similar::TextDiff;

pub use change::{Change, Direction, Severity};
pub use report::{markdown, ProviderChanges};

use crate::workspace::Workspace;
use crate::{generate, surface};

/// Every API change from the spec text `old` to `new`, breaking first. `None` is a
/// spec that does not exist on that side (a provider added or removed).
pub fn compare(old: Option<&str>, new: Option<&str>) -> anyhow::Result<Vec<Change>> {
    let parse = |text: Option<&str>| text.map_or_else(|| Ok(Value::Null), |text| payspec_spec::parse_yaml(text).map_err(anyhow::Error::from));
    let old = parse(old).context("the old spec")?;
    let new = parse(new).context("the new spec")?;
    let mut changes = change::Changes::default();
    operations::compare(
        schemas::Docs {
            old: &old,
            new: &new,
        },
        &mut changes,
    );
    Ok(changes.into_sorted())
}

/// The unified diff from one surface listing to another; `None` when they are equal.
pub fn surface_diff(provider: &str, old_listing: &str, new_listing: &str) -> Option<String> {
    (old_listing != new_listing).then(|| {
        TextDiff::from_lines(old_listing, new_listing)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{provider} (before)"),
                &format!("{provider} (after)"),
            )
            .to_string()
    })
}

/// Prints the report for every provider (in the working tree or at `rev`).
pub fn run(workspace: &Workspace, rev: &str) -> anyhow::Result<ExitCode> {
    // git runs inside specs/; `rev:path` paths are from the top level (the workspace root).
    let git = git::Git::at(
        workspace
            .spec_path("")
            .parent()
            .context("no specs directory")?,
    );
    git.verify(rev)?;
    let mut providers = workspace.providers()?;
    for name in git.list(rev, "specs")? {
        if let Some(provider) = name.strip_suffix(".yaml") {
            if !providers.iter().any(|known| known == provider) {
                providers.push(provider.to_string());
            }
        }
    }
    providers.sort();
    let mut report = Vec::new();
    for provider in providers {
        let changes = provider_changes(workspace, &git, rev, &provider)
            .with_context(|| format!("comparing {provider}"))?;
        report.push(changes);
    }
    print!("{}", markdown(rev, &report));
    Ok(ExitCode::SUCCESS)
}

fn provider_changes(
    workspace: &Workspace,
    git: &git::Git,
    rev: &str,
    provider: &str,
) -> anyhow::Result<ProviderChanges> {
    let spec_path = workspace.spec_path(provider);
    let old_spec = git.show(rev, &git_path(workspace, &spec_path))?;
    let new_spec = spec_path
        .is_file()
        .then(|| std::fs::read_to_string(&spec_path))
        .transpose()?;
    let changes = compare(old_spec.as_deref(), new_spec.as_deref())?;

    let old_source = git.show(
        rev,
        &git_path(workspace, &workspace.generated_path(provider)),
    )?;
    let old_listing = old_source
        .as_deref()
        .map(surface::listing)
        .transpose()?
        .unwrap_or_default();
    let new_listing = match new_spec {
        Some(_) => surface::listing(&generate::provider(workspace, provider)?)?,
        None => String::new(),
    };
    Ok(ProviderChanges {
        provider: provider.to_string(),
        changes,
        surface: surface_diff(provider, &old_listing, &new_listing),
    })
}

/// `path` as git names it in `rev:path`: from the top level, with `/`.
fn git_path(workspace: &Workspace, path: &std::path::Path) -> String {
    workspace
        .relative(path)
        .to_string_lossy()
        .replace('\\', "/")
}
