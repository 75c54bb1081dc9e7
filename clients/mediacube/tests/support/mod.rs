//! What the wire tests share: a client against a local server, the payment token
//! endpoint, the docs' payout batch and MediaCube's answers.

use payspec_mediacube::{types::PaymentItem, Client, Credentials, PaymentBatch};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The docs' client: `client_id` 1, `client_secret` `<secret>`.
pub fn credentials() -> Credentials {
    Credentials::new(1, "<secret>")
}

/// A local MediaCube and a client of it.
pub async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), credentials()).expect("client");
    (server, client)
}

/// A token endpoint that issues `token` (valid for an hour) to every request.
pub fn token_endpoint(token: &str) -> Mock {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": token,
        })))
}

/// The docs' request_id of the payout example.
pub fn docs_request_id() -> Uuid {
    "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8"
        .parse()
        .expect("uuid")
}

/// A payment as a caller writes it.
pub fn payment(amount: &str, wallet: &str, description: &str) -> PaymentItem {
    PaymentItem {
        amount: amount.parse().expect("amount"),
        wallet: wallet.into(),
        description: description.to_string(),
    }
}

/// The docs' "Create payout payment" batch.
pub fn docs_payout_batch() -> PaymentBatch {
    PaymentBatch::with_request_id(
        docs_request_id(),
        vec![
            payment("10.0000000001", "1111222233334444", "Test payment 1"),
            payment("6.8", "5555666677778888", "Test payment 2"),
        ],
    )
}

/// A batch answer with `status` (and `err_msg`) for `request_id`.
pub fn batch_answer(request_id: Uuid, status: i64, err_msg: Option<i64>) -> Value {
    let transactions = if status == 2 {
        json!([{ "id": 1, "invoice_path": "/api/transactions/1/invoice" }])
    } else {
        json!([])
    };
    json!({ "data": {
        "request_id": request_id,
        "status": status,
        "err_msg": err_msg,
        "transactions": transactions,
    }})
}

/// What the server received on `path`, in order.
pub async fn received_on(server: &MockServer, on: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|request| request.url.path() == on)
        .collect()
}

/// The `Authorization` header of `request`, if any.
pub fn authorization(request: &Request) -> Option<&str> {
    request
        .headers
        .get("authorization")
        .map(|value| value.to_str().expect("ascii header"))
}
