//! The `payspec` command line: any payspec provider's operations from a shell, with
//! the typed client underneath (checks before sending, the token flow, the one outcome
//! table).
//!
//! ```text
//! payspec <provider> <operation> [--param name=value]... [--body '<json>' | --body @file.json]
//!         [--base-url URL] [--dry-run] [--live] [--timeout SECONDS]
//! ```
//!
//! Credentials come from environment variables (`payspec --help` names them), the host
//! from `--base-url` or `PAYSPEC_<PROVIDER>_URL` (there is no production default). The
//! answer is printed as JSON on stdout, and the exit code tells what happened:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done (`--dry-run`: the request was printed, nothing sent) |
//! | 2 | usage: a bad argument, a missing variable, a request refused before sending, a payout to a non-local host without `--live` |
//! | 3 | refused by the provider (`Error::Api`): nothing was done |
//! | 4 | outcome unknown: the reference and the provider's reconcile rule are printed; do not send it again before reconciling |
//! | 5 | transport or auth failure, or an undocumented answer to a call that moves no money |
//!
//! The binary calls [`run`]; tests can too.

mod output;
mod providers;

use std::ffi::OsString;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// Exit codes.
pub mod exit {
    /// Done.
    pub const OK: i32 = 0;
    /// A usage error: nothing was sent.
    pub const USAGE: i32 = 2;
    /// The provider refused the request (`Error::Api`).
    pub const REFUSED: i32 = 3;
    /// The outcome of a money-moving request is unknown: reconcile before repeating it.
    pub const UNKNOWN: i32 = 4;
    /// No usable answer: transport, auth, or an undocumented answer.
    pub const FAILED: i32 = 5;
}

const ENVIRONMENT_HELP: &str = "\
Credentials (environment variables):
  magicpayments  PAYSPEC_MAGICPAYMENTS_TOKEN
  mediacube      PAYSPEC_MEDIACUBE_CLIENT_ID, PAYSPEC_MEDIACUBE_CLIENT_SECRET
  paymob         PAYSPEC_PAYMOB_CLIENT_ID, PAYSPEC_PAYMOB_CLIENT_SECRET,
                 PAYSPEC_PAYMOB_USERNAME, PAYSPEC_PAYMOB_PASSWORD
  billon         PAYSPEC_BILLON_API_KEY
Host: --base-url, or PAYSPEC_<PROVIDER>_URL (e.g. PAYSPEC_BILLON_URL); there is no
production default. `payspec-mock <provider>` serves a mock and prints all of these.

Operations: `payspec <provider> --help` lists them, with the --param and --body each takes.

Exit codes: 0 done, 2 usage, 3 refused by the provider, 4 outcome unknown (the
reference and the reconcile rule are printed), 5 transport or auth failure.";

/// `payspec`: call a payment provider's operations through its payspec client.
#[derive(Parser, Debug)]
#[command(name = "payspec", version, after_help = ENVIRONMENT_HELP)]
pub struct Cli {
    #[command(subcommand)]
    provider: ProviderCommand,
}

#[derive(Subcommand, Debug)]
enum ProviderCommand {
    /// MagicPayments: wallets, balances, history, invoices, withdrawals, refunds.
    #[command(after_help = providers::help("magicpayments"))]
    Magicpayments(Args),
    /// MediaCube: payout, debit and regional payout batches.
    #[command(after_help = providers::help("mediacube"))]
    Mediacube(Args),
    /// Paymob Instant Payout: disbursements to mobile wallets.
    #[command(after_help = providers::help("paymob"))]
    Paymob(Args),
    /// Billon payout panel: payouts and cancels.
    #[command(after_help = providers::help("billon"))]
    Billon(Args),
}

/// The arguments every provider takes.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The operation (the spec's operationId, e.g. get_balance); omit it to list them.
    operation: Option<String>,
    /// A path or query parameter, `name=value` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The request body: JSON, or @file.json.
    #[arg(long, value_name = "JSON|@FILE")]
    body: Option<String>,
    /// The provider's base URL (default: PAYSPEC_<PROVIDER>_URL).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Print the request that would be sent (secrets redacted) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Allow a money-moving operation against a host that is not local.
    #[arg(long)]
    live: bool,
    /// The timeout of one request, in seconds (default: 60).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u64>,
}

/// How the environment is read: a variable's value, if set.
pub type Env<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// What a run printed, and its exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// The exit code (see [`exit`]).
    pub code: i32,
    /// What goes to stdout: JSON, or the dry run's request.
    pub stdout: String,
    /// What goes to stderr: errors and explanations.
    pub stderr: String,
}

impl Output {
    pub(crate) fn usage(message: impl std::fmt::Display) -> Self {
        Self { code: exit::USAGE, stdout: String::new(), stderr: format!("payspec: {message}\n") }
    }
}

/// Runs the command line `args` (the program name first) with environment variables
/// read through `env`.
pub async fn run<I, T>(args: I, env: &Env<'_>) -> Output
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let rendered = error.render().to_string();
            let code = error.exit_code();
            return if code == exit::OK {
                Output { code, stdout: rendered, stderr: String::new() }
            } else {
                Output { code, stdout: String::new(), stderr: rendered }
            };
        }
    };
    let (provider, args) = match &cli.provider {
        ProviderCommand::Magicpayments(args) => ("magicpayments", args),
        ProviderCommand::Mediacube(args) => ("mediacube", args),
        ProviderCommand::Paymob(args) => ("paymob", args),
        ProviderCommand::Billon(args) => ("billon", args),
    };
    let request = match Request::read(provider, args, env) {
        Ok(request) => request,
        Err(output) => return output,
    };
    providers::run(provider, request, env).await
}

/// A call to make, read from the arguments.
pub(crate) struct Request {
    pub(crate) operation: String,
    pub(crate) params: Vec<(String, String)>,
    /// The body's JSON text.
    pub(crate) body: Option<String>,
    pub(crate) base_url: reqwest::Url,
    pub(crate) dry_run: bool,
    pub(crate) live: bool,
    pub(crate) timeout: Option<Duration>,
}

impl Request {
    fn read(provider: &str, args: &Args, env: &Env<'_>) -> Result<Self, Output> {
        let Some(operation) = args.operation.clone() else {
            return Err(Output::usage(format!("name an operation\n\n{}", providers::help(provider))));
        };
        let params = args
            .params
            .iter()
            .map(|param| match param.split_once('=') {
                Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
                _ => Err(Output::usage(format!("--param {param:?} is not name=value"))),
            })
            .collect::<Result<_, _>>()?;
        let body = match args.body.as_deref() {
            None => None,
            Some(text) => {
                let text = match text.strip_prefix('@') {
                    Some(path) => std::fs::read_to_string(path).map_err(|error| Output::usage(format!("--body @{path}: {error}")))?,
                    None => text.to_string(),
                };
                serde_json::from_str::<serde::de::IgnoredAny>(&text).map_err(|error| Output::usage(format!("--body is not JSON: {error}")))?;
                Some(text)
            }
        };
        let variable = format!("PAYSPEC_{}_URL", provider.to_uppercase());
        let Some(url) = args.base_url.clone().or_else(|| env(&variable)) else {
            return Err(Output::usage(format!(
                "no host: pass --base-url or set {variable} (there is no production default; `payspec-mock {provider}` serves a mock)"
            )));
        };
        let base_url = url.parse().map_err(|error| Output::usage(format!("the base URL {url:?}: {error}")))?;
        Ok(Self {
            operation,
            params,
            body,
            base_url,
            dry_run: args.dry_run,
            live: args.live,
            timeout: args.timeout.map(Duration::from_secs),
        })
    }

    /// Whether the host is this machine (127.0.0.0/8, ::1 or localhost).
    pub(crate) fn is_local(&self) -> bool {
        let host = self.base_url.host_str().unwrap_or_default();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
