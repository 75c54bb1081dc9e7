//! Billon's token flow: `authenticate` exchanges the panel's Authentication password
//! for a token that every other call sends in `x-access-token`. The token lasts as
//! long as its JWT `exp` claim says, or the docs' 24 hours when it has none.

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, Engine};
use payspec_core::token::{Expiry, Token, TokenSource};
use progenitor_client::ClientInfo;

use crate::types::AuthenticateRequest;
use crate::{Client, Error, Provider};

/// The docs: a token is valid for 24 hours from creation. Used when the token does not
/// declare its own expiry (a JWT `exp` claim).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Obtains tokens by calling `authenticate` with the panel's Authentication password.
#[derive(Debug, Default)]
pub struct Tokens;

impl TokenSource<Provider> for Tokens {
    async fn fetch<'a>(&'a self, client: &'a Client, _previous: Option<&'a Token>) -> Result<Token, Error> {
        let request = AuthenticateRequest {
            api_key: client.inner().credentials().clone(),
        };
        let response = client.authenticate(&request).await?;
        let expires = match expiry(response.token.expose()) {
            Some(at) => Expiry::At(at),
            None => Expiry::In(TOKEN_LIFETIME),
        };
        Ok(Token::new(response.token, expires))
    }
}

/// base64url as JWTs use it (unpadded), also accepting padding.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The `exp` claim of `token` (`header.payload.signature`), when it is a JWT with one.
/// Anything else (an opaque token, a payload without `exp`) is `None`.
fn expiry(token: &str) -> Option<SystemTime> {
    let mut segments = token.split('.');
    let (_header, payload, _signature) = (segments.next()?, segments.next()?, segments.next()?);
    if segments.next().is_some() {
        return None;
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&BASE64URL.decode(payload).ok()?).ok()?;
    // NumericDate: seconds since the epoch, possibly fractional.
    let exp = claims.get("exp")?.as_f64()?;
    if !exp.is_finite() || exp < 0.0 {
        return None;
    }
    SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(exp).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", BASE64URL.encode(payload))
    }

    #[test]
    fn reads_exp_from_the_payload() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(expiry(&jwt(r#"{"id":7,"exp":1700000000}"#)), Some(at));
        assert_eq!(
            expiry(&jwt(r#"{"exp":1700000000.5}"#)),
            Some(at + Duration::from_millis(500))
        );
    }

    #[test]
    fn no_exp_is_none() {
        // The docs' example token: payload {"example":"JWT"}.
        let documented = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleGFtcGxlIjoiSldUIn0.\
                          1CWW9yelrYaVHB3CXYHJE0CkbMWlPUnSRCxOgjC_LT0";
        assert_eq!(expiry(documented), None);
        assert_eq!(expiry("opaque-token"), None);
        assert_eq!(expiry("a.b"), None);
        assert_eq!(expiry(&format!("{}.extra", jwt(r#"{"exp":1}"#))), None);
        assert_eq!(expiry(&jwt("not json")), None);
        assert_eq!(expiry(&jwt(r#"{"exp":"1700000000"}"#)), None);
        assert_eq!(expiry(&jwt(r#"{"exp":-1}"#)), None);
    }
}
