//! Every provider's money-moving operations behind one fixture, so the suites run them
//! all the same way: build the crate's client against a loopback server (the same
//! builder for every provider), send one request carrying secret sentinels, and report
//! what the caller got.

use std::time::Duration;

use payspec_core::retry::RetryPolicy;
use payspec_core::Limits;
use payspec_tests::{examples, spec, ExampleKind};
use serde_json::{json, Value};

/// A card number every request carries where it can, and provider text echoes.
pub const CARD: &str = "4111111111111111";
/// The same card as people write it, which provider text echoes too.
pub const CARD_SPACED: &str = "4111 1111 1111 1111";
/// What every other secret (tokens, keys, passwords, secrets) contains.
pub const SENTINEL: &str = "SENTINEL";
/// Paymob's wallet number: an MSISDN is shorter than a card, so it is its own sentinel.
pub const MSISDN: &str = "01012345678";

/// What a caller got, as a class of the README's outcome table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class {
    Ok,
    Api,
    Auth,
    OutcomeUnknown,
    Transport { connect: bool },
    InvalidRequest,
    Other(String),
}

/// What one call returned: its class, the reference an outcome-unknown error carries,
/// and the `Debug` and `Display` of the result (for redaction proofs).
pub struct Sent {
    pub class: Class,
    pub reference: Option<String>,
    pub printed: String,
    /// The size of the call's future: what a task holding the call in flight keeps.
    pub future_bytes: usize,
}

/// One money-moving operation of one provider.
pub struct MoneyCall {
    pub provider: &'static str,
    pub operation: &'static str,
    pub path: &'static str,
    /// The token endpoint's path and a success body, when the provider has one.
    pub token: Option<(&'static str, Value)>,
    /// The documented success body.
    pub success: Value,
    /// A documented error body, with the provider's message echoing the card number.
    pub error: Value,
    /// Statuses whose documented error body is a refusal.
    pub refusals: &'static [(u16, u16)],
    /// What the success body must say (the spec's `x-payspec-moves-money.success`).
    pub says_success: fn(&Value) -> bool,
    /// A body under a success status that is a refusal (the spec's `x-payspec-refused`).
    pub refused_under_success: fn(&Value) -> bool,
    /// What an error body must say to be the documented error (`x-payspec-error.says`).
    pub error_says: fn(&Value) -> bool,
    /// Statuses meaning the credential was not accepted.
    pub rejections: &'static [u16],
    /// An error body meaning the credential was not accepted.
    pub rejected_body: fn(&Value) -> bool,
    /// The token comes from the token endpoint (a rejection renews it once).
    pub renews: bool,
    /// The success and error schemas, as JSON Schema validators (compiled once).
    pub success_schema: jsonschema::Validator,
    pub error_schema: jsonschema::Validator,
}

/// Limits for tests: short timeouts, a small cap, quick retries.
pub fn limits() -> Limits {
    Limits::default()
        .request_timeout(Duration::from_millis(300))
        .max_body_bytes(64 * 1024)
        .token_deadline(Duration::from_secs(2))
        .retry(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
}

fn example(provider: &str, operation: &str, kind: ExampleKind) -> Value {
    examples(&spec(provider))
        .into_iter()
        .find(|example| example.operation == operation && example.kind == kind)
        .unwrap_or_else(|| panic!("{provider}.{operation}: no {kind:?} example"))
        .value
}

fn schema(provider: &str, name: &str) -> jsonschema::Validator {
    payspec_tests::validator_for(&spec(provider), &json!({ "$ref": format!("#/components/schemas/{name}") }))
}

fn always(_: &Value) -> bool {
    true
}

fn never(_: &Value) -> bool {
    false
}

/// Every money-moving operation of every provider.
pub fn money_calls() -> Vec<MoneyCall> {
    let mp_error = json!({"status": "error", "error": format!("The card {CARD} is not supported"), "code": "access_denied"});
    let transaction = example("magicpayments", "get_status", ExampleKind::Response("200".into()));
    let mut out = Vec::new();
    for (operation, path, success_name) in [
        ("create_withdrawal", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/withdrawal", "WithdrawalResponse"),
        ("create_invoice", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/invoice", "InvoiceResponse"),
    ] {
        out.push(MoneyCall {
            provider: "magicpayments",
            operation,
            path,
            token: None,
            success: example("magicpayments", operation, ExampleKind::Response("200".into())),
            error: mp_error.clone(),
            refusals: &[(400, 499), (500, 599)],
            says_success: |body| body["status"] == "success" && body["transaction"].is_object(),
            refused_under_success: never,
            error_says: |body| body["status"] == "error",
            rejections: &[],
            rejected_body: never,
            renews: false,
            success_schema: schema("magicpayments", success_name),
            error_schema: schema("magicpayments", "ErrorResponse"),
        });
    }
    for (operation, path) in [
        ("create_refund", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/refund"),
        ("create_chargeback", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/chargeback"),
        ("cancel_invoice", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/cancel"),
    ] {
        out.push(MoneyCall {
            provider: "magicpayments",
            operation,
            path,
            token: None,
            success: transaction.clone(),
            error: mp_error.clone(),
            refusals: &[(400, 499)],
            says_success: always,
            refused_under_success: never,
            error_says: |body| body["status"] == "error",
            rejections: &[],
            rejected_body: never,
            renews: false,
            success_schema: schema("magicpayments", "Transaction"),
            error_schema: schema("magicpayments", "ErrorResponse"),
        });
    }
    let mc_token = json!({"access_token": format!("mc-token-{SENTINEL}"), "token_type": "Bearer", "expires_in": 3600});
    for (operation, path, success_name) in [
        ("create_payout", "/payments", "PaymentBatchResponse"),
        ("create_debit_payment", "/payments/debit", "PaymentBatchResponse"),
        ("create_regional_payout", "/payments/regional", "RegionalPaymentBatchResponse"),
    ] {
        out.push(MoneyCall {
            provider: "mediacube",
            operation,
            path,
            token: Some(("/oauth/token", mc_token.clone())),
            success: example("mediacube", operation, ExampleKind::Response("200".into())),
            error: example("mediacube", operation, ExampleKind::Response("4XX".into())),
            refusals: &[(400, 499)],
            says_success: |body| body["data"]["status"] == 2,
            refused_under_success: |body| body["data"]["status"] == 3,
            error_says: |body| body["data"]["status"] == 3,
            rejections: &[401],
            rejected_body: never,
            renews: true,
            success_schema: schema("mediacube", success_name),
            error_schema: schema("mediacube", "PaymentErrorResponse"),
        });
    }
    out.push(MoneyCall {
        provider: "paymob",
        operation: "create_disbursement",
        path: "/disburse/",
        token: Some((
            "/o/token/",
            json!({"access_token": format!("pm-token-{SENTINEL}"), "expires_in": 3600, "refresh_token": format!("pm-refresh-{SENTINEL}"), "scope": "read write", "token_type": "Bearer"}),
        )),
        success: json!({"disbursement_status": "success", "status_description": "", "status_code": "200"}),
        error: json!({"disbursement_status": "failed", "status_description": format!("Card {CARD}: the amount exceeds your budget limit."), "status_code": "6061"}),
        refusals: &[(400, 499)],
        says_success: |body| body["disbursement_status"] == "success",
        refused_under_success: |body| body["disbursement_status"] == "failed",
        error_says: |body| body["disbursement_status"] == "failed",
        rejections: &[401],
        rejected_body: |body| body["status_code"] == "401",
        renews: true,
        success_schema: schema("paymob", "DisbursementResponse"),
        error_schema: schema("paymob", "DisbursementResponse"),
    });
    let billon_token = json!({"token": format!("bl-token-{SENTINEL}")});
    let billon_error = json!({"error": {"message": format!("Card {CARD_SPACED} refused"), "type": "INSUFFICIENT_FUNDS"}, "errors": []});
    out.push(MoneyCall {
        provider: "billon",
        operation: "create_payout",
        path: "/api/payment/create",
        token: Some(("/api/authenticate", billon_token.clone())),
        success: example("billon", "create_payout", ExampleKind::Response("200".into())),
        error: billon_error.clone(),
        refusals: &[(400, 499)],
        says_success: |body| body["payments"].as_array().is_some_and(|payments| !payments.is_empty()),
        refused_under_success: |body| body.get("error").is_some(),
        error_says: always,
        rejections: &[401],
        rejected_body: never,
        renews: true,
        success_schema: schema("billon", "CreatePayoutResponse"),
        error_schema: schema("billon", "ErrorResponse"),
    });
    out.push(MoneyCall {
        provider: "billon",
        operation: "cancel_payouts",
        path: "/api/payment/cancel",
        token: Some(("/api/authenticate", billon_token)),
        success: json!({"success": 1}),
        error: billon_error,
        refusals: &[(400, 499)],
        says_success: |body| body["success"].as_i64().is_some_and(|count| count >= 0),
        refused_under_success: |body| body.get("error").is_some(),
        error_says: always,
        rejections: &[401],
        rejected_body: never,
        renews: true,
        success_schema: schema("billon", "CancelPayoutsResponse"),
        error_schema: schema("billon", "ErrorResponse"),
    });
    out
}

impl MoneyCall {
    /// `provider.operation`, for messages.
    pub fn name(&self) -> String {
        format!("{}.{}", self.provider, self.operation)
    }

    /// Sends this operation's request to `base` and reports what the caller got, on
    /// connections of its own (a pooled connection to an earlier server on the same port
    /// must not carry this request).
    pub async fn send(&self, base: &str, limits: Limits) -> Sent {
        self.send_with(payspec_tests::unpooled_http(), base, limits).await
    }

    /// [`Self::send`] through `http`.
    pub async fn send_with(&self, http: reqwest::Client, base: &str, limits: Limits) -> Sent {
        let base: reqwest::Url = base.parse().expect("a base URL");
        macro_rules! sent {
            ($call:expr) => {{
                let call = $call;
                let future_bytes = std::mem::size_of_val(&call);
                let result = call.await;
                let printed = match &result {
                    Ok(value) => format!("{value:?}"),
                    Err(error) => format!("{error:?}\n{error}\n{error:#}"),
                };
                let (class, reference) = match &result {
                    Ok(_) => (Class::Ok, None),
                    Err(error) => classify(error),
                };
                Sent { class, reference, printed, future_bytes }
            }};
        }
        match (self.provider, self.operation) {
            ("magicpayments", operation) => {
                use payspec_magicpayments::{types, AccessToken, Client, Environment};
                let client = Client::builder(Environment::Custom(base), AccessToken::new(format!("mp-token-{SENTINEL}")))
                    .limits(limits)
                    .http_client(http)
                    .build()
                    .expect("client");
                let wallet: uuid::Uuid = "75e9a565-6b36-3b67-9ed1-2050314314f9".parse().unwrap();
                let reference = types::TransactionReference { order: Some("order-7".parse().unwrap()), transaction: None };
                match operation {
                    "create_withdrawal" => {
                        let request: types::WithdrawalRequest =
                            serde_json::from_value(json!({"amount": 150.00, "card": CARD, "order": "order-7"})).unwrap();
                        sent!(client.create_withdrawal(&wallet, &request))
                    }
                    "create_invoice" => {
                        let request: types::InvoiceRequest =
                            serde_json::from_value(json!({"amount": 150.00, "order": "order-7", "card": {"pan": CARD, "cvv": "937"}})).unwrap();
                        sent!(client.create_invoice(&wallet, &request))
                    }
                    "create_refund" => sent!(client.create_refund(&wallet, &reference)),
                    "cancel_invoice" => sent!(client.cancel_invoice(&wallet, &reference)),
                    "create_chargeback" => {
                        let request = types::ChargebackRequest { order: reference.order.clone(), transaction: None, arn: None, reason_code: None };
                        sent!(client.create_chargeback(&wallet, &request))
                    }
                    other => unreachable!("{other}"),
                }
            }
            ("mediacube", operation) => {
                use payspec_mediacube::{types, Client, Credentials, Environment};
                let client = Client::builder(Environment::Custom(base), Credentials::new(1, format!("mc-secret-{SENTINEL}")))
                    .limits(limits)
                    .http_client(http)
                    .build()
                    .expect("client");
                let batch = types::PaymentBatchRequest {
                    request_id: "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8".parse().unwrap(),
                    data: vec![types::PaymentItem { amount: "10.0000000001".parse().unwrap(), wallet: CARD.into(), description: "test".into() }],
                };
                match operation {
                    "create_payout" => sent!(client.create_payout(&batch)),
                    "create_debit_payment" => sent!(client.create_debit_payment(&batch)),
                    "create_regional_payout" => sent!(client.create_regional_payout(&batch)),
                    other => unreachable!("{other}"),
                }
            }
            ("paymob", _) => {
                use payspec_paymob::{types, Client, Credentials, Environment};
                let credentials = Credentials::new("client-id", format!("pm-secret-{SENTINEL}"), "api-user", format!("pm-password-{SENTINEL}"));
                let client = Client::builder(Environment::Custom(base), credentials).limits(limits).http_client(http).build().expect("client");
                let request = types::DisbursementRequest {
                    msisdn: MSISDN.into(),
                    amount: "150.50".parse().unwrap(),
                    pin: Some(format!("pin-{SENTINEL}").into()),
                    fees: None,
                };
                sent!(client.create_disbursement(&request))
            }
            ("billon", operation) => {
                use payspec_billon::{types, ApiKey, Client, Environment};
                let client = Client::builder(Environment::Custom(base), ApiKey::new(format!("bl-key-{SENTINEL}")))
                    .limits(limits)
                    .http_client(http)
                    .build()
                    .expect("client");
                match operation {
                    "create_payout" => {
                        let request: types::CreatePayoutRequest = serde_json::from_value(json!({
                            "amount": 12.50, "currency": "GBP", "startDate": "2025-01-01T12:00:00Z", "endDate": "2025-01-08T00:00:00Z",
                            "name": "Faults", "description": "fault test", "notification": false, "phoneNumber": CARD, "referenceId": "ref-7"
                        }))
                        .unwrap();
                        sent!(client.create_payout(&request))
                    }
                    "cancel_payouts" => {
                        let request = types::CancelPayoutsRequest { ids: vec![7] };
                        sent!(client.cancel_payouts(&request))
                    }
                    other => unreachable!("{other}"),
                }
            }
            (other, _) => unreachable!("{other}"),
        }
    }
}

/// The class of an error, whichever provider's.
fn classify<A>(error: &payspec_core::Error<A>) -> (Class, Option<String>) {
    use payspec_core::Error;
    let class = match error {
        Error::Api { .. } => Class::Api,
        Error::Auth(_) => Class::Auth,
        Error::OutcomeUnknown(unknown) => return (Class::OutcomeUnknown, Some(unknown.reference.to_string())),
        Error::Transport(error) => Class::Transport { connect: error.is_connect() },
        Error::InvalidRequest(_) => Class::InvalidRequest,
        other => Class::Other(format!("{:?}", std::mem::discriminant(other))),
    };
    (class, None)
}
