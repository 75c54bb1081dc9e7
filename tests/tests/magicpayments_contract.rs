//! MagicPayments on the wire: every operation against a loopback server, checking
//! method, path, headers, and the body against the spec's own request schema; then the
//! documented outcome rules (4xx typed, 5xx failed, timeout = outcome unknown).

use std::time::Duration;

use payspec_core::secret::AccessToken;
use payspec_core::transport::Limits;
use payspec_magicpayments::{types, Client, Error};
use payspec_tests::{assert_valid, request_validator, spec};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-access-token";
const WALLET: &str = "75e9a565-6b36-3b67-9ed1-2050314314f9";

fn wallet() -> Uuid {
    WALLET.parse().expect("uuid")
}

fn transaction_json() -> Value {
    json!({
        "currency": "RUB", "order": "73450234", "uuid": "26549f4f-fcea-44bb-a65b-f4bf2ae78aea",
        "created_at": "2024-01-26T09:59:01.000000Z", "status_transaction": "created",
        "total": 487.5, "amount": 500, "type_alias": "payout", "card_mask": null
    })
}

fn client_for(server: &MockServer) -> Client {
    Client::new(&server.uri(), AccessToken::new(TOKEN)).expect("client")
}

fn reference(order: &str) -> types::TransactionReference {
    types::TransactionReference {
        order: Some(order.to_string().try_into().expect("order")),
        transaction: None,
    }
}

/// Checks the one request the server received for `operation`.
async fn assert_request(server: &MockServer, operation: &str, verb: &str, expected_path: &str) {
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1, "{operation}: exactly one request");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), verb, "{operation}");
    assert_eq!(request.url.path(), expected_path, "{operation}");
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(header("authorization").as_deref(), Some(format!("Bearer {TOKEN}").as_str()), "{operation}");
    assert_eq!(header("api-version"), None, "{operation}: progenitor's api-version header is stripped");
    if verb == "POST" {
        assert_eq!(header("content-type").as_deref(), Some("application/json"), "{operation}");
        let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
        assert_valid(&request_validator(&spec("magicpayments"), operation), &body, operation);
    }
}

async fn server_answering(verb: &str, at: &str, status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn wallet_path(tail: &str) -> String {
    format!("/api/{WALLET}/{tail}")
}

#[tokio::test]
async fn create_invoice_on_the_wire() {
    let response = json!({"status": "success", "comission": 12.5, "total": 487.5, "amount": 500,
        "url": "https://example.com/redirect", "transaction": transaction_json()});
    let server = server_answering("POST", &wallet_path("invoice"), 200, response).await;
    let request: types::InvoiceRequest = serde_json::from_value(json!({
        "amount": 1000, "order": "inv-1", "callback_method": "POST",
        "card": {"pan": "4111111111111111", "cvv": "123", "month": "01", "year": "28"}
    }))
    .expect("request");
    let created = client_for(&server).create_invoice(wallet(), request).await.expect("created");
    assert_eq!(created.url.as_deref(), Some("https://example.com/redirect"));
    assert_request(&server, "create_invoice", "POST", &wallet_path("invoice")).await;
    let sent: Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent["amount"], json!(1000), "amount is a JSON number, as documented");
    assert_eq!(sent["card"]["pan"], "4111111111111111", "secrets go on the wire in full");
}

#[tokio::test]
async fn create_withdrawal_on_the_wire() {
    let response = json!({"status": "success", "comission": 12.5, "total": 487.5, "amount": 500,
        "transaction": transaction_json()});
    let server = server_answering("POST", &wallet_path("withdrawal"), 200, response).await;
    let request: types::WithdrawalRequest = serde_json::from_value(json!({
        "amount": 5309.25, "order": "payout-1", "card": "4111111111111111",
        "payout_address": {"type": "usdt_trc20", "address": "TCgBa3WVrrcQoBfd6bZdiFLatZ"}
    }))
    .expect("request");
    let created = client_for(&server).create_withdrawal(wallet(), request).await.expect("created");
    assert_eq!(created.status, types::RequestStatus::Success);
    assert_request(&server, "create_withdrawal", "POST", &wallet_path("withdrawal")).await;
    let sent = &server.received_requests().await.unwrap()[0].body;
    assert!(String::from_utf8_lossy(sent).contains(r#""amount":5309.25"#), "exact number text on the wire");
}

#[tokio::test]
async fn transaction_operations_on_the_wire() {
    type Call = fn(Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<types::Transaction, Error>>>>;
    let cases: [(&str, &str, Call); 8] = [
        ("get_status", "status", |c| Box::pin(async move { c.call(c.api().get_status().wallet_uuid(wallet()).body(reference("o-1")).send()).await })),
        ("create_refund", "refund", |c| Box::pin(async move { c.create_refund(wallet(), reference("o-1")).await })),
        ("create_chargeback", "chargeback", |c| Box::pin(async move {
            let request = types::ChargebackRequest { arn: None, order: Some("o-1".to_string().try_into().unwrap()), reason_code: Some("4837".into()), transaction: None };
            c.create_chargeback(wallet(), request).await
        })),
        ("send_additional_data", "additional_data", |c| Box::pin(async move {
            let request = types::AdditionalDataRequest { addition_data: Some(types::AdditionData { sms_code: Some("1234".into()) }), order: Some("o-1".to_string().try_into().unwrap()), transaction: None };
            c.call(c.api().send_additional_data().wallet_uuid(wallet()).body(request).send()).await
        })),
        ("mark_invoice_paid", "paid", |c| Box::pin(async move {
            let request: types::PaidRequest = serde_json::from_value(json!({"order": "o-1", "receipt": {"sender": "Иван Иванович 4432", "file_extension": "jpg", "file_name": "image", "file_base64": "aGVsbG8="}})).unwrap();
            c.call(c.api().mark_invoice_paid().wallet_uuid(wallet()).body(request).send()).await
        })),
        ("cancel_invoice", "cancel", |c| Box::pin(async move { c.cancel_invoice(wallet(), reference("o-1")).await })),
        ("open_dispute", "dispute", |c| Box::pin(async move { c.call(c.api().open_dispute().wallet_uuid(wallet()).body(reference("o-1")).send()).await })),
        ("send_dispute_message", "dispute/messages/send", |c| Box::pin(async move {
            let request: types::SendDisputeMessageRequest = serde_json::from_value(json!({"order": "o-1", "message": {"type": "TEXT", "message": "Не пришли деньги"}})).unwrap();
            c.call(c.api().send_dispute_message().wallet_uuid(wallet()).body(request).send()).await
        })),
    ];
    for (operation, tail, call) in cases {
        let server = server_answering("POST", &wallet_path(tail), 200, transaction_json()).await;
        let transaction = call(client_for(&server)).await.unwrap_or_else(|e| panic!("{operation}: {e}"));
        assert_eq!(transaction.order.as_deref(), Some("73450234"), "{operation}");
        assert_request(&server, operation, "POST", &wallet_path(tail)).await;
    }
}

#[tokio::test]
async fn list_dispute_messages_on_the_wire() {
    let messages = json!([{"created_at": "2024-01-01T12:00:00Z", "direction": "INCOME", "type": "TEXT", "message": "Не пришли деньги"}]);
    let server = server_answering("POST", &wallet_path("dispute/messages"), 200, messages).await;
    let client = client_for(&server);
    let messages = client
        .call(client.api().list_dispute_messages().wallet_uuid(wallet()).body(reference("o-1")).send())
        .await
        .expect("messages");
    assert!(matches!(messages, types::DisputeMessages::List(ref list) if list.0.len() == 1));
    assert_request(&server, "list_dispute_messages", "POST", &wallet_path("dispute/messages")).await;
}

#[tokio::test]
async fn reads_on_the_wire() {
    let profile = json!([{"uuid": "52a38a2b-fe45-45c8-850c-11f02d7d1620", "currency": "RUB", "balance": "800.00"}]);
    let server = server_answering("GET", "/api/profile", 200, profile).await;
    let client = client_for(&server);
    let wallets = client.call(client.api().get_profile().send()).await.expect("profile");
    assert_eq!(wallets[0].balance.to_string(), "800.00");
    assert_request(&server, "get_profile", "GET", "/api/profile").await;

    let balance = json!({"uuid": WALLET, "currency": "RUB", "balance": "800.00", "detailed": {"payout": "500.00"}});
    let server = server_answering("GET", &wallet_path("balance"), 200, balance).await;
    let client = client_for(&server);
    let balance = client.call(client.api().get_balance().wallet_uuid(wallet()).send()).await.expect("balance");
    assert_eq!(balance.uuid, wallet());
    assert_request(&server, "get_balance", "GET", &wallet_path("balance")).await;

    let page = json!({"current_page": 2, "data": [], "next_page_url": null, "from": null, "to": null, "total": 0});
    let server = server_answering("GET", &wallet_path("history"), 200, page).await;
    let client = client_for(&server);
    let page = client
        .call(client.api().get_history().wallet_uuid(wallet()).date_from("04.03.2022").date_to("05.03.2022").page(std::num::NonZeroU64::new(2).unwrap()).send())
        .await
        .expect("history");
    assert_eq!(page.current_page, 2);
    assert_request(&server, "get_history", "GET", &wallet_path("history")).await;
    let requests = server.received_requests().await.unwrap();
    let query: Vec<(String, String)> = requests[0].url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert!(query.contains(&("date_from".into(), "04.03.2022".into())), "{query:?}");
    assert!(query.contains(&("page".into(), "2".into())), "{query:?}");
}

#[tokio::test]
async fn documented_400_is_a_typed_error_with_the_raw_body() {
    let body = json!({"status": "error", "error": "Ошибка доступа", "code": "access_denied"});
    let server = server_answering("POST", &wallet_path("refund"), 400, body.clone()).await;
    let error = client_for(&server).create_refund(wallet(), reference("o-1")).await.expect_err("rejected");
    let Error::Api { status, error: api, body: raw } = &error else { panic!("{error:?}") };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(api.code(), Some(&types::ErrorCode::AccessDenied));
    assert_eq!(api.message(), Some("Ошибка доступа"));
    assert_eq!(serde_json::from_slice::<Value>(raw).unwrap(), body, "raw body kept as received");
    assert!(error.to_string().contains("access denied"), "{error}");
}

#[tokio::test]
async fn documented_422_carries_field_errors() {
    let body = json!({"status": "error", "error": {"amount": ["Поле amount должно быть числом."]}});
    let server = server_answering("POST", &wallet_path("withdrawal"), 422, body).await;
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 1, "order": "o-422"})).unwrap();
    let error = client_for(&server).create_withdrawal(wallet(), request).await.expect_err("rejected");
    let Error::Api { status, error: api, .. } = &error else { panic!("{error:?}") };
    assert_eq!(status.as_u16(), 422);
    assert_eq!(api.code(), None);
    assert_eq!(api.field_errors().and_then(|f| f.get("amount")).map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_5xx_on_a_withdrawal_is_a_failure_with_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(wallet_path("withdrawal")))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .mount(&server)
        .await;
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 1, "order": "o-502"})).unwrap();
    let error = client_for(&server).create_withdrawal(wallet(), request).await.expect_err("failed");
    let Error::UnexpectedStatus { status, body } = &error else { panic!("{error:?}") };
    assert_eq!(status.as_u16(), 502);
    assert_eq!(&body[..], b"<html>Bad Gateway</html>");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never retried");
}

#[tokio::test]
async fn a_withdrawal_without_order_is_refused_before_sending() {
    let server = MockServer::start().await;
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 1})).unwrap();
    let error = client_for(&server).create_withdrawal(wallet(), request).await.expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_timed_out_withdrawal_is_outcome_unknown_and_reconciles_by_order() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(wallet_path("withdrawal")))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(wallet_path("status")))
        .respond_with(ResponseTemplate::new(200).set_body_json(transaction_json()))
        .mount(&server)
        .await;
    let limits = Limits { request_timeout: Duration::from_millis(300), ..Limits::default() };
    let client = Client::with_limits(&server.uri(), AccessToken::new(TOKEN), limits).expect("client");
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 100, "order": "73450234"})).unwrap();

    let error = client.create_withdrawal(wallet(), request).await.expect_err("timed out");
    let Error::OutcomeUnknown(unknown) = &error else { panic!("{error:?}") };
    assert_eq!(unknown.operation, "create_withdrawal");
    assert_eq!(unknown.reference, "73450234");
    assert!(unknown.reconcile.contains("WAS created"), "{}", unknown.reconcile);

    let transaction = client.transaction_by_order(wallet(), &unknown.reference).await.expect("status");
    assert_eq!(transaction.status_transaction, types::TransactionStatus::Created);
    let requests = server.received_requests().await.unwrap();
    let withdrawals = requests.iter().filter(|r| r.url.path().ends_with("/withdrawal")).count();
    assert_eq!(withdrawals, 1, "the payout was sent once, never retried");
    let status = requests.iter().find(|r| r.url.path().ends_with("/status")).expect("status request");
    assert_eq!(serde_json::from_slice::<Value>(&status.body).unwrap(), json!({"order": "73450234"}));
}

#[tokio::test]
async fn a_refused_connection_is_a_plain_failure_not_outcome_unknown() {
    // Bind then drop: nothing listens on this loopback port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::new(&format!("http://127.0.0.1:{port}"), AccessToken::new(TOKEN)).unwrap();
    let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": 1, "order": "o-refused"})).unwrap();
    let error = client.create_withdrawal(wallet(), request).await.expect_err("refused");
    assert!(matches!(error, Error::Transport(ref e) if e.is_connect()), "{error:?}");
}

#[tokio::test]
async fn the_token_never_prints() {
    let client = Client::new("http://127.0.0.1:9", AccessToken::new("sentinel-token-value")).unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("sentinel-token-value"), "{debug}");
}
