//! Paymob's token flow: the password grant obtains a token, the refresh-token grant
//! renews it before its 60 minutes run out, and the password grant is the fallback
//! when a refresh is refused. The token call itself authenticates the API client with
//! HTTP Basic (the `clientBasic` scheme).

use std::time::Duration;

use payspec_core::secret::{ClientSecret, Password, RefreshToken};
use payspec_core::token::{Expiry, Token, TokenSource};
use progenitor_client::ClientInfo;

use crate::types::{TokenRequest, TokenRequestGrantType};
use crate::{Client, Error, Provider};

/// The longest lifetime the client trusts: the docs say the token "has to be updated
/// every 60 minutes", so a longer `expires_in` is capped (see the spec).
const LONGEST_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The credentials Paymob issues for Instant Payout. `Debug` shows the client id and
/// user name, never the secret or the password.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Credentials {
    /// OAuth2 client id (`{CLIENT_ID}`), sent with the secret as HTTP Basic on token calls.
    pub client_id: String,
    /// OAuth2 client secret (`{CLIENT_SECRET}`).
    pub client_secret: ClientSecret,
    /// API user name (`{USERNAME}`) for the password grant.
    pub username: String,
    /// API user password (`{PASSWORD}`) for the password grant.
    pub password: Password,
    /// Scopes to request (space-separated), if not the default ones.
    pub scope: Option<String>,
}

impl Credentials {
    /// Credentials without an explicit scope.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<ClientSecret>,
        username: impl Into<String>,
        password: impl Into<Password>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            username: username.into(),
            password: password.into(),
            scope: None,
        }
    }

    /// With `scope` requested.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The password-grant token request the client's token flow sends.
    pub fn token_request(&self) -> TokenRequest {
        TokenRequest {
            grant_type: TokenRequestGrantType::Password,
            username: Some(self.username.clone()),
            password: Some(self.password.clone()),
            scope: self.scope.clone(),
            refresh_token: None,
            client_id: None,
            client_secret: None,
        }
    }
}

/// HTTP Basic on token calls: what the docs' `https://{CLIENT_ID}:{CLIENT_SECRET}@{ENV}`
/// sends.
impl payspec_core::auth::Credentials for Credentials {
    fn basic(&self) -> Option<(&str, &str)> {
        Some((&self.client_id, self.client_secret.expose()))
    }
}

/// Obtains and renews tokens at `/o/token/`.
#[derive(Debug, Default)]
pub struct Tokens;

impl TokenSource<Provider> for Tokens {
    async fn fetch<'a>(&'a self, client: &'a Client, previous: Option<&'a Token>) -> Result<Token, Error> {
        if let Some(refresh_token) = previous.and_then(|token| token.refresh_token.as_ref()) {
            match issue(client, &refresh_grant(refresh_token)).await {
                // An expired or revoked refresh token: log in again.
                Err(error) if error.status().is_some_and(|status| status.is_client_error()) => {}
                issued => return issued,
            }
        }
        issue(client, &client.inner().credentials().token_request()).await
    }
}

/// The documented refresh call sends only the grant type and the refresh token.
fn refresh_grant(refresh_token: &RefreshToken) -> TokenRequest {
    TokenRequest {
        grant_type: TokenRequestGrantType::RefreshToken,
        refresh_token: Some(refresh_token.clone()),
        username: None,
        password: None,
        scope: None,
        client_id: None,
        client_secret: None,
    }
}

async fn issue(client: &Client, grant: &TokenRequest) -> Result<Token, Error> {
    let issued = client.generate_token(grant).await?;
    let lifetime = Duration::from_secs(issued.expires_in.max(0).unsigned_abs()).min(LONGEST_LIFETIME);
    let token = Token::new(issued.access_token, Expiry::In(lifetime));
    Ok(match issued.refresh_token {
        Some(refresh_token) => token.with_refresh_token(refresh_token),
        None => token,
    })
}
