//! The testkit's schema validation rejects what the spec forbids, so the contract tests
//! that rely on it can fail.

use payspec_tests::{json_schema, request_validator, spec};
use serde_json::json;

#[test]
fn request_validator_rejects_bodies_the_spec_forbids() {
    let spec = spec("magicpayments");
    let withdrawal = request_validator(&spec, "create_withdrawal");
    assert!(withdrawal.is_valid(&json!({"amount": 10.5, "order": "o-1"})));
    assert!(!withdrawal.is_valid(&json!({"amount": "10.5"})), "amount must be a JSON number");
    assert!(!withdrawal.is_valid(&json!({"order": "o-1"})), "amount is required");
    assert!(!withdrawal.is_valid(&json!({"amount": 1, "order": "x".repeat(101)})), "order is at most 100 characters");
    assert!(!withdrawal.is_valid(&json!({"amount": 1, "payout_address": {"type": 7}})), "nested schemas are checked");

    let chargeback = request_validator(&spec, "create_chargeback");
    assert!(chargeback.is_valid(&json!({"arn": null})), "nullable arn accepts null");
    assert!(!chargeback.is_valid(&json!({})), "arn is required");
}

#[test]
fn nullable_becomes_a_null_alternative() {
    assert_eq!(
        json_schema(&json!({"type": "string", "nullable": true})),
        json!({"type": ["string", "null"]})
    );
    assert_eq!(
        json_schema(&json!({"$ref": "#/components/schemas/X", "nullable": true})),
        json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]})
    );
}
