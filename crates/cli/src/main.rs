//! `payspec <provider> <operation> [--flags]`: see `payspec --help` and the crate docs.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("payspec: cannot start: {error}");
            return ExitCode::from(payspec_cli::exit::FAILED as u8);
        }
    };
    let env = |name: &str| std::env::var(name).ok();
    let output = runtime.block_on(payspec_cli::run(std::env::args_os(), &env));
    let _ = std::io::stdout().write_all(output.stdout.as_bytes());
    let _ = std::io::stderr().write_all(output.stderr.as_bytes());
    ExitCode::from(u8::try_from(output.code).unwrap_or(1))
}
