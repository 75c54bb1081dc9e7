//! Nothing secret is printed: errors mask card-number-like digit runs, evidence shows
//! its status and length only, a client's `Debug` shows no credential or token, and
//! `Masked` masks exactly the 12-19 digit runs.

mod support;

use std::fmt::{self, Write as _};

use bytes::Bytes;
use http::StatusCode;
use payspec_core::error::{AuthError, Cause, Undocumented};
use payspec_core::redact::Masked;
use payspec_core::secret::{AccessToken, ApiKey, Password};
use payspec_core::{ClientBuilder, Error, Evidence, InvalidRequest, OutcomeUnknown, Reference};
use proptest::prelude::*;
use support::*;

#[test]
fn evidence_debug_shows_the_status_and_length_only() {
    let body = format!(r#"{{"card":"{CARD}","cvv":"123"}}"#);
    let evidence = Evidence::kept(StatusCode::BAD_REQUEST, Bytes::from(body.clone()));
    assert_eq!(format!("{evidence:?}"), format!("Evidence {{ status: 400, body: {} bytes }}", body.len()));
    let pretty = format!("{evidence:#?}");
    assert!(!pretty.contains(CARD) && !pretty.contains("cvv"), "{pretty}");
    assert!(pretty.contains("400") && pretty.contains(&format!("{} bytes", body.len())), "{pretty}");
    assert_eq!(evidence.body(), Some(&Bytes::from(body.clone())), "kept exactly, to investigate");
    assert_eq!(evidence.len(), body.len());

    let withheld = Evidence::withheld(StatusCode::OK, 40);
    assert_eq!(format!("{withheld:?}"), "Evidence { status: 200, body: 40 bytes, withheld }");
    assert_eq!(withheld.body(), None);
    assert_eq!(withheld.len(), 40);
    assert!(!withheld.is_empty());
    assert!(Evidence::kept(StatusCode::OK, Bytes::new()).is_empty());
}

/// One error of each variant, each carrying the card number somewhere.
fn errors() -> Vec<Error<TestError>> {
    let echo = TestError {
        code: "card_declined".to_string(),
        message: Some(format!("The card {CARD} is not supported")),
    };
    let evidence = || Evidence::kept(StatusCode::BAD_REQUEST, Bytes::from(format!(r#"{{"card":"{CARD}"}}"#)));
    let parse_error = || payspec_core::error::ParseError::new(serde_json::from_str::<u8>(&format!("\"{CARD}\"")).unwrap_err());
    vec![
        Error::InvalidRequest(InvalidRequest::new("card", format!("{CARD} fails the Luhn check"))),
        Error::Api {
            status: StatusCode::BAD_REQUEST,
            error: echo.clone(),
            evidence: evidence(),
        },
        Error::Auth(AuthError::TokenEndpoint(std::sync::Arc::new(Error::Api {
            status: StatusCode::BAD_REQUEST,
            error: echo,
            evidence: evidence(),
        }))),
        Error::Auth(AuthError::Rejected(evidence())),
        Error::OutcomeUnknown(Box::new(OutcomeUnknown::new(
            "create_payout",
            Reference::new().with("order", "o-1").with("card", CARD),
            RECONCILE,
            Cause::Answer {
                evidence: evidence(),
                why: Undocumented::Unreadable(parse_error()),
            },
        ))),
        Error::UnexpectedStatus { evidence: evidence() },
        Error::InvalidResponse {
            evidence: evidence(),
            source: parse_error(),
        },
        Error::BodyTooLarge {
            status: StatusCode::OK,
            limit: 1024,
        },
    ]
}

#[test]
fn no_error_prints_a_card_number() {
    for error in errors() {
        assert_never_prints(&error, CARD);
        // What is masked keeps its last four digits, so it can still be told apart.
        if error.to_string().contains("****") {
            assert!(error.to_string().contains("****1111"), "{error}");
        }
    }
}

#[test]
fn the_parse_error_of_a_body_is_masked_but_still_says_what_is_wrong() {
    let error = &errors()[6];
    let text = error.to_string();
    assert!(text.contains("invalid type"), "{text}");
    assert!(text.contains("****1111"), "{text}");
}

#[test]
fn outcome_unknown_alone_prints_no_card_number() {
    let errors = errors();
    let unknown = errors[4].outcome_unknown().unwrap();
    let display = unknown.to_string();
    assert!(!display.contains(CARD), "{display}");
    let debug = format!("{unknown:?}");
    assert!(!debug.contains(CARD), "{debug}");
}

#[test]
fn a_client_prints_no_credential_and_no_token() {
    let credentials = StaticCredentials {
        basic: Some(("merchant".to_string(), Password::new("pw-SECRET-1"))),
        bearer: Some(AccessToken::new("bearer-SECRET-2")),
        api_key: Some(ApiKey::new("key-SECRET-3")),
    };
    let builder = ClientBuilder::<StaticProvider>::new(&Env("http://127.0.0.1:9".to_string()), credentials);
    let printed = format!("{builder:?} {builder:#?}");
    let client = builder.build().unwrap();
    let printed = format!("{printed} {:?} {:#?}", client.runtime, client.runtime);
    assert!(!printed.contains("SECRET"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
}

#[tokio::test]
async fn a_cached_token_is_not_printed() {
    let client = support::client("http://127.0.0.1:9");
    let token = client.runtime.tokens().get(&client).await.unwrap();
    assert_eq!(token.token().access_token.expose(), "token-1");
    let printed = format!(
        "{:?} {:#?} {:?} {:?}",
        client.runtime,
        client.runtime.tokens(),
        token,
        token.token()
    );
    assert!(!printed.contains("token-1"), "{printed}");
    assert!(!printed.contains(CLIENT_SECRET), "{printed}");
}

// ---------------------------------------------------------------------------------------
// Masked.

/// What `Masked` must print for `text`: each maximal run of 12-19 ASCII digits replaced
/// by `****` and its last four digits; everything else unchanged.
fn model(text: &str) -> String {
    // A run: digits with single spaces or dashes between them; masked when it holds
    // 12 to 19 digits (a card number as it is written, with or without separators).
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_ascii_digit() {
            out.push(chars[at]);
            at += 1;
            continue;
        }
        let start = at;
        let mut end = at;
        while end < chars.len() {
            let separator = matches!(chars[end], ' ' | '-') && chars.get(end + 1).is_some_and(char::is_ascii_digit);
            if !(chars[end].is_ascii_digit() || separator) {
                break;
            }
            end += 1;
        }
        let run: String = chars[start..end].iter().collect();
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        if (12..=19).contains(&digits.len()) {
            out.push_str("****");
            out.push_str(&digits[digits.len() - 4..]);
        } else {
            out.push_str(&run);
        }
        at = end;
    }
    out
}

/// Displays `text` in several writes, split at `cuts` (char indices).
struct Pieces<'a> {
    text: &'a str,
    cuts: Vec<usize>,
}

impl fmt::Display for Pieces<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let boundaries: Vec<usize> = self.text.char_indices().map(|(at, _)| at).chain([self.text.len()]).collect();
        let mut cuts: Vec<usize> = self.cuts.iter().map(|cut| boundaries[cut % boundaries.len()]).collect();
        cuts.sort_unstable();
        let mut from = 0;
        for cut in cuts {
            f.write_str(&self.text[from..cut])?;
            from = cut;
        }
        f.write_str(&self.text[from..])
    }
}

/// Text without ASCII digits (any other character, including non-ASCII digits).
fn plain(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("not an ASCII digit", |c| !c.is_ascii_digit()), 0..=max)
        .prop_map(|chars| chars.into_iter().collect())
}

fn digits(lengths: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range('0', '9'), lengths).prop_map(|chars| chars.into_iter().collect())
}

/// Text of digit runs of any length separated by plain text.
fn mixed() -> impl Strategy<Value = String> {
    (plain(6), proptest::collection::vec((digits(1..=30), plain(6).prop_filter("a separator", |s| !s.is_empty())), 0..6))
        .prop_map(|(head, parts)| {
            let mut text = head;
            for (run, separator) in parts {
                text.push_str(&run);
                text.push_str(&separator);
            }
            text
        })
}

proptest! {
    #[test]
    fn a_card_length_run_is_masked_and_keeps_its_last_four_digits(
        prefix in plain(20),
        run in digits(12..=19),
        suffix in plain(20),
    ) {
        let text = format!("{prefix}{run}{suffix}");
        let masked = Masked(&text).to_string();
        prop_assert_eq!(&masked, &format!("{prefix}****{}{suffix}", &run[run.len() - 4..]));
        prop_assert!(!masked.contains(&run));
    }

    #[test]
    fn runs_of_other_lengths_are_unchanged(
        prefix in plain(20),
        run in prop_oneof![digits(1..=11), digits(20..=40)],
        suffix in plain(20),
    ) {
        let text = format!("{prefix}{run}{suffix}");
        prop_assert_eq!(Masked(&text).to_string(), text);
    }

    #[test]
    fn masking_matches_the_model_however_the_text_is_written(
        text in mixed(),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let expected = model(&text);
        prop_assert_eq!(Masked(&text).to_string(), expected.clone());
        prop_assert_eq!(Masked(Pieces { text: &text, cuts }).to_string(), expected.clone());
        // The same through an error's Display.
        let error: Error<TestError> = Error::InvalidRequest(InvalidRequest::new("field", text.clone()));
        let mut shown = String::new();
        write!(shown, "{error}").unwrap();
        prop_assert_eq!(shown, format!("invalid request, nothing was sent: field {expected}"));
    }
}
