//! Every documented MagicPayments example, read and written by the client exactly.

use payspec_magicpayments::types;
use payspec_tests::{examples, spec, Example, ExampleKind};
use rust_decimal::Decimal;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// `value` as the provider means it: without `null` members (an absent optional field
/// and `null` are the same, and the client writes neither), and with timestamps in one
/// spelling (`...01.000000Z` and `...01Z` are the same instant).
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(instant) => Value::String(instant.to_rfc3339()),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

/// Parses `example` as `T` and writes it back; returns what was written.
fn round_trip<T: DeserializeOwned + Serialize>(example: &Example) -> Value {
    let text = example.value.to_string();
    let parsed: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} {:?} {}: {e}", example.operation, example.kind, example.name));
    serde_json::to_value(&parsed).expect("serializes")
}

fn request_round_trip(example: &Example) -> Value {
    match example.operation.as_str() {
        "create_invoice" => round_trip::<types::InvoiceRequest>(example),
        "create_withdrawal" => round_trip::<types::WithdrawalRequest>(example),
        "create_chargeback" => round_trip::<types::ChargebackRequest>(example),
        "send_additional_data" => round_trip::<types::AdditionalDataRequest>(example),
        "mark_invoice_paid" => round_trip::<types::PaidRequest>(example),
        "send_dispute_message" => round_trip::<types::SendDisputeMessageRequest>(example),
        "get_status" | "create_refund" | "cancel_invoice" | "open_dispute" | "list_dispute_messages" => {
            round_trip::<types::TransactionReference>(example)
        }
        other => panic!("no request type for {other}"),
    }
}

fn response_round_trip(example: &Example, status: &str) -> Value {
    if status.starts_with('4') {
        return round_trip::<types::ErrorResponse>(example);
    }
    match example.operation.as_str() {
        "create_invoice" => round_trip::<types::InvoiceResponse>(example),
        "create_withdrawal" => round_trip::<types::WithdrawalResponse>(example),
        "list_dispute_messages" => round_trip::<types::DisputeMessages>(example),
        "get_profile" => round_trip::<Vec<types::Wallet>>(example),
        "get_balance" => round_trip::<types::WalletBalance>(example),
        "get_history" => round_trip::<types::HistoryPage>(example),
        _ => round_trip::<types::Transaction>(example),
    }
}

#[test]
fn every_documented_example_round_trips_exactly() {
    let spec = spec("magicpayments");
    let examples = examples(&spec);
    let mut requests = 0;
    let mut responses = 0;
    for example in &examples {
        let written = match &example.kind {
            ExampleKind::Request => {
                requests += 1;
                // Requests are compared as documented, nulls included (`"arn": null`).
                let written = request_round_trip(example);
                assert_eq!(written, example.value, "{} request {}", example.operation, example.name);
                continue;
            }
            ExampleKind::Response(status) => {
                responses += 1;
                response_round_trip(example, status)
            }
        };
        assert_eq!(
            normalized(&written),
            normalized(&example.value),
            "{} {:?} {}",
            example.operation,
            example.kind,
            example.name
        );
    }
    // 7 documented request bodies; responses: 14 operations' 200s (shared ones counted
    // per operation) and the 400/422 errors on each.
    assert_eq!(requests, 7, "documented request examples");
    assert!(responses >= 14 + 3, "documented response examples: {responses}");
}

fn decimal(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

#[test]
fn documented_amounts_parse_exactly_as_numbers_and_strings() {
    let invoice: types::InvoiceResponse = serde_json::from_str(
        r#"{"status":"success","comission":12.5,"total":487.5,"amount":500,
            "url":"https://example.com/redirect",
            "transaction":{"currency":"RUB","order":"73450234","uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea",
            "created_at":"2024-01-26T09:59:01.000000Z","status_transaction":"created",
            "total":487.5,"amount":500,"type_alias":"payin","card_mask":null}}"#,
    )
    .expect("invoice response");
    assert_eq!(invoice.comission.map(|a| a.value()), Some(decimal("12.5")));
    assert_eq!(invoice.total.map(|a| a.value()), Some(decimal("487.5")));
    let transaction = invoice.transaction.expect("transaction");
    assert_eq!(transaction.amount.map(|a| a.to_string()).as_deref(), Some("500"));
    assert_eq!(transaction.status_transaction, types::TransactionStatus::Created);

    let balance: types::WalletBalance = serde_json::from_str(
        r#"{"uuid":"52a38a2b-fe45-45c8-850c-11f02d7d1620","currency":"RUB","balance":"800.00",
            "detailed":{"active":"800.00","current":"800.00","frozen":"0.00","payout":"500.00"}}"#,
    )
    .expect("balance");
    // The scale survives: "800.00" reads and prints as 800.00, not 800.
    assert_eq!(balance.balance.to_string(), "800.00");
    assert_eq!(balance.detailed.and_then(|d| d.payout).map(|a| a.value()), Some(decimal("500")));
}

#[test]
fn amounts_beyond_f64_precision_stay_exact() {
    let transaction: types::Transaction = serde_json::from_str(
        r#"{"uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea","status_transaction":"completed",
            "amount":12345678901234567.891,"total":"0.1000000000000000000001"}"#,
    )
    .expect("transaction");
    assert_eq!(transaction.amount.map(|a| a.to_string()).as_deref(), Some("12345678901234567.891"));
    assert_eq!(transaction.total.map(|a| a.to_string()).as_deref(), Some("0.1000000000000000000001"));
    let written = serde_json::to_string(&transaction).expect("serializes");
    assert!(written.contains(r#""amount":12345678901234567.891"#), "{written}");
    assert!(written.contains(r#""total":0.1000000000000000000001"#), "{written}");
}

#[test]
fn unknown_enum_values_parse_and_are_kept() {
    let text = r#"{"uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea","status_transaction":"on_hold",
                   "type_alias":"rolling_reserve","amount":1}"#;
    let transaction: types::Transaction = serde_json::from_str(text).expect("transaction");
    assert_eq!(transaction.status_transaction, types::TransactionStatus::Other("on_hold".into()));
    assert_eq!(transaction.type_alias, Some(types::TransactionType::Other("rolling_reserve".into())));
    assert_eq!(transaction.status_transaction.to_string(), "on_hold");
    let written = serde_json::to_value(&transaction).expect("serializes");
    assert_eq!(written["status_transaction"], "on_hold");
    assert_eq!(written["type_alias"], "rolling_reserve");
    assert_eq!("on_hold".parse::<types::TransactionStatus>().ok(), Some(types::TransactionStatus::Other("on_hold".into())));
}

#[test]
fn unknown_fields_in_responses_parse() {
    let transaction: types::Transaction = serde_json::from_str(
        r#"{"uuid":"26549f4f-fcea-44bb-a65b-f4bf2ae78aea","status_transaction":"created","new_field":{"x":1}}"#,
    )
    .expect("an unknown field does not fail the response");
    assert_eq!(transaction.status_transaction, types::TransactionStatus::Created);
}

#[test]
fn dispute_messages_parse_as_array_and_as_documented_object() {
    let item = r#"{"created_at":"2024-01-01T12:00:00Z","direction":"INCOME","type":"TEXT","message":"Не пришли деньги"}"#;
    let bare: types::DisputeMessages = serde_json::from_str(&format!("[{item}]")).expect("bare array");
    let wrapped: types::DisputeMessages = serde_json::from_str(&format!(r#"{{"data":[{item}]}}"#)).expect("object with data");
    let messages = |messages: &types::DisputeMessages| match messages {
        types::DisputeMessages::List(list) => list.0.clone(),
        types::DisputeMessages::Page(page) => page.data.0.clone(),
    };
    assert_eq!(messages(&bare), messages(&wrapped));
    assert_eq!(messages(&bare)[0].message.as_deref(), Some("Не пришли деньги"));
}

#[test]
fn card_number_and_cvv_never_print() {
    let withdrawal = types::WithdrawalRequest::builder()
        .amount(payspec_core::DecimalNumber::from(5309))
        .card(Some("4111111111119876".into()))
        .order(Some("order-1".to_string().try_into().expect("order")));
    let withdrawal: types::WithdrawalRequest = withdrawal.try_into().expect("withdrawal");
    let invoice = types::InvoiceRequest::builder()
        .amount(payspec_core::DecimalNumber::from(1000))
        .card(Some(types::Card {
            pan: Some("5555444433331111".into()),
            cvv: Some("918".into()),
            cardholder: Some("IVAN IVANOV".into()),
            month: Some("01".into()),
            year: Some("28".into()),
        }))
        .card_token(Some("tok_recurring_secret".into()));
    let invoice: types::InvoiceRequest = invoice.try_into().expect("invoice");

    for debug in [format!("{withdrawal:?}"), format!("{withdrawal:#?}")] {
        assert!(!debug.contains("4111111111119876"), "{debug}");
        assert!(debug.contains("****9876"), "the last four digits may show: {debug}");
    }
    for debug in [format!("{invoice:?}"), format!("{invoice:#?}")] {
        assert!(!debug.contains("5555444433331111"), "{debug}");
        assert!(!debug.contains("918"), "{debug}");
        assert!(!debug.contains("tok_recurring_secret"), "{debug}");
    }
    // On the wire they are sent in full.
    let wire = serde_json::to_value(&invoice).expect("serializes");
    assert_eq!(wire["card"]["pan"], "5555444433331111");
    assert_eq!(wire["card"]["cvv"], "918");
}

#[test]
fn the_spec_has_exactly_the_fourteen_documented_operations() {
    let spec = spec("magicpayments");
    let mut operations: Vec<String> = payspec_tests::operations(&spec).into_iter().map(|(id, _)| id).collect();
    operations.sort();
    assert_eq!(
        operations,
        [
            "cancel_invoice", "create_chargeback", "create_invoice", "create_refund", "create_withdrawal",
            "get_balance", "get_history", "get_profile", "get_status", "list_dispute_messages",
            "mark_invoice_paid", "open_dispute", "send_additional_data", "send_dispute_message",
        ]
    );
}
