//! MediaCube's token flow: the payment token comes from `issue_token` with the
//! `partner` grant (client id and secret); the runtime caches it and renews it.

use payspec_core::secret::ClientSecret;
use payspec_core::token::{Expiry, Token, TokenSource};
use progenitor_client::ClientInfo;

use crate::types::{IssueTokenRequest, IssueTokenRequestGrantType};
use crate::{Client, Error, Provider};

/// The OAuth client MediaCube issued: its id and secret. `Debug` shows no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// `client_id` (a number in the docs).
    pub client_id: i64,
    /// `client_secret`.
    pub client_secret: ClientSecret,
}

impl Credentials {
    /// Credentials for `client_id` with `client_secret`.
    pub fn new(client_id: i64, client_secret: impl Into<ClientSecret>) -> Self {
        Self {
            client_id,
            client_secret: client_secret.into(),
        }
    }

    /// The token request of `grant` with these credentials; `code` and `redirect_uri`
    /// are for the `authorization_code` grant.
    pub fn token_request(&self, grant: IssueTokenRequestGrantType) -> IssueTokenRequest {
        IssueTokenRequest {
            grant_type: grant,
            client_id: self.client_id,
            client_secret: self.client_secret.clone(),
            code: None,
            redirect_uri: None,
        }
    }
}

/// Sent in the token request's body, not as a header.
impl payspec_core::auth::Credentials for Credentials {}

/// Issues payment tokens with the `partner` grant. The grant is renewed by asking
/// again, so a refresh token, if any, is not kept.
#[derive(Debug, Default)]
pub struct Tokens;

impl TokenSource<Provider> for Tokens {
    async fn fetch<'a>(&'a self, client: &'a Client, _previous: Option<&'a Token>) -> Result<Token, Error> {
        let request = client.inner().credentials().token_request(IssueTokenRequestGrantType::Partner);
        let issued = client.issue_token(&request).await?;
        // The docs do not document the token response; a token without `expires_in`
        // is used until MediaCube rejects it.
        let expires = match issued.expires_in {
            Some(seconds) => Expiry::In(std::time::Duration::from_secs(seconds.max(0).unsigned_abs())),
            None => Expiry::Unknown,
        };
        Ok(Token::new(issued.access_token, expires))
    }
}
