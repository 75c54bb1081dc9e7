//! Secrets print redacted and serialize in full.

use payspec_core::secret::{AccessToken, AccountNumber, ApiKey, CardNumber, ClientSecret, Cvv, Password, Pin};

#[test]
fn secrets_never_print() {
    let sentinel = "s3ntinel-VALUE-9999";
    let printed = [
        format!("{:?} {}", Cvv::new(sentinel), Cvv::new(sentinel)),
        format!("{:?} {}", Pin::new(sentinel), Pin::new(sentinel)),
        format!("{:?} {}", Password::new(sentinel), Password::new(sentinel)),
        format!("{:?} {}", ClientSecret::new(sentinel), ClientSecret::new(sentinel)),
        format!("{:?} {}", ApiKey::new(sentinel), ApiKey::new(sentinel)),
        format!("{:#?} {}", AccessToken::new(sentinel), AccessToken::new(sentinel)),
    ];
    for text in printed {
        assert!(!text.contains("s3ntinel"), "{text}");
        assert!(!text.contains("9999"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}

#[test]
fn card_and_account_numbers_show_only_their_last_four_digits() {
    let card = CardNumber::new("4111111111111111");
    assert_eq!(format!("{card:?}"), "CardNumber(****1111)");
    assert_eq!(card.to_string(), "****1111");
    let wallet = AccountNumber::new("01012345678");
    assert_eq!(format!("{wallet:?}"), "AccountNumber(****5678)");
    // Too short to hide more than it shows: nothing shows.
    assert_eq!(format!("{:?}", AccountNumber::new("1234567")), "AccountNumber(<redacted>)");
}

#[test]
fn secrets_serialize_in_full() {
    let card = CardNumber::new("4111111111111111");
    assert_eq!(serde_json::to_string(&card).unwrap(), r#""4111111111111111""#);
    let read: Cvv = serde_json::from_str(r#""123""#).unwrap();
    assert_eq!(read.expose(), "123");
}
