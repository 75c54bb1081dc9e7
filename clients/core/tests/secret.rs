//! Secrets print redacted and serialize in full.

use payspec_core::secret::{
    AccessToken, AccountNumber, ApiKey, AuthorizationCode, CardNumber, CardToken, ClientSecret, Cvv, Password, Pin,
    RefreshToken,
};

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
        format!("{:?} {}", RefreshToken::new(sentinel), RefreshToken::new(sentinel)),
        format!("{:?} {}", AuthorizationCode::new(sentinel), AuthorizationCode::new(sentinel)),
        format!("{:?} {}", CardToken::new(sentinel), CardToken::new(sentinel)),
        format!("{:?}", Some(Password::new(sentinel))),
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

#[test]
fn the_suffix_shows_only_when_at_least_as_much_stays_hidden() {
    assert_eq!(AccountNumber::new("12345678").to_string(), "****5678");
    assert_eq!(AccountNumber::new("1234567").to_string(), "<redacted>");
    assert_eq!(CardNumber::new("").to_string(), "<redacted>");
    // Characters, not bytes.
    assert_eq!(AccountNumber::new("ééééabcd").to_string(), "****abcd");
    assert_eq!(AccountNumber::new("éé1234").to_string(), "<redacted>");
}

#[test]
fn equal_secrets_compare_equal_without_printing() {
    assert_eq!(Password::new("a"), Password::new("a"));
    assert_ne!(Password::new("a"), Password::new("b"));
    assert_eq!("x".parse::<ApiKey>().unwrap().expose(), "x");
    assert_eq!(Cvv::from("123".to_string()).clone().expose(), "123");
}
