//! Both documented callback styles parse; anything else is refused.

use payspec_magicpayments::callback::{Callback, CallbackError};
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
