//! Credentials and the payment token: obtained with the `partner` grant, cached and
//! refreshed through payspec-core's [`TokenCache`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use payspec_core::secret::ClientSecret;
use payspec_core::token::{Clock, Token, TokenCache, TokenSource};
use payspec_core::transport::Limits;

use crate::api_error::call;
use crate::types::{IssueTokenRequest, IssueTokenRequestGrantType, IssueTokenResponse};
use crate::{generated, Error};

/// The OAuth client MediaCube issued: its id and secret. `Debug` shows no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
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

    /// The token request of `grant`, with these credentials.
    pub(crate) fn token_request(&self, grant: IssueTokenRequestGrantType) -> IssueTokenRequest {
        IssueTokenRequest {
            grant_type: grant,
            client_id: self.client_id,
            client_secret: self.client_secret.clone(),
            code: None,
            redirect_uri: None,
        }
    }
}

/// What the generated client carries to its hooks: the limits, and the payment token
/// cache (absent in the client the token cache itself calls the token endpoint with).
#[derive(Clone)]
pub struct ClientState {
    limits: Limits,
    tokens: Option<Arc<TokenCache<PartnerTokens>>>,
}

impl ClientState {
    /// State for the client that only calls the token endpoint.
    pub(crate) fn token_endpoint_only(limits: Limits) -> Self {
        Self {
            limits,
            tokens: None,
        }
    }

    /// State for a client that sends the payment token from `tokens`.
    pub(crate) fn with_tokens(limits: Limits, tokens: Arc<TokenCache<PartnerTokens>>) -> Self {
        Self {
            limits,
            tokens: Some(tokens),
        }
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn tokens(&self) -> Option<&TokenCache<PartnerTokens>> {
        self.tokens.as_deref()
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("limits", &self.limits)
            .field(
                "tokens",
                &self.tokens.as_ref().map(|tokens| tokens.source()),
            )
            .finish()
    }
}

type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + 'a>>;

/// Issues payment tokens with the `partner` grant.
pub(crate) struct PartnerTokens {
    api: generated::Client,
    credentials: Credentials,
    clock: Arc<dyn Clock>,
}

impl PartnerTokens {
    /// A source calling the token endpoint with `api` (a client without a token cache).
    pub(crate) fn new(
        api: generated::Client,
        credentials: Credentials,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            api,
            credentials,
            clock,
        }
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

impl fmt::Debug for PartnerTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartnerTokens")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl TokenSource for PartnerTokens {
    type Error = Error;

    // A named (boxed) future, not `impl Future`: the token request goes through the same
    // hook that awaits this future, and the compiler cannot infer a type that contains
    // itself.
    #[allow(refining_impl_trait)]
    fn fetch(&self, _previous: Option<&Token>) -> TokenFuture<'_> {
        Box::pin(async move {
            let request = self
                .credentials
                .token_request(IssueTokenRequestGrantType::Partner);
            let issued_at = self.clock.now();
            let response = call(self.api.issue_token().body(request).send()).await?;
            payment_token(response, issued_at)
        })
    }
}

/// The cache's token from a token response. The partner grant is renewed by asking
/// again, so a refresh token, if any, is not kept.
fn payment_token(response: IssueTokenResponse, issued_at: SystemTime) -> Result<Token, Error> {
    let access_token = response
        .access_token
        .ok_or_else(|| Error::Auth("the token response has no access_token".to_string()))?;
    let lifetime = |seconds: i64| Duration::from_secs(u64::try_from(seconds).unwrap_or(0));
    Ok(Token {
        access_token,
        expires_at: response
            .expires_in
            .and_then(|seconds| issued_at.checked_add(lifetime(seconds))),
        refresh_token: None,
    })
}
