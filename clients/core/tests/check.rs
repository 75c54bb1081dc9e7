//! Checks before sending: each failed check is an `InvalidRequest` naming the field by
//! its path in the request, and nothing is sent.

use payspec_core::check::{self, Check, Path};
use payspec_core::{Decimal, Error, InvalidRequest};

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn paths_name_fields_and_items() {
    let body = Path::BODY;
    let data = body.field("data");
    let item = data.index(2);
    assert_eq!(item.field("amount").to_string(), "data[2].amount");
    assert_eq!(body.field("amount").to_string(), "amount");
    assert_eq!(body.index(0).to_string(), "[0]");
    assert_eq!(body.index(0).field("id").to_string(), "[0].id");
    let recipient = body.field("recipient");
    assert_eq!(recipient.field("address").field("city").to_string(), "recipient.address.city");
    assert_eq!(data.index(1).index(3).to_string(), "data[1][3]");
    assert_eq!(body.to_string(), "");
}

fn at_item_2(run: impl FnOnce(Path<'_>) -> Result<(), InvalidRequest>) -> InvalidRequest {
    let data = Path::BODY.field("data");
    let item = data.index(2);
    run(item.field("amount")).expect_err("the check fails")
}

#[test]
fn positive() {
    for good in ["0.01", "1", "150.50"] {
        assert!(check::positive(Path::BODY.field("amount"), &decimal(good)).is_ok(), "{good}");
    }
    for (bad, shown) in [("0", "0"), ("0.00", "0.00"), ("-0", "0"), ("-5", "-5"), ("-0.01", "-0.01")] {
        let error = at_item_2(|at| check::positive(at, &decimal(bad)));
        assert_eq!(error.field(), "data[2].amount");
        assert_eq!(error.to_string(), format!("data[2].amount must be more than zero, not {shown}"), "{bad}");
    }
}

#[test]
fn not_blank() {
    assert!(check::not_blank(Path::BODY.field("order_id"), "o-1").is_ok());
    for bad in ["", " ", "\t\n", "\u{3000}"] {
        let error = at_item_2(|at| check::not_blank(at, bad));
        assert_eq!(error.to_string(), "data[2].amount must not be blank", "{bad:?}");
    }
}

proptest::proptest! {
    /// Whatever the text (ASCII, vertical tabs, ideographic spaces, accents), the check
    /// says what `trim().is_empty()` says.
    #[test]
    fn not_blank_is_trim_is_empty(text in "[ \t\n\u{b}\u{c}\r\u{85}\u{a0}\u{3000}a-cé]{0,6}") {
        let checked = check::not_blank(Path::BODY.field("order_id"), &text).is_ok();
        proptest::prop_assert_eq!(checked, !text.trim().is_empty(), "{:?}", text);
    }
}

#[test]
fn not_empty() {
    assert!(check::not_empty(Path::BODY.field("data"), &[1]).is_ok());
    let data = Path::BODY.field("data");
    let error = check::not_empty::<u8>(data.index(2).field("ids"), &[]).unwrap_err();
    assert_eq!(error.to_string(), "data[2].ids must not be empty");
    assert_eq!(error.field(), "data[2].ids");
}

#[test]
fn unique() {
    assert!(check::unique(Path::BODY.field("ids"), &["a", "b", "c"]).is_ok());
    assert!(check::unique::<&str>(Path::BODY.field("ids"), &[]).is_ok());
    let data = Path::BODY.field("data");
    let error = check::unique(data.index(2).field("ids"), &["a", "b", "a"]).unwrap_err();
    assert_eq!(error.field(), "data[2].ids");
    assert_eq!(error.to_string(), "data[2].ids lists a more than once");
}

#[test]
fn any_present() {
    assert!(check::any_present(Path::BODY, &[("email", false), ("phone", true)]).is_ok());
    let data = Path::BODY.field("data");
    let error = check::any_present(data.index(2), &[("email", false), ("phone", false)]).unwrap_err();
    assert_eq!(error.field(), "data[2]");
    assert_eq!(error.to_string(), "data[2] needs at least one of email, phone");
    assert!(check::has_text(Some("x")));
    assert!(!check::has_text(Some("  ")));
    assert!(!check::has_text(None));
}

#[test]
fn not_before() {
    let from = "2024-01-01";
    assert!(check::not_before(Path::BODY.field("to"), &"2024-01-01", "from", &from).is_ok());
    assert!(check::not_before(Path::BODY.field("to"), &"2024-02-01", "from", &from).is_ok());
    let data = Path::BODY.field("data");
    let error = check::not_before(data.index(2).field("to"), &"2023-12-31", "from", &from).unwrap_err();
    assert_eq!(error.field(), "data[2].to");
    assert_eq!(error.to_string(), "data[2].to (2023-12-31) must not be before from (2024-01-01)");
}

/// A request body as the generator writes its `Check`.
struct Payout {
    amount: Decimal,
    order_id: String,
}

impl Check for Payout {
    fn check(&self, at: Path<'_>) -> Result<(), InvalidRequest> {
        check::positive(at.field("amount"), &self.amount)?;
        check::not_blank(at.field("order_id"), &self.order_id)
    }
}

struct Batch {
    data: Vec<Payout>,
    note: Option<Payout>,
}

impl Check for Batch {
    fn check(&self, at: Path<'_>) -> Result<(), InvalidRequest> {
        check::not_empty(at.field("data"), &self.data)?;
        self.data.check(at.field("data"))?;
        self.note.check(at.field("note"))
    }
}

fn payout(amount: &str, order_id: &str) -> Payout {
    Payout {
        amount: decimal(amount),
        order_id: order_id.to_string(),
    }
}

#[test]
fn checks_compose_through_lists_and_options() {
    let batch = Batch {
        data: vec![payout("1", "a"), payout("2", "b"), payout("0", "c")],
        note: None,
    };
    let error = batch.check(Path::BODY).unwrap_err();
    assert_eq!(error.to_string(), "data[2].amount must be more than zero, not 0");

    let batch = Batch {
        data: vec![payout("1", "a")],
        note: Some(payout("1", " ")),
    };
    assert_eq!(batch.check(Path::BODY).unwrap_err().to_string(), "note.order_id must not be blank");

    let batch = Batch { data: vec![], note: None };
    assert_eq!(batch.check(Path::BODY).unwrap_err().to_string(), "data must not be empty");

    let batch = Batch {
        data: vec![payout("1", "a")],
        note: None,
    };
    assert!(batch.check(Path::BODY).is_ok());
}

#[test]
fn a_failed_check_is_an_error_that_sent_nothing_and_masks_card_numbers() {
    let card = "4111111111111111";
    let error = check::unique(Path::BODY.field("cards"), &[card, card]).unwrap_err();
    assert!(!error.to_string().contains(card), "{error}");
    assert!(error.to_string().contains("****1111"), "{error}");
    assert!(!format!("{error:?}").contains(card), "{error:?}");
    let error: Error<String> = error.into();
    assert!(error.nothing_sent());
    assert!(matches!(&error, Error::InvalidRequest(invalid) if invalid.field() == "cards"));
    assert_eq!(
        error.to_string(),
        "invalid request, nothing was sent: cards lists ****1111 more than once"
    );
}
