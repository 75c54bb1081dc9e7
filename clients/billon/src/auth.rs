//! The token lifecycle: `authenticate` exchanges the panel's Authentication password
//! for a token that every other call sends in `x-access-token`. The token is cached
//! and shared by all calls of a client and refreshed ahead of its expiry.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use payspec_core::secret::ApiKey;
use payspec_core::token::{Clock, Token, TokenCache, TokenSource};

use crate::types::AuthenticateRequest;
use crate::{generated, jwt, response, Error};

/// The docs: a token is valid for 24 hours from creation. Used when the token does not
/// declare its own expiry (a JWT `exp` claim).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Obtains tokens by calling `authenticate` through a generated client of its own,
/// whose state has no token cache (that call needs no token).
pub(crate) struct Authenticator {
    api: generated::Client,
    api_key: ApiKey,
    clock: Arc<dyn Clock>,
}

impl Authenticator {
    pub(crate) fn new(api: generated::Client, api_key: ApiKey, clock: Arc<dyn Clock>) -> Self {
        Self {
            api,
            api_key,
            clock,
        }
    }

    async fn authenticate(&self) -> Result<Token, Error> {
        // Taken before sending, so the fallback lifetime never outlasts the token.
        let issued_at = self.clock.now();
        let request = AuthenticateRequest {
            api_key: self.api_key.clone(),
        };
        let response = response::typed(self.api.authenticate().body(request).send()).await?;
        let expires_at =
            jwt::expiry(response.token.expose()).or_else(|| issued_at.checked_add(TOKEN_LIFETIME));
        Ok(Token {
            access_token: response.token,
            expires_at,
            refresh_token: None,
        })
    }
}

impl TokenSource for Authenticator {
    type Error = Error;

    fn fetch(
        &self,
        _previous: Option<&Token>,
    ) -> impl Future<Output = Result<Token, Error>> + Send {
        // Boxed: this future contains the generated call, whose hook contains the token
        // cache's future, which contains this one; the box breaks the type cycle.
        let fetch: Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + '_>> =
            Box::pin(self.authenticate());
        fetch
    }
}

/// The token cache of one client, shared by its clones.
pub(crate) type Tokens = Arc<TokenCache<Authenticator>>;
