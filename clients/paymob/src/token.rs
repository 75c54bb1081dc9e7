//! The token lifecycle, as a [`TokenSource`] for payspec-core's [`TokenCache`]: the
//! password grant to obtain a token, the refresh-token grant to renew it, and the
//! password grant again when a refresh is refused.
//!
//! [`TokenCache`]: payspec_core::token::TokenCache

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use payspec_core::secret::RefreshToken;
use payspec_core::token::{Clock, Token, TokenSource};

use crate::send::send;
use crate::types::{TokenExpiresIn, TokenRequest, TokenRequestGrantType, TokenResponse};
use crate::{generated, ApiError, Credentials, Error};

/// Paymob's `/o/token/`, called through a generated client of its own whose state has
/// no token cache (the cache holds this source: it cannot also be behind it).
pub(crate) struct TokenEndpoint {
    api: generated::Client,
    credentials: Arc<Credentials>,
    clock: Arc<dyn Clock>,
}

impl TokenEndpoint {
    /// `api` authenticates token calls with the client credentials (see the hooks);
    /// `clock` must be the token cache's, so lifetimes are measured on one clock.
    pub(crate) fn new(
        api: generated::Client,
        credentials: Arc<Credentials>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            api,
            credentials,
            clock,
        }
    }

    /// One token call. Boxed: the call runs through the generated client's hooks, whose
    /// bearer branch awaits the token cache, which awaits this; unboxed, the future's
    /// type would contain itself. It runs about once an hour, so the allocation does
    /// not matter.
    fn issue(
        &self,
        grant: TokenRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + '_>> {
        Box::pin(async move {
            // The lifetime counts from the request, so the token is never thought
            // fresher than it is.
            let issued_at = self.clock.now();
            let call = self.api.generate_token().body(grant).send();
            let issued: TokenResponse = send(call, ApiError::Token).await?;
            let lifetime = lifetime(&issued.expires_in)?;
            Ok(Token {
                access_token: issued.access_token,
                expires_at: issued_at.checked_add(lifetime),
                refresh_token: issued.refresh_token,
            })
        })
    }

    fn password_grant(&self) -> TokenRequest {
        TokenRequest {
            grant_type: TokenRequestGrantType::Password,
            username: Some(self.credentials.username.clone()),
            password: Some(self.credentials.password.clone()),
            scope: self.credentials.scope.clone(),
            refresh_token: None,
            client_id: None,
            client_secret: None,
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
}

impl TokenSource for TokenEndpoint {
    type Error = Error;

    async fn fetch(&self, previous: Option<&Token>) -> Result<Token, Error> {
        if let Some(refresh_token) = previous.and_then(|token| token.refresh_token.as_ref()) {
            match self.issue(Self::refresh_grant(refresh_token)).await {
                // An expired or revoked refresh token: log in again. Any other failure
                // (no answer, a 50X) would hit the password grant the same way.
                Err(error)
                    if error
                        .status()
                        .is_some_and(|status| status.is_client_error()) => {}
                issued => return issued,
            }
        }
        self.issue(self.password_grant()).await
    }
}

/// `expires_in` as a duration: the docs' table types it as a string, the sample sends a
/// number; both are read.
fn lifetime(expires_in: &TokenExpiresIn) -> Result<Duration, Error> {
    let seconds = match expires_in {
        TokenExpiresIn::Int64(seconds) => u64::try_from(*seconds).ok(),
        TokenExpiresIn::String(seconds) => seconds.trim().parse().ok(),
    };
    seconds.map(Duration::from_secs).ok_or_else(|| {
        Error::Auth(format!(
            "the token response's expires_in ({expires_in}) is not a number of seconds"
        ))
    })
}
