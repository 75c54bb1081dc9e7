//! `cargo xtask <command>`: see `cargo xtask help`.

use std::process::ExitCode;

use xtask::{check, diff, generate, lint, scaffold, workspace::Workspace};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate [provider]   regenerate clients/<provider>/src/generated.rs from specs/<provider>.yaml
  check                 fail, with a diff, when a generated file is stale or a spec is invalid
  surface <provider>    print the generated public surface of a provider crate
  lint                  check every spec against the house rules (file:line findings)
  diff <git-rev>        Markdown report of API changes since <git-rev>, breaking first
  new <provider>        scaffold specs/<provider>.yaml and clients/<provider>/";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let workspace = Workspace::locate()?;
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate"] => generate_all(&workspace, None),
        ["generate", provider] => generate_all(&workspace, Some(provider)),
        ["check"] => check::run(&workspace),
        ["lint"] => lint::run(&workspace),
        ["diff", rev] => diff::run(&workspace, rev),
        ["new", provider] => scaffold::run(&workspace, provider),
        ["surface", provider] => {
            let source = std::fs::read_to_string(workspace.generated_path(provider))?;
            print!("{}", xtask::surface::listing(&source)?);
            Ok(ExitCode::SUCCESS)
        }
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    }
}

fn generate_all(workspace: &Workspace, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let providers = match only {
        Some(provider) => vec![provider.to_string()],
        None => workspace.providers()?,
    };
    for provider in providers {
        let code = generate::provider(workspace, &provider)?;
        if !workspace.has_crate(&provider) {
            println!("spec {provider} generates, but clients/{provider} has no crate yet: not written");
            continue;
        }
        let path = workspace.generated_path(&provider);
        std::fs::write(&path, code)?;
        println!("wrote {}", workspace.relative(&path).display());
    }
    Ok(ExitCode::SUCCESS)
}
