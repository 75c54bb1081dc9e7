//! Each provider's own rules (what OpenAPI cannot say), and what every provider checks
//! before sending and accepts from a PHP-backed server.

use payspec_tests::hostile::{HostileServer, Reply};
use serde_json::json;

use crate::fixtures::limits;

mod magicpayments_callbacks {
    use payspec_magicpayments::rules::{Callback, CallbackError};
    use payspec_magicpayments::types::TransactionStatus;

    const UUID: &str = "26549f4f-fcea-44bb-a65b-f4bf2ae78aea";

    #[test]
    fn post_callback_carries_the_transaction() {
        let body = format!(
            r#"{{"currency":"RUB","order":"73450234","uuid":"{UUID}","created_at":"2024-01-26T09:59:01.000000Z",
                "status_transaction":"completed","total":487.5,"amount":500,"type_alias":"payout","card_mask":null}}"#
        );
        let callback = Callback::parse(&http::Method::POST, None, body.as_bytes()).expect("parses");
        let Callback::Transaction(transaction) = &callback else { panic!("{callback:?}") };
        assert_eq!(transaction.status_transaction, TransactionStatus::Completed);
        assert_eq!(transaction.total.map(|t| t.to_string()).as_deref(), Some("487.5"));
        assert_eq!(callback.transaction_id().to_string(), UUID);
        assert_eq!(callback.order(), Some("73450234"));
    }

    #[test]
    fn get_callback_carries_transaction_and_order() {
        let query = format!("?transaction={UUID}&order=73450234");
        let callback = Callback::parse(&http::Method::GET, Some(&query), b"").expect("parses");
        assert_eq!(callback, Callback::Reference { transaction: UUID.parse().unwrap(), order: Some("73450234".into()) });
        let without_order = Callback::from_query(&format!("transaction={UUID}&order=")).expect("parses");
        assert_eq!(without_order.order(), None);
    }

    #[test]
    fn other_requests_are_refused() {
        assert!(matches!(Callback::parse(&http::Method::PUT, None, b"{}"), Err(CallbackError::Method(_))));
        assert!(matches!(Callback::parse(&http::Method::POST, None, b"<html>"), Err(CallbackError::Body(_))));
        assert!(matches!(Callback::from_query("order=1"), Err(CallbackError::Query(_))));
        assert!(matches!(Callback::from_query("transaction=not-a-uuid"), Err(CallbackError::Query(_))));
    }
}

mod mediacube_urls {
    use payspec_mediacube::rules::{AuthorizationRequest, Scope};
    use payspec_mediacube::{Client, Credentials, Environment};

    #[test]
    fn authorization_url_is_the_docs_redirect_with_optional_state() {
        let url = AuthorizationRequest::new(1, "https://example.com/callback")
            .scopes([Scope::UserCommon, Scope::UserChannels, Scope::UserBalance])
            .state("csrf 1&2")
            .url("https://mp-stage.mediacube.dev")
            .unwrap();
        assert_eq!(url.path(), "/oauth/authorize/");
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            query,
            [
                ("client_id", "1"),
                ("redirect_uri", "https://example.com/callback"),
                ("response_type", "code"),
                ("scope", "user.common user.channels user.balance"),
                ("state", "csrf 1&2"),
            ]
        );
        assert_eq!(Scope::from("payments.write"), Scope::Other("payments.write".to_string()));
    }

    #[test]
    fn invoice_paths_become_urls_on_the_client_base() {
        let client = Client::builder(Environment::Stage, Credentials::new(1, "<secret>")).build().unwrap();
        assert_eq!(client.invoice_url("/api/transactions/1/invoice").unwrap().as_str(), "https://mp-stage.mediacube.dev/api/transactions/1/invoice");
        let prefixed = Client::builder(Environment::Custom("http://127.0.0.1:9000/mediacube/".parse().unwrap()), Credentials::new(1, "s")).build().unwrap();
        assert_eq!(prefixed.invoice_url("/api/transactions/2/invoice").unwrap().as_str(), "http://127.0.0.1:9000/mediacube/api/transactions/2/invoice");
        assert!(client.invoice_url("//evil.example/x").is_err(), "not a path on the base's host");
        assert!(client.invoice_url("https://evil.example/x").is_err());
    }
}

/// A server that must receive nothing.
async fn silent() -> HostileServer {
    HostileServer::start(|_| Reply::json(500, "{}")).await
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = silent().await;
    let base: reqwest::Url = server.uri().parse().unwrap();
    let wallet: uuid::Uuid = "75e9a565-6b36-3b67-9ed1-2050314314f9".parse().unwrap();
    let refused = |what: &str, result: Result<String, String>| {
        let message = result.expect_err(what);
        assert!(message.starts_with("invalid request, nothing was sent:"), "{what}: {message}");
        message
    };
    {
        use payspec_magicpayments::{types, AccessToken, Client, Environment};
        let client = Client::builder(Environment::Custom(base.clone()), AccessToken::new("t")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
        for (amount, order) in [("0", "o-1"), ("-5.00", "o-1"), ("10", "   ")] {
            let request: types::WithdrawalRequest = serde_json::from_value(json!({"amount": amount.parse::<f64>().unwrap(), "order": order})).unwrap();
            let message = refused("withdrawal", client.create_withdrawal(&wallet, &request).await.map(|_| String::new()).map_err(|e| e.to_string()));
            assert!(message.contains(if order.trim().is_empty() { "order must not be blank" } else { "amount must be more than zero" }), "{message}");
        }
        let nameless: types::TransactionReference = serde_json::from_value(json!({})).unwrap();
        let message = refused("refund", client.create_refund(&wallet, &nameless).await.map(|_| String::new()).map_err(|e| e.to_string()));
        assert!(message.contains("needs at least one of transaction, order"), "{message}");
    }
    {
        use payspec_mediacube::{types, Client, Credentials, Environment};
        let client = Client::builder(Environment::Custom(base.clone()), Credentials::new(1, "s")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
        for data in [json!([]), json!([{"amount": "1", "wallet": " ", "description": ""}]), json!([{"amount": "1", "wallet": "1", "description": ""}, {"amount": "0.00", "wallet": "2", "description": ""}])] {
            let batch: types::PaymentBatchRequest = serde_json::from_value(json!({"request_id": uuid::Uuid::new_v4(), "data": data})).unwrap();
            let message = refused("batch", client.create_payout(&batch).await.map(|_| String::new()).map_err(|e| e.to_string()));
            assert!(message.contains("data must not be empty") || message.contains("data[0].wallet must not be blank") || message.contains("data[1].amount must be more than zero"), "{message}");
        }
    }
    {
        use payspec_paymob::{types, Client, Credentials, Environment};
        let client = Client::builder(Environment::Custom(base.clone()), Credentials::new("i", "s", "u", "p")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
        for (msisdn, amount) in [("", "1.00"), ("01012345678", "0")] {
            let request: types::DisbursementRequest = serde_json::from_value(json!({"msisdn": msisdn, "amount": amount})).unwrap();
            refused("disbursement", client.create_disbursement(&request).await.map(|_| String::new()).map_err(|e| e.to_string()));
        }
    }
    {
        use payspec_billon::{types, ApiKey, Client, Environment};
        let client = Client::builder(Environment::Custom(base.clone()), ApiKey::new("k")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
        let payout = |changes: serde_json::Value| -> types::CreatePayoutRequest {
            let mut body = json!({"amount": 1, "currency": "GBP", "startDate": "2025-01-02T00:00:00Z", "endDate": "2025-01-03T00:00:00Z",
                "name": "p", "description": "d", "notification": true, "referenceId": "r-1"});
            for (key, value) in changes.as_object().unwrap() {
                if value.is_null() { body.as_object_mut().unwrap().remove(key); } else { body[key] = value.clone(); }
            }
            serde_json::from_value(body).unwrap()
        };
        let cases = [
            (json!({"amount": 0}), "amount must be more than zero"),
            (json!({"referenceId": null}), "needs at least one of userName, phoneNumber, referenceId"),
            (json!({"referenceId": "  ", "userName": ""}), "needs at least one of userName, phoneNumber, referenceId"),
            (json!({"endDate": "2025-01-01T00:00:00Z"}), "endDate (2025-01-01 00:00:00 UTC) must not be before startDate"),
        ];
        for (change, expected) in cases {
            let message = refused("billon payout", client.create_payout(&payout(change)).await.map(|_| String::new()).map_err(|e| e.to_string()));
            assert!(message.contains(expected), "{message}");
        }
        for ids in [vec![], vec![1, 2, 1]] {
            refused("cancel", client.cancel_payouts(&types::CancelPayoutsRequest { ids }).await.map(|_| String::new()).map_err(|e| e.to_string()));
        }
    }
    assert!(server.received().is_empty(), "nothing reached the server: {:?}", server.received());
}

#[test]
fn decimals_reject_what_is_not_a_json_number() {
    for text in ["1_000", "+1", ".5", "1.", "", "1e", "0x10", "1,5", "1e-9223372036854775808", "1e9223372036854775807"] {
        assert!(text.parse::<payspec_core::DecimalNumber>().is_err(), "{text:?} parsed");
    }
}

#[tokio::test]
async fn numbers_and_numeric_strings_are_interchangeable_in_answers() {
    // MediaCube's err_msg "3000" as a string, its status 3 as a string: still a typed
    // refusal, not an unreadable answer.
    let server = HostileServer::start(|request| {
        if request.path == "/oauth/token" {
            return Reply::json(200, r#"{"access_token":"t","expires_in":"3600"}"#);
        }
        Reply::json(200, r#"{"data":{"request_id":"c02e79a2-d30c-46e3-b3dd-c0e6a987acf8","status":"3","err_msg":"3000","transactions":[]}}"#)
    })
    .await;
    use payspec_mediacube::{types, Client, Credentials, Environment};
    let client = Client::builder(Environment::Custom(server.uri().parse().unwrap()), Credentials::new(1, "s")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
    let batch: types::PaymentBatchRequest = serde_json::from_value(json!({"request_id": "c02e79a2-d30c-46e3-b3dd-c0e6a987acf8", "data": [{"amount": "1", "wallet": "1", "description": ""}]})).unwrap();
    match client.create_payout(&batch).await {
        Err(payspec_mediacube::Error::Api { error: payspec_mediacube::ApiError::PaymentErrorResponse(refused), .. }) => {
            let data = refused.data.expect("data");
            assert_eq!(data.err_msg, Some(types::ErrorCode::InsufficientFunds));
            assert_eq!(data.err_msg.unwrap().meaning(), Some("Insufficient funds on your account, contact support"));
        }
        other => panic!("{other:?}"),
    }
    // An undocumented batch status reaches the caller as a value, with the transactions.
    let server = HostileServer::start(|request| {
        if request.path == "/oauth/token" {
            return Reply::json(200, r#"{"access_token":"t","expires_in":3600}"#);
        }
        Reply::json(200, r#"{"data":{"status":7,"transactions":[{"id":41},{"id":42}]}}"#)
    })
    .await;
    let client = Client::builder(Environment::Custom(server.uri().parse().unwrap()), Credentials::new(1, "s")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
    let error = client.create_payout(&batch).await.expect_err("undocumented status");
    let unknown = error.outcome_unknown().expect("outcome unknown");
    let response = unknown.response::<types::PaymentBatchResponse>().expect("the parsed answer is kept");
    assert_eq!(response.data.status, types::BatchStatus::Other(7));
    assert_eq!(response.data.transactions.iter().map(|t| t.id).collect::<Vec<_>>(), [41, 42]);
    assert_eq!(unknown.reference.get("request_id"), Some("c02e79a2-d30c-46e3-b3dd-c0e6a987acf8"));

    // Paymob's string status code sent as a bare number: still a success.
    let server = HostileServer::start(|request| {
        if request.path == "/o/token/" {
            return Reply::json(200, r#"{"access_token":"t","expires_in":3600.0,"token_type":"Bearer"}"#);
        }
        Reply::json(200, r#"{"disbursement_status":"success","status_description":"","status_code":200}"#)
    })
    .await;
    use payspec_paymob::{Client as Paymob, Credentials as PaymobCredentials, Environment as PaymobEnvironment};
    let client = Paymob::builder(PaymobEnvironment::Custom(server.uri().parse().unwrap()), PaymobCredentials::new("i", "s", "u", "p")).limits(limits()).http_client(payspec_tests::http()).build().unwrap();
    let request = serde_json::from_value(json!({"msisdn": "01012345678", "amount": "1.00"})).unwrap();
    let done = client.create_disbursement(&request).await.expect("a success with status_code 200 as a number");
    assert_eq!(done.status_code, payspec_paymob::types::DisbursementResponseStatusCode::X200);
}

#[test]
fn php_empty_maps_read_as_empty_objects_and_objects_as_objects() {
    use payspec_mediacube::types::RegionalPaymentBatchResponse;
    let empty: RegionalPaymentBatchResponse =
        serde_json::from_value(json!({"data": {"status": 2, "company": [], "oauth_client": [], "transactions": []}})).unwrap();
    assert!(empty.data.company.as_ref().is_some_and(|company| company.is_empty()));
    let full: RegionalPaymentBatchResponse =
        serde_json::from_value(json!({"data": {"status": 2, "company": {"id": 7, "name": "Acme"}, "transactions": []}})).unwrap();
    assert_eq!(full.data.company.as_ref().unwrap()["name"], "Acme");
    assert_eq!(serde_json::to_value(&full).unwrap()["data"]["company"], json!({"id": 7, "name": "Acme"}), "written back as an object");
    assert!(serde_json::from_value::<RegionalPaymentBatchResponse>(json!({"data": {"status": 2, "company": [1]}})).is_err(), "a non-empty list is not a map");
    let calculated: payspec_magicpayments::types::WithdrawalResponse =
        serde_json::from_value(json!({"status": "success", "addition_data": []})).unwrap();
    assert!(calculated.addition_data.is_some_and(|data| data.is_empty()));
}

/// A MagicPayments client against a server that answers every request with `body`.
async fn magicpayments_answering(body: &'static str) -> (HostileServer, payspec_magicpayments::Client) {
    let server = HostileServer::start(move |_| Reply::json(200, body)).await;
    let client = payspec_magicpayments::Client::builder(
        payspec_magicpayments::Environment::Custom(server.uri().parse().unwrap()),
        payspec_magicpayments::AccessToken::new("t"),
    )
    .limits(limits())
    .http_client(payspec_tests::http())
    .build()
    .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_withdrawal_without_a_transaction_is_a_success_only_as_a_calculation() {
    let wallet: uuid::Uuid = "75e9a565-6b36-3b67-9ed1-2050314314f9".parse().unwrap();
    let (_server, client) = magicpayments_answering(r#"{"status":"success","comission":12.5,"total":487.5,"amount":500,"addition_data":[]}"#).await;
    let calculation: payspec_magicpayments::types::WithdrawalRequest =
        serde_json::from_value(json!({"amount": 500, "order": "o-1", "calculate": true})).unwrap();
    let quoted = client.create_withdrawal(&wallet, &calculation).await.expect("a calculation needs no transaction");
    assert!(quoted.transaction.is_none());
    assert!(quoted.addition_data.is_some_and(|data| data.is_empty()), "PHP's [] read as an empty object through the client");
    let payout: payspec_magicpayments::types::WithdrawalRequest = serde_json::from_value(json!({"amount": 500, "order": "o-1"})).unwrap();
    let error = client.create_withdrawal(&wallet, &payout).await.expect_err("a payout must come back with its transaction");
    assert_eq!(error.outcome_unknown().expect("outcome unknown").reference.get("order"), Some("o-1"));
}

#[tokio::test]
async fn a_refusal_under_200_keeps_the_bytes_received_as_evidence() {
    // Paymob's `failed` under HTTP 200, with a field the spec does not describe.
    const BODY: &str = r#"{"disbursement_status":"failed","status_description":"limit","status_code":"6061","transaction_id":"tx-9"}"#;
    let server = HostileServer::start(|request| {
        if request.path == "/o/token/" {
            return Reply::json(200, r#"{"access_token":"t","expires_in":3600,"token_type":"Bearer"}"#);
        }
        Reply::json(200, BODY)
    })
    .await;
    use payspec_paymob::{Client, Credentials, Environment};
    let client = Client::builder(Environment::Custom(server.uri().parse().unwrap()), Credentials::new("i", "s", "u", "p"))
        .limits(limits())
        .http_client(payspec_tests::http())
        .build()
        .unwrap();
    let request = serde_json::from_value(json!({"msisdn": "01012345678", "amount": "1.00"})).unwrap();
    let error = client.create_disbursement(&request).await.expect_err("refused");
    let evidence = error.evidence().expect("evidence");
    assert_eq!(evidence.status(), 200);
    assert_eq!(evidence.body().map(|body| body.as_ref()), Some(BODY.as_bytes()), "the bytes received, the undescribed field included");
    assert!(error.to_string().contains("6061 (the amount exceeds the merchant's budget limit): limit"), "{error}");
}
