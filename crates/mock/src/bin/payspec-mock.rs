//! `payspec-mock <provider> [--port N]`: serves a provider's mock on 127.0.0.1 until
//! Ctrl-C, after printing its base URL and the credentials it accepts.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use payspec_mock::{MockServer, Provider};

/// Serves a payspec provider's mock on 127.0.0.1, from the provider's OpenAPI spec:
/// documented examples, validated requests, the auth flow, and state (payouts found
/// again by reference, cancels, balances). It prints the base URL and the credentials
/// it accepts, as the environment variables the `payspec` CLI reads.
#[derive(Parser, Debug)]
#[command(name = "payspec-mock", version)]
struct Args {
    /// The provider: magicpayments, mediacube, paymob or billon.
    provider: Provider,
    /// The port on 127.0.0.1 (default: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How long the tokens it issues last, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    token_lifetime: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mock = match MockServer::start_on(args.provider, args.port).await {
        Ok(mock) => mock,
        Err(error) => {
            eprintln!("payspec-mock: cannot listen on 127.0.0.1:{}: {error}", args.port);
            return ExitCode::FAILURE;
        }
    };
    mock.set_token_lifetime(Duration::from_secs(args.token_lifetime));
    let provider = args.provider;
    println!("payspec-mock: {provider} on {} (Ctrl-C stops it)", mock.base_url());
    println!();
    println!("# the credentials it accepts, for the payspec CLI:");
    println!("export PAYSPEC_{}_URL={}", provider.name().to_uppercase(), mock.base_url());
    for (variable, value) in provider.credential_variables() {
        println!("export {variable}={value}");
    }
    if provider == Provider::MagicPayments {
        println!();
        println!("# a wallet it knows: {}", provider.example_wallet());
        println!("payspec magicpayments get_balance --param wallet_uuid={}", provider.example_wallet());
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("payspec-mock: cannot wait for Ctrl-C");
        return ExitCode::FAILURE;
    }
    println!("payspec-mock: {} requests received", mock.requests().len());
    ExitCode::SUCCESS
}
