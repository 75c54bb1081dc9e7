//! The Markdown report: per provider, breaking changes first, then the rest, then the
//! generated surface diff folded in a `<details>` block.

use std::fmt::Write;

use super::change::{Change, Severity};

/// How many operations a shared schema's change lists before "and N more".
const USES_SHOWN: usize = 4;

/// What changed for one provider.
pub struct ProviderChanges {
    /// The provider (`specs/<provider>.yaml`).
    pub provider: String,
    /// Spec-level changes, breaking first.
    pub changes: Vec<Change>,
    /// Unified diff of the generated surface listing; `None` when it did not change.
    pub surface: Option<String>,
}

/// The whole report for changes since `rev`.
pub fn markdown(rev: &str, providers: &[ProviderChanges]) -> String {
    let mut out = format!("# API changes since `{rev}`\n\n");
    let count = |severity| {
        providers
            .iter()
            .flat_map(|provider| &provider.changes)
            .filter(|change| change.severity == severity)
            .count()
    };
    let (breaking, other) = (count(Severity::Breaking), count(Severity::NonBreaking));
    let _ = writeln!(out, "{breaking} breaking, {other} non-breaking.");
    let (changed, unchanged): (Vec<_>, Vec<_>) = providers
        .iter()
        .partition(|provider| !provider.changes.is_empty() || provider.surface.is_some());
    for provider in changed {
        write_provider(&mut out, provider);
    }
    if !unchanged.is_empty() {
        let names: Vec<String> = unchanged
            .iter()
            .map(|provider| format!("`{}`", provider.provider))
            .collect();
        let _ = writeln!(out, "\nNo changes: {}.", names.join(", "));
    }
    out
}

fn write_provider(out: &mut String, provider: &ProviderChanges) {
    let _ = writeln!(out, "\n## {}", provider.provider);
    for (severity, title) in [
        (Severity::Breaking, "Breaking"),
        (Severity::NonBreaking, "Non-breaking"),
    ] {
        let changes: Vec<&Change> = provider
            .changes
            .iter()
            .filter(|change| change.severity == severity)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for change in changes {
            let _ = write!(out, "- {}: {}", change.subject, change.what);
            if !change.uses.is_empty() {
                let _ = write!(out, " — {}", uses(&change.uses));
            }
            out.push('\n');
        }
    }
    if provider.changes.is_empty() {
        out.push_str("\nNo spec changes; the generated code changed (the generator did).\n");
    }
    if let Some(surface) = &provider.surface {
        let _ = writeln!(
            out,
            "\n<details><summary>Generated surface (<code>cargo xtask surface {}</code>)</summary>\n\n```diff\n{}```\n\n</details>",
            provider.provider,
            surface
        );
    }
}

/// `` `a` request, `b` response and 3 more ``.
fn uses(uses: &[String]) -> String {
    let shown = uses[..uses.len().min(USES_SHOWN)].join(", ");
    match uses.len().saturating_sub(USES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}
