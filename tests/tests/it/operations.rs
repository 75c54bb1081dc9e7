//! Every operation of every provider (23), against a loopback server that records the
//! request and answers with the operation's documented success example:
//!
//! - on the wire: the method and path the spec gives, the credential the operation's
//!   security scheme names (and no other), no `api-version` header, the spec's content
//!   type, and a body that validates against the spec's own request schema;
//! - in types: the documented example parses, and written back it is the same JSON
//!   (exact money, unknown-free enums, nothing lost).

use serde_json::{json, Value};

use payspec_tests::hostile::{HostileServer, Received, Reply};
use payspec_tests::{assert_valid, examples, request_validator, spec, ExampleKind};

use crate::fixtures::limits;

const WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";

/// The documented success example of `operation`.
fn success(provider: &str, operation: &str) -> Value {
    let documented: Vec<_> = examples(&spec(provider))
        .into_iter()
        .filter(|e| e.operation == operation && e.kind == ExampleKind::Response("200".into()))
        .collect();
    documented
        .iter()
        .find(|e| e.name == "success")
        .or(documented.first())
        .map(|e| e.value.clone())
        .unwrap_or_else(|| panic!("{provider}.{operation}: no success example"))
}

/// The documented request example of `operation`, or `fallback`.
fn request(provider: &str, operation: &str, fallback: Value) -> Value {
    examples(&spec(provider))
        .into_iter()
        .find(|e| e.operation == operation && e.kind == ExampleKind::Request)
        .map_or(fallback, |e| e.value)
}

/// A server that answers `answers[path]`, and the token endpoints with a token.
async fn server(answers: Vec<(&'static str, Value)>) -> HostileServer {
    HostileServer::start(move |received| {
        let body = answers
            .iter()
            .find(|(path, _)| *path == received.path)
            .map(|(_, body)| body.to_string())
            .unwrap_or_else(|| "{}".into());
        Reply::json(200, body)
    })
    .await
}

fn header<'a>(received: &'a Received, name: &str) -> Option<&'a str> {
    received.head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// What every request must look like, whatever its operation.
fn assert_wire(provider: &str, operation: &str, received: &Received, method: &str, path: &str, auth: Option<&str>) {
    let what = format!("{provider}.{operation}");
    assert_eq!(received.method, method, "{what}: method");
    assert_eq!(received.path, path, "{what}: path");
    assert!(header(received, "api-version").is_none(), "{what}: sent progenitor's api-version header");
    match auth {
        Some(expected) if expected.starts_with("x-access-token:") => {
            assert_eq!(header(received, "x-access-token"), Some(&expected["x-access-token:".len()..]), "{what}: token header");
            assert!(header(received, "authorization").is_none(), "{what}: an Authorization header too");
        }
        Some(expected) => assert_eq!(header(received, "authorization"), Some(expected), "{what}: Authorization"),
        None => {
            assert!(header(received, "authorization").is_none(), "{what}: sent an Authorization header");
            assert!(header(received, "x-access-token").is_none(), "{what}: sent a token header");
        }
    }
    if !received.body.is_empty() && header(received, "content-type") == Some("application/json") {
        let body: Value = serde_json::from_slice(&received.body).expect("a JSON body");
        assert_valid(&request_validator(&spec(provider), operation), &body, &what);
    }
}

/// The JSON `value` writes back as, without the members an absent optional leaves out.
fn written_back<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

/// `documented` without `null` members (an absent optional field writes nothing), and
/// with date-times in one form (`.000000Z` and `Z` are the same instant).
fn without_nulls(documented: &Value) -> Value {
    match documented {
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(at) => Value::String(at.to_rfc3339()),
            Err(_) => documented.clone(),
        },
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a documented request")
}

fn assert_round_trip<T: serde::Serialize>(what: &str, parsed: &T, documented: &Value) {
    assert_eq!(without_nulls(&written_back(parsed)), without_nulls(documented), "{what}: the documented example written back");
}

#[tokio::test]
async fn magicpayments_every_operation() {
    use payspec_magicpayments::{types, AccessToken, Client, Environment};
    let p = "magicpayments";
    let ops: Vec<(&str, &'static str, &str)> = vec![
        ("create_invoice", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/invoice", "POST"),
        ("create_withdrawal", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/withdrawal", "POST"),
        ("get_status", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/status", "POST"),
        ("create_refund", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/refund", "POST"),
        ("create_chargeback", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/chargeback", "POST"),
        ("send_additional_data", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/additional_data", "POST"),
        ("mark_invoice_paid", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/paid", "POST"),
        ("cancel_invoice", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/cancel", "POST"),
        ("open_dispute", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/dispute", "POST"),
        ("list_dispute_messages", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/dispute/messages", "POST"),
        ("send_dispute_message", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/dispute/messages/send", "POST"),
        ("get_profile", "/api/profile", "GET"),
        ("get_balance", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/balance", "GET"),
        ("get_history", "/api/75e9a565-6b36-3b67-9ed1-2050314314f9/history", "GET"),
    ];
    let transaction = success(p, "get_status");
    let answers = ops
        .iter()
        .map(|(op, path, _)| {
            let body = match *op {
                "create_invoice" | "create_withdrawal" | "get_profile" | "get_balance" | "get_history" | "list_dispute_messages" => success(p, op),
                _ => transaction.clone(),
            };
            (*path, body)
        })
        .collect();
    let server = server(answers).await;
    let client = Client::builder(Environment::Custom(server.uri().parse().unwrap()), AccessToken::new("mp-token"))
        .limits(limits())
        .http_client(payspec_tests::http())
        .build()
        .unwrap();
    let wallet: uuid::Uuid = WALLET.parse().unwrap();
    let by_order = json!({"order": "73450234"});
    for (index, (op, path, method)) in ops.iter().enumerate() {
        let documented = success(p, match *op {
            "create_invoice" | "create_withdrawal" | "get_profile" | "get_balance" | "get_history" | "list_dispute_messages" => op,
            _ => "get_status",
        });
        let what = format!("{p}.{op}");
        match *op {
            "create_invoice" => {
                let body: types::InvoiceRequest = from(request(p, op, json!({})));
                assert_round_trip(&what, &client.create_invoice(&wallet, &body).await.expect(op), &documented);
            }
            "create_withdrawal" => {
                let mut documented_request = request(p, op, json!({}));
                documented_request["order"] = json!("payout-42");
                let body: types::WithdrawalRequest = from(documented_request);
                assert_round_trip(&what, &client.create_withdrawal(&wallet, &body).await.expect(op), &documented);
            }
            "get_status" => assert_round_trip(&what, &client.get_status(&wallet, &from(by_order.clone())).await.expect(op), &documented),
            "create_refund" => assert_round_trip(&what, &client.create_refund(&wallet, &from(by_order.clone())).await.expect(op), &documented),
            "create_chargeback" => {
                let mut body = request(p, op, json!({}));
                body["order"] = json!("73450234");
                assert_round_trip(&what, &client.create_chargeback(&wallet, &from(body)).await.expect(op), &documented);
            }
            "send_additional_data" => {
                let body = json!({"order": "73450234", "addition_data": {"sms_code": "1234"}});
                assert_round_trip(&what, &client.send_additional_data(&wallet, &from(body)).await.expect(op), &documented);
            }
            "mark_invoice_paid" => {
                let mut body = request(p, op, json!({}));
                body["order"] = json!("73450234");
                assert_round_trip(&what, &client.mark_invoice_paid(&wallet, &from(body)).await.expect(op), &documented);
            }
            "cancel_invoice" => assert_round_trip(&what, &client.cancel_invoice(&wallet, &from(by_order.clone())).await.expect(op), &documented),
            "open_dispute" => assert_round_trip(&what, &client.open_dispute(&wallet, &from(by_order.clone())).await.expect(op), &documented),
            "list_dispute_messages" => {
                assert_round_trip(&what, &client.list_dispute_messages(&wallet, &from(by_order.clone())).await.expect(op), &documented)
            }
            "send_dispute_message" => {
                let mut body = request(p, op, json!({}));
                body["order"] = json!("73450234");
                assert_round_trip(&what, &client.send_dispute_message(&wallet, &from(body)).await.expect(op), &documented);
            }
            "get_profile" => assert_round_trip(&what, &client.get_profile().await.expect(op), &documented),
            "get_balance" => assert_round_trip(&what, &client.get_balance(&wallet).await.expect(op), &documented),
            "get_history" => {
                let page = std::num::NonZeroU64::new(2);
                assert_round_trip(&what, &client.get_history(&wallet, Some("04.03.2022"), Some("05.03.2022"), page).await.expect(op), &documented);
                let last = server.received().last().cloned().unwrap();
                assert!(last.head.starts_with("GET /api/75e9a565-6b36-3b67-9ed1-2050314314f9/history?date_from=04.03.2022&date_to=05.03.2022&page=2 "), "{}", last.head);
            }
            other => unreachable!("{other}"),
        }
        let received = server.received();
        assert_eq!(received.len(), index + 1, "{what}: exactly one request");
        assert_wire(p, op, &received[index], method, path, Some("Bearer mp-token"));
    }
}

#[tokio::test]
async fn mediacube_every_operation() {
    use payspec_mediacube::{types, Client, Credentials, Environment};
    let p = "mediacube";
    let token = json!({"access_token": "mc-token", "token_type": "Bearer", "expires_in": 3600});
    let server = server(vec![
        ("/oauth/token", token.clone()),
        ("/payments", success(p, "create_payout")),
        ("/payments/debit", success(p, "create_debit_payment")),
        ("/payments/regional", success(p, "create_regional_payout")),
    ])
    .await;
    let client = Client::builder(Environment::Custom(server.uri().parse().unwrap()), Credentials::new(1, "mc-secret"))
        .limits(limits())
        .http_client(payspec_tests::http())
        .build()
        .unwrap();
    let batch: types::PaymentBatchRequest = serde_json::from_value(request(p, "create_payout", json!({}))).unwrap();
    assert_round_trip("create_payout", &client.create_payout(&batch).await.unwrap(), &success(p, "create_payout"));
    assert_round_trip("create_debit_payment", &client.create_debit_payment(&batch).await.unwrap(), &success(p, "create_debit_payment"));
    assert_round_trip("create_regional_payout", &client.create_regional_payout(&batch).await.unwrap(), &success(p, "create_regional_payout"));
    let exchange: types::IssueTokenRequest = serde_json::from_value(request(p, "issue_token", json!({}))).unwrap();
    let issued = client.issue_token(&exchange).await.unwrap();
    assert_eq!(issued.access_token.expose(), "mc-token");
    let received = server.received();
    assert_eq!(received.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(), ["/oauth/token", "/payments", "/payments/debit", "/payments/regional", "/oauth/token"]);
    assert_wire(p, "issue_token", &received[0], "POST", "/oauth/token", None);
    let partner: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(partner, json!({"grant_type": "partner", "client_id": 1, "client_secret": "mc-secret"}));
    for (index, op) in ["create_payout", "create_debit_payment", "create_regional_payout"].iter().enumerate() {
        let path = received[index + 1].path.clone();
        assert_wire(p, op, &received[index + 1], "POST", &path, Some("Bearer mc-token"));
    }
    assert_wire(p, "issue_token", &received[4], "POST", "/oauth/token", None);
}

#[tokio::test]
async fn paymob_every_operation() {
    use payspec_paymob::{types, Client, Credentials, Environment};
    let p = "paymob";
    let token = success(p, "generate_token");
    let server = server(vec![("/o/token/", token.clone()), ("/disburse/", success(p, "create_disbursement"))]).await;
    let client = Client::builder(
        Environment::Custom(server.uri().parse().unwrap()),
        Credentials::new("client-id", "client-secret", "api-user", "api-password"),
    )
    .limits(limits())
    .http_client(payspec_tests::http())
    .build()
    .unwrap();
    let request: types::DisbursementRequest =
        serde_json::from_value(json!({"msisdn": "01012345678", "amount": "150.50", "fees": "Full"})).unwrap();
    assert_round_trip("create_disbursement", &client.create_disbursement(&request).await.unwrap(), &success(p, "create_disbursement"));
    let received = server.received();
    assert_eq!(received.len(), 2);
    // base64("client-id:client-secret")
    assert_wire(p, "generate_token", &received[0], "POST", "/o/token/", Some("Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ="));
    assert_eq!(header(&received[0], "content-type"), Some("application/x-www-form-urlencoded"));
    let mut form: Vec<&str> = std::str::from_utf8(&received[0].body).unwrap().split('&').collect();
    form.sort_unstable();
    assert_eq!(form, ["grant_type=password", "password=api-password", "username=api-user"], "the documented form body");
    let token_value = token["access_token"].as_str().unwrap();
    assert_wire(p, "create_disbursement", &received[1], "POST", "/disburse/", Some(&format!("Bearer {token_value}")));
    let sent: Value = serde_json::from_slice(&received[1].body).unwrap();
    assert_eq!(sent, json!({"msisdn": "01012345678", "amount": "150.50", "fees": "Full"}), "the amount is a JSON string, exactly");
}

#[tokio::test]
async fn billon_every_operation() {
    use payspec_billon::{types, ApiKey, Client, Environment};
    let p = "billon";
    let server = server(vec![
        ("/api/authenticate", success(p, "authenticate")),
        ("/api/payment/create", success(p, "create_payout")),
        ("/api/payment/cancel", success(p, "cancel_payouts")),
    ])
    .await;
    let client = Client::builder(Environment::Custom(server.uri().parse().unwrap()), ApiKey::new("panel-password"))
        .limits(limits())
        .http_client(payspec_tests::http())
        .build()
        .unwrap();
    let create: types::CreatePayoutRequest = serde_json::from_value(request(p, "create_payout", json!({}))).unwrap();
    assert_round_trip("create_payout", &client.create_payout(&create).await.unwrap(), &success(p, "create_payout"));
    let cancel: types::CancelPayoutsRequest = serde_json::from_value(request(p, "cancel_payouts", json!({}))).unwrap();
    assert_round_trip("cancel_payouts", &client.cancel_payouts(&cancel).await.unwrap(), &success(p, "cancel_payouts"));
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_wire(p, "authenticate", &received[0], "POST", "/api/authenticate", None);
    assert_eq!(serde_json::from_slice::<Value>(&received[0].body).unwrap(), json!({"apiKey": "panel-password"}));
    let token = success(p, "authenticate")["token"].as_str().unwrap().to_string();
    assert_wire(p, "create_payout", &received[1], "POST", "/api/payment/create", Some(&format!("x-access-token:{token}")));
    assert_eq!(serde_json::from_slice::<Value>(&received[1].body).unwrap(), request(p, "create_payout", json!({})), "the documented request, exactly");
    assert_wire(p, "cancel_payouts", &received[2], "POST", "/api/payment/cancel", Some(&format!("x-access-token:{token}")));
}
