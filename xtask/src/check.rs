//! `cargo xtask check`: every spec is valid and every checked-in generated file is
//! exactly what `generate` would write now.

use std::process::ExitCode;

use similar::TextDiff;

use crate::{generate, workspace::Workspace};

/// Prints a unified diff for each stale file; fails when any is stale or a spec is invalid.
pub fn run(workspace: &Workspace) -> anyhow::Result<ExitCode> {
    let mut stale = 0;
    for provider in workspace.providers()? {
        let path = workspace.generated_path(&provider);
        let shown = workspace.relative(&path).display().to_string();
        let expected = generate::provider(workspace, &provider)?;
        if !workspace.has_crate(&provider) {
            println!("ok    specs/{provider}.yaml (no crate yet)");
            continue;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual == expected {
            println!("ok    {shown}");
            continue;
        }
        stale += 1;
        println!("STALE {shown}");
        let diff = TextDiff::from_lines(&actual, &expected);
        print!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("{shown} (checked in)"), &format!("{shown} (generated)"))
        );
    }
    if stale == 0 {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{stale} generated file(s) are stale: run `cargo xtask generate` and commit");
        Ok(ExitCode::FAILURE)
    }
}
