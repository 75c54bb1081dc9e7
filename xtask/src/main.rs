//! `cargo xtask <command>`: see `cargo xtask help`.
//!
//! The command line is parsed with clap's derive API: it is the ecosystem's argument
//! parser, and it gives every command (not just the top level) its `--help`/`-h`, so
//! `cargo xtask generate --help` prints help instead of looking for a provider named
//! `--help`, and a missing or extra argument is a usage error with the usage shown.

use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use xtask::{check, diff, generate, lint, scaffold, workspace::Workspace};

/// Repository automation for payspec: generate, check, list, lint, diff and scaffold the
/// provider clients.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate clients/<provider>/src/generated.rs from specs/<provider>.yaml (every
    /// provider when none is named).
    Generate {
        /// A provider with a spec in specs/ (e.g. `magicpayments`).
        provider: Option<String>,
    },
    /// Fail, with a diff, when a generated file is stale or a spec is invalid.
    Check,
    /// Print the generated public surface of a provider crate.
    Surface {
        /// A provider with a generated crate in clients/.
        provider: String,
    },
    /// Check every spec against the house rules (file:line findings).
    Lint,
    /// Markdown report of API changes since <git-rev>, breaking first.
    Diff {
        /// The git revision to compare with (e.g. `origin/main`, `HEAD`).
        rev: String,
    },
    /// Scaffold specs/<provider>.yaml and clients/<provider>/, and generate its client.
    New {
        /// The new provider's name: lower-case letters and digits (e.g. `acmepay`).
        provider: String,
    },
}

fn main() -> ExitCode {
    // clap prints help (exit 0) or a usage error (exit 2) itself.
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    let workspace = Workspace::locate()?;
    match command {
        Command::Generate { provider } => generate_all(&workspace, provider.as_deref()),
        Command::Check => check::run(&workspace),
        Command::Lint => lint::run(&workspace),
        Command::Diff { rev } => diff::run(&workspace, &rev),
        Command::New { provider } => scaffold::run(&workspace, &provider),
        Command::Surface { provider } => {
            let path = workspace.generated_path(&provider);
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", workspace.relative(&path).display()))?;
            print!("{}", xtask::surface::listing(&source)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn generate_all(workspace: &Workspace, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let known = workspace.providers()?;
    let providers = match only {
        Some(provider) if known.iter().any(|known| known == provider) => vec![provider.to_string()],
        Some(provider) => bail!(
            "no spec specs/{provider}.yaml; known providers: {}",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        ),
        None => known,
    };
    for provider in providers {
        let code = generate::provider(workspace, &provider)?;
        if !workspace.has_crate(&provider) {
            println!("spec {provider} generates, but clients/{provider} has no crate yet: not written");
            continue;
        }
        let path = workspace.generated_path(&provider);
        // Unchanged output is not rewritten: a new mtime would make cargo rebuild the
        // crate and every test binary that depends on it.
        if std::fs::read_to_string(&path).is_ok_and(|current| current == code) {
            println!("unchanged {}", workspace.relative(&path).display());
            continue;
        }
        std::fs::write(&path, code)?;
        println!("wrote {}", workspace.relative(&path).display());
    }
    Ok(ExitCode::SUCCESS)
}
