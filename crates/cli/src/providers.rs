//! One dispatch table per provider: each operation the CLI offers, with how its
//! arguments become the typed request and which client method sends it. What is the
//! same for every provider (finding the operation, checking `--param` names against the
//! spec, `--dry-run`, `--live`, building the client, printing) is [`drive`].

use std::future::Future;
use std::pin::Pin;

use payspec_core::auth::{AuthScheme, Source};
use payspec_core::operation::Operation;
use payspec_core::Limits;
use payspec_spec::openapi;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::output::{outcome, Outcome, Secrets};
use crate::{Env, Output, Request};

/// The `--param`s and `--body` of a call.
struct Inputs {
    params: Vec<(String, String)>,
    /// The body's JSON text: typed requests read amounts from it exactly.
    body: Option<String>,
}

impl Inputs {
    fn optional(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn param(&self, name: &str) -> Result<&str, String> {
        self.optional(name).ok_or_else(|| format!("this operation needs --param {name}=<value>"))
    }

    fn uuid(&self, name: &str) -> Result<uuid::Uuid, String> {
        let text = self.param(name)?;
        text.parse().map_err(|_| format!("--param {name}: {text:?} is not a UUID"))
    }

    fn body<T: DeserializeOwned>(&self) -> Result<T, String> {
        let body = self.body.as_deref().ok_or("this operation needs --body '<json>' (or --body @file.json)")?;
        serde_json::from_str(body).map_err(|error| format!("--body does not fit the request: {}", payspec_core::redact::Masked(error)))
    }
}

type Sending<C> = Box<dyn FnOnce(C) -> Pin<Box<dyn Future<Output = Outcome>>>>;

/// A typed request, ready to send: what it shows in a dry run (its `Debug`, secrets
/// redacted) and how it is sent.
struct Prepared<C> {
    shown: String,
    send: Sending<C>,
}

fn prepared<C: 'static, Fut: Future<Output = Outcome> + 'static>(shown: String, send: impl FnOnce(C) -> Fut + 'static) -> Prepared<C> {
    Prepared { shown, send: Box::new(move |client| Box::pin(send(client))) }
}

type Build<C, K> = fn(&Inputs, &K) -> Result<Prepared<C>, String>;

/// One operation of a provider's table; `K` is its credentials.
struct Entry<C, K> {
    id: &'static str,
    moves_money: bool,
    token_endpoint: bool,
    auth: AuthScheme,
    build: Build<C, K>,
}

fn entry<C, K, E>(operation: &'static Operation<E>, build: Build<C, K>) -> Entry<C, K> {
    Entry {
        id: operation.id,
        moves_money: operation.moves_money(),
        token_endpoint: operation.token_endpoint,
        auth: operation.auth,
        build,
    }
}

/// A provider: its name, spec, table and credentials; `P` is the provider's runtime
/// type, which builds its client the same way for every provider.
struct Provider<P: payspec_core::Provider> {
    name: &'static str,
    spec: &'static str,
    table: Vec<Entry<P::Client, P::Credentials>>,
    /// The environment variables of its credentials.
    variables: &'static [&'static str],
    /// Its credentials from the environment (`None`: a variable is missing).
    credentials: fn(&Env<'_>) -> Result<P::Credentials, String>,
    /// Credentials for a dry run without the variables set (never sent).
    placeholder: fn() -> P::Credentials,
}

/// The `--base-url` (or `PAYSPEC_<PROVIDER>_URL`) as the client's environment.
struct BaseUrl<'a>(&'a reqwest::Url);

impl payspec_core::Environment for BaseUrl<'_> {
    fn base_url(&self) -> &str {
        self.0.as_str()
    }
}

fn variable(env: &Env<'_>, name: &str) -> Result<String, String> {
    env(name).filter(|value| !value.is_empty()).ok_or_else(|| format!("set {name} (payspec --help lists the credentials)"))
}

/// The operation object of `id` in `spec`, with its method and path.
fn operation<'a>(spec: &'a Value, id: &str) -> Option<(&'a str, &'a str, &'a Value)> {
    openapi::operations(spec).into_iter().find(|operation| operation.id() == Some(id)).map(|operation| (operation.method, operation.path, operation.value))
}

/// The names of `operation`'s path and query parameters.
fn parameters(spec: &Value, operation: &Value) -> Vec<(String, bool)> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| openapi::resolve(spec, parameter))
        .map(|parameter| (parameter["name"].as_str().unwrap_or_default().to_string(), parameter["in"] == "path"))
        .collect()
}

/// What an operation is, for `--help`.
fn kind<C, K>(entry: &Entry<C, K>, read: bool) -> &'static str {
    if entry.token_endpoint {
        "token (its body from the credentials)"
    } else if entry.moves_money {
        "moves money (needs --live off this machine)"
    } else if read {
        "read"
    } else {
        "changes state"
    }
}

impl<P: payspec_core::Provider> Provider<P> {
    fn help(&self) -> String {
        let spec: Value = serde_json::from_str(self.spec).unwrap_or_default();
        let mut text = format!("Operations of {}:\n", self.name);
        for entry in &self.table {
            let Some((method, _, operation)) = operation(&spec, entry.id) else { continue };
            let mut inputs: Vec<String> = parameters(&spec, operation).into_iter().map(|(name, _)| format!("--param {name}=..")).collect();
            if operation.get("requestBody").is_some() && !entry.token_endpoint {
                inputs.push("--body JSON".into());
            }
            let what = kind(entry, method == "get" || operation["x-payspec-retry-safe"] == true);
            let inputs = if inputs.is_empty() { String::new() } else { format!(": {}", inputs.join(" ")) };
            text.push_str(&format!("  {:<22} {what}{inputs}\n", entry.id));
        }
        text.push_str(&format!("\nCredentials: {}\nHost: --base-url or PAYSPEC_{}_URL\n", self.variables.join(", "), self.name.to_uppercase()));
        text
    }

    async fn drive(self, request: Request, env: &Env<'_>) -> Output {
        let spec: Value = serde_json::from_str(self.spec).expect("SPEC_JSON is JSON");
        let Some(entry) = self.table.iter().find(|entry| entry.id == request.operation) else {
            return Output::usage(format!("{} has no operation {:?}\n\n{}", self.name, request.operation, self.help()));
        };
        let Some((method, path, declared)) = operation(&spec, entry.id) else {
            return Output::usage(format!("{} is not in the spec", entry.id));
        };
        let declared = parameters(&spec, declared);
        if let Some((name, _)) = request.params.iter().find(|(name, _)| !declared.iter().any(|(known, _)| known == name)) {
            let known: Vec<&str> = declared.iter().map(|(name, _)| name.as_str()).collect();
            return Output::usage(format!("{} takes no parameter {name:?} (it takes: {})", entry.id, known.join(", ")));
        }
        if entry.moves_money && !request.is_local() && !request.live && !request.dry_run {
            return Output::usage(format!(
                "{} moves money and {} is not this machine: add --live to send it for real",
                entry.id,
                request.base_url.host_str().unwrap_or_default()
            ));
        }
        let credentials = match ((self.credentials)(env), request.dry_run) {
            (Ok(credentials), _) => credentials,
            (Err(_), true) => (self.placeholder)(),
            (Err(missing), false) => return Output::usage(missing),
        };
        let inputs = Inputs { params: request.params.clone(), body: request.body.clone() };
        let prepared = match (entry.build)(&inputs, &credentials) {
            Ok(prepared) => prepared,
            Err(problem) => return Output::usage(problem),
        };
        if request.dry_run {
            let stdout = self.dry_run(&spec, entry, &request, method, path, &declared, &prepared.shown);
            return Output { code: crate::exit::OK, stdout, stderr: String::new() };
        }
        let mut limits = Limits::default();
        if let Some(timeout) = request.timeout {
            limits = limits.request_timeout(timeout);
        }
        let client = match payspec_core::ClientBuilder::<P>::new(&BaseUrl(&request.base_url), credentials).limits(limits).build() {
            Ok(client) => client,
            Err(error) => return Output::usage(error.to_string()),
        };
        (prepared.send)(client).await.output(&Secrets::of(&spec))
    }

    /// The request as it would be sent: method, URL, headers (the credential
    /// redacted), and the typed body's `Debug` (secrets redacted).
    #[allow(clippy::too_many_arguments)]
    fn dry_run(&self, spec: &Value, entry: &Entry<P::Client, P::Credentials>, request: &Request, method: &str, path: &str, declared: &[(String, bool)], shown: &str) -> String {
        let mut url = format!("{}{path}", request.base_url.as_str().trim_end_matches('/'));
        let mut query = Vec::new();
        for (name, value) in &request.params {
            if declared.iter().any(|(known, in_path)| known == name && *in_path) {
                url = url.replace(&format!("{{{name}}}"), value);
            } else {
                query.push((name.as_str(), value.as_str()));
            }
        }
        if !query.is_empty() {
            url = format!("{url}?{}", serde_urlencoded::to_string(&query).unwrap_or_default());
        }
        let mut lines = vec!["# dry run: nothing is sent".to_string(), format!("{} {url}", method.to_uppercase()), "accept: application/json".into()];
        let body = operation(spec, entry.id).map(|(_, _, operation)| openapi::resolve(spec, &operation["requestBody"]));
        let media = body.and_then(|body| body["content"].as_object()?.keys().next().cloned());
        if let Some(media) = media {
            lines.push(format!("content-type: {media}"));
        }
        let variables = self.variables.join(", ");
        let token = self.table.iter().find(|entry| entry.token_endpoint).map_or("the token endpoint", |entry| entry.id);
        let from_token = format!("<redacted: the token from {token}, obtained first with {variables}>");
        match entry.auth {
            AuthScheme::None => {}
            AuthScheme::Basic => {
                let client: Vec<&str> = self.variables.iter().copied().filter(|name| name.contains("CLIENT")).collect();
                lines.push(format!("authorization: Basic <redacted: {}>", if client.is_empty() { variables.clone() } else { client.join(":") }));
            }
            AuthScheme::Bearer(Source::Static) => lines.push(format!("authorization: Bearer <redacted: {variables}>")),
            AuthScheme::Bearer(Source::TokenEndpoint) => lines.push(format!("authorization: Bearer {from_token}")),
            AuthScheme::ApiKey { header, source: Source::Static } => lines.push(format!("{header}: <redacted: {variables}>")),
            AuthScheme::ApiKey { header, source: Source::TokenEndpoint } => lines.push(format!("{header}: {from_token}")),
        }
        if !shown.is_empty() {
            lines.push(String::new());
            lines.push(shown.to_string());
        }
        lines.join("\n") + "\n"
    }
}

/// The operations of `provider`, for `--help`.
pub(crate) fn help(provider: &str) -> String {
    match provider {
        "magicpayments" => magicpayments().help(),
        "mediacube" => mediacube().help(),
        "paymob" => paymob().help(),
        _ => billon().help(),
    }
}

/// Runs `request` against `provider`.
pub(crate) async fn run(provider: &str, request: Request, env: &Env<'_>) -> Output {
    match provider {
        "magicpayments" => magicpayments().drive(request, env).await,
        "mediacube" => mediacube().drive(request, env).await,
        "paymob" => paymob().drive(request, env).await,
        _ => billon().drive(request, env).await,
    }
}

/// An operation on a wallet with a JSON body: `$op` is the static in `operations`,
/// `$method` the client's method, `$body` the body's type.
macro_rules! wallet_body {
    ($op:ident, $method:ident, $body:ty) => {
        entry(&op::$op, |inputs, _| {
            let wallet = inputs.uuid("wallet_uuid")?;
            let body: $body = inputs.body()?;
            let shown = format!("wallet_uuid: {wallet}\n{body:#?}");
            Ok(prepared(shown, move |client: Client| async move { outcome(client.$method(&wallet, &body).await) }))
        })
    };
}

/// An operation with a JSON body only.
macro_rules! with_body {
    ($op:ident, $method:ident, $body:ty) => {
        entry(&op::$op, |inputs, _| {
            let body: $body = inputs.body()?;
            let shown = format!("{body:#?}");
            Ok(prepared(shown, move |client: Client| async move { outcome(client.$method(&body).await) }))
        })
    };
}

fn magicpayments() -> Provider<payspec_magicpayments::Provider> {
    use payspec_magicpayments::{operations as op, types, AccessToken, Client};
    Provider {
        name: "magicpayments",
        spec: payspec_magicpayments::SPEC_JSON,
        variables: &["PAYSPEC_MAGICPAYMENTS_TOKEN"],
        credentials: |env| variable(env, "PAYSPEC_MAGICPAYMENTS_TOKEN").map(AccessToken::new),
        placeholder: || AccessToken::new("unset"),
        table: vec![
            entry(&op::GET_PROFILE, |_, _| Ok(prepared(String::new(), |client: Client| async move { outcome(client.get_profile().await) }))),
            entry(&op::GET_BALANCE, |inputs, _| {
                let wallet = inputs.uuid("wallet_uuid")?;
                Ok(prepared(format!("wallet_uuid: {wallet}"), move |client: Client| async move { outcome(client.get_balance(&wallet).await) }))
            }),
            entry(&op::GET_HISTORY, |inputs, _| {
                let wallet = inputs.uuid("wallet_uuid")?;
                let (from, to) = (inputs.optional("date_from").map(String::from), inputs.optional("date_to").map(String::from));
                let page = inputs.optional("page").map(str::parse).transpose().map_err(|_| "--param page must be a number from 1")?;
                let shown = format!("wallet_uuid: {wallet}, date_from: {from:?}, date_to: {to:?}, page: {page:?}");
                Ok(prepared(shown, move |client: Client| async move {
                    outcome(client.get_history(&wallet, from.as_deref(), to.as_deref(), page).await)
                }))
            }),
            wallet_body!(GET_STATUS, get_status, types::TransactionReference),
            wallet_body!(LIST_DISPUTE_MESSAGES, list_dispute_messages, types::TransactionReference),
            wallet_body!(CREATE_WITHDRAWAL, create_withdrawal, types::WithdrawalRequest),
            wallet_body!(CREATE_INVOICE, create_invoice, types::InvoiceRequest),
            wallet_body!(CREATE_REFUND, create_refund, types::TransactionReference),
            wallet_body!(CREATE_CHARGEBACK, create_chargeback, types::ChargebackRequest),
            wallet_body!(CANCEL_INVOICE, cancel_invoice, types::TransactionReference),
            wallet_body!(MARK_INVOICE_PAID, mark_invoice_paid, types::PaidRequest),
            wallet_body!(SEND_ADDITIONAL_DATA, send_additional_data, types::AdditionalDataRequest),
            wallet_body!(OPEN_DISPUTE, open_dispute, types::TransactionReference),
            wallet_body!(SEND_DISPUTE_MESSAGE, send_dispute_message, types::SendDisputeMessageRequest),
        ],
    }
}

fn mediacube() -> Provider<payspec_mediacube::Provider> {
    use payspec_mediacube::{operations as op, types, Client, Credentials};
    Provider {
        name: "mediacube",
        spec: payspec_mediacube::SPEC_JSON,
        variables: &["PAYSPEC_MEDIACUBE_CLIENT_ID", "PAYSPEC_MEDIACUBE_CLIENT_SECRET"],
        credentials: |env| {
            let id = variable(env, "PAYSPEC_MEDIACUBE_CLIENT_ID")?;
            let id = id.parse().map_err(|_| format!("PAYSPEC_MEDIACUBE_CLIENT_ID must be a number, not {id:?}"))?;
            Ok(Credentials::new(id, variable(env, "PAYSPEC_MEDIACUBE_CLIENT_SECRET")?))
        },
        placeholder: || Credentials::new(0, "unset"),
        table: vec![
            entry(&op::ISSUE_TOKEN, |inputs, credentials| {
                // The `partner` grant from the credentials, unless a body is given.
                let body = match inputs.body {
                    Some(_) => inputs.body()?,
                    None => credentials.token_request(types::IssueTokenRequestGrantType::Partner),
                };
                Ok(prepared(format!("{body:#?}"), move |client: Client| async move { outcome(client.issue_token(&body).await) }))
            }),
            with_body!(CREATE_PAYOUT, create_payout, types::PaymentBatchRequest),
            with_body!(CREATE_DEBIT_PAYMENT, create_debit_payment, types::PaymentBatchRequest),
            with_body!(CREATE_REGIONAL_PAYOUT, create_regional_payout, types::PaymentBatchRequest),
        ],
    }
}

fn paymob() -> Provider<payspec_paymob::Provider> {
    use payspec_paymob::{operations as op, types, Client, Credentials};
    Provider {
        name: "paymob",
        spec: payspec_paymob::SPEC_JSON,
        variables: &["PAYSPEC_PAYMOB_CLIENT_ID", "PAYSPEC_PAYMOB_CLIENT_SECRET", "PAYSPEC_PAYMOB_USERNAME", "PAYSPEC_PAYMOB_PASSWORD"],
        credentials: |env| {
            Ok(Credentials::new(
                variable(env, "PAYSPEC_PAYMOB_CLIENT_ID")?,
                variable(env, "PAYSPEC_PAYMOB_CLIENT_SECRET")?,
                variable(env, "PAYSPEC_PAYMOB_USERNAME")?,
                variable(env, "PAYSPEC_PAYMOB_PASSWORD")?,
            ))
        },
        placeholder: || Credentials::new("unset", "unset", "unset", "unset"),
        table: vec![
            entry(&op::GENERATE_TOKEN, |_, credentials| {
                // The password grant, as the client's token flow sends it.
                let body = credentials.token_request();
                Ok(prepared(format!("{body:#?}"), move |client: Client| async move { outcome(client.generate_token(&body).await) }))
            }),
            with_body!(CREATE_DISBURSEMENT, create_disbursement, types::DisbursementRequest),
        ],
    }
}

fn billon() -> Provider<payspec_billon::Provider> {
    use payspec_billon::{operations as op, types, ApiKey, Client};
    Provider {
        name: "billon",
        spec: payspec_billon::SPEC_JSON,
        variables: &["PAYSPEC_BILLON_API_KEY"],
        credentials: |env| variable(env, "PAYSPEC_BILLON_API_KEY").map(ApiKey::new),
        placeholder: || ApiKey::new("unset"),
        table: vec![
            entry(&op::AUTHENTICATE, |_, key| {
                let body = types::AuthenticateRequest { api_key: key.clone() };
                Ok(prepared(format!("{body:#?}"), move |client: Client| async move { outcome(client.authenticate(&body).await) }))
            }),
            with_body!(CREATE_PAYOUT, create_payout, types::CreatePayoutRequest),
            with_body!(CANCEL_PAYOUTS, cancel_payouts, types::CancelPayoutsRequest),
        ],
    }
}
