//! What a property's name says it holds. Names are split into lower-case words
//! (`payout_amount`, `apiKey` -> `api key`) and judged by their last word, the noun:
//! `total_amount` is money, `amount_currency` is not; `card_token` is a secret,
//! `card_mask` and `token_type` are not.

/// Last words that name an amount of money.
const MONEY: &[&str] = &[
    "amount",
    "total",
    "balance",
    "fee",
    "fees",
    "comission",
    "commission",
    "sum",
    "price",
];

/// Last words that name a credential or card data.
const SECRET: &[&str] = &[
    "password", "pin", "cvv", "cvc", "secret", "token", "pan", "card",
];

/// Two-word endings that name a credential or card data.
const SECRET_PAIRS: &[[&str; 2]] = &[["api", "key"], ["card", "number"]];

/// Whether a property named `name` holds an amount of money.
pub fn is_money(name: &str) -> bool {
    words(name)
        .last()
        .is_some_and(|last| MONEY.contains(&last.as_str()))
}

/// Whether a property named `name` holds a secret.
pub fn is_secret(name: &str) -> bool {
    let words = words(name);
    let ends_with_pair = |pair: &[&str; 2]| {
        words.len() >= 2 && words[words.len() - 2] == pair[0] && words[words.len() - 1] == pair[1]
    };
    words
        .last()
        .is_some_and(|last| SECRET.contains(&last.as_str()))
        || SECRET_PAIRS.iter().any(ends_with_pair)
}

/// `payoutAmount`, `payout_amount`, `Payout-Amount` -> `["payout", "amount"]`.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            words.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if ch.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    words.extend((!current.is_empty()).then_some(current));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_by_the_last_word() {
        for money in [
            "amount",
            "total_amount",
            "payoutAmount",
            "fees",
            "comission",
            "Balance",
        ] {
            assert!(is_money(money), "{money}");
        }
        for not_money in [
            "amount_currency",
            "checksum",
            "total_count",
            "price_list_id",
        ] {
            assert!(!is_money(not_money), "{not_money}");
        }
        for secret in [
            "password",
            "pin",
            "card",
            "card_token",
            "apiKey",
            "api_key",
            "X-Api-Key",
            "pan",
            "client_secret",
            "card_number",
        ] {
            assert!(is_secret(secret), "{secret}");
        }
        for not_secret in [
            "token_type",
            "card_mask",
            "cardholder",
            "tokenize_card_enabled",
            "pinned",
            "account_number",
        ] {
            assert!(!is_secret(not_secret), "{not_secret}");
        }
    }
}
