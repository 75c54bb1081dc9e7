//! The client: one Paymob account, its token, and disbursements under the docs' rules.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use payspec_core::token::{Clock, SystemClock, Token, TokenCache};
use payspec_core::transport::Limits;

use crate::send::send;
use crate::token::TokenEndpoint;
use crate::types::{DisbursementRequest, DisbursementResponse};
use crate::{disbursement, generated, Api, ApiError, Credentials, Environment, Error};

/// The token operation, as named in the spec: authenticated with HTTP Basic, not with
/// the bearer token.
pub(crate) const TOKEN_OPERATION: &str = "generate_token";

/// How long before its expiry a token is renewed (tokens live 60 minutes).
const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

type Tokens = TokenCache<TokenEndpoint>;

/// What the generated client carries to its hooks: the credentials, the token cache
/// and the limits. `Debug` shows no secret (see [`Credentials`]; the cache redacts its
/// token).
#[derive(Clone, Debug)]
pub struct ClientState {
    credentials: Arc<Credentials>,
    limits: Limits,
    /// `None` in the token endpoint's own client, which authenticates with the client
    /// credentials only.
    tokens: Option<Arc<Tokens>>,
}

impl ClientState {
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn tokens(&self) -> Option<&Arc<Tokens>> {
        self.tokens.as_ref()
    }
}

/// A Paymob Instant Payout client for one set of credentials.
#[derive(Clone)]
pub struct Client {
    api: Api,
    /// The same cache the hooks of `api` take the bearer token from.
    tokens: Arc<Tokens>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `environment` with the default [`Limits`], the system clock, and
    /// tokens renewed five minutes before they expire.
    pub fn new(environment: Environment, credentials: Credentials) -> Result<Self, Error> {
        Self::builder(environment, credentials).build()
    }

    /// A client with explicit limits, clock or refresh margin.
    pub fn builder(environment: Environment, credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            environment,
            credentials,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
        }
    }

    /// Every operation as a generated builder. Requests sent this way carry the token,
    /// but a failed disbursement under HTTP 200 is an `Ok` there: prefer
    /// [`Client::disburse`].
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The current access token: the cached one, or a new one (password grant, or
    /// refresh grant when it is about to expire). Calling it at startup checks the
    /// credentials.
    pub async fn access_token(&self) -> Result<Arc<Token>, Error> {
        self.tokens.get().await
    }

    /// Disburses `request.amount` to the wallet `request.msisdn`.
    ///
    /// `Ok` only for `disbursement_status: success`. A documented failure (under any
    /// HTTP status, 200 included) is [`Error::Api`] with [`ApiError::Disbursement`]; an
    /// error status without a documented body is [`ApiError::Http`]. A rejected token
    /// (`401`) is renewed and the disbursement sent once more; nothing else is ever
    /// repeated. When the answer is lost or says nothing about the money (timeout,
    /// reset, unreadable 200 body, 50X, unknown status) the error is
    /// [`Error::OutcomeUnknown`], naming the wallet's last four digits and the amount.
    pub async fn disburse(
        &self,
        request: DisbursementRequest,
    ) -> Result<DisbursementResponse, Error> {
        let reference = disbursement::reference(&request)?;
        let tokens = &self.tokens;
        // Obtained before anything is sent, so a token failure is reported as itself.
        let token = tokens.get().await?;
        let attempt = || async {
            let call = self.api.create_disbursement().body(request.clone()).send();
            disbursement::outcome(send(call, ApiError::Disbursement).await?, &reference)
        };
        let result = match attempt().await {
            Err(error) if disbursement::token_rejected(&error) => {
                tokens.reject(&token);
                attempt().await
            }
            result => result,
        };
        result.map_err(|error| disbursement::unless_refused(error, reference.clone()))
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
pub struct ClientBuilder {
    environment: Environment,
    credentials: Credentials,
    limits: Limits,
    clock: Arc<dyn Clock>,
    refresh_ahead: Duration,
}

impl ClientBuilder {
    /// Timeouts and the response body cap.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The clock token lifetimes are measured on (a `ManualClock` in tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long before its expiry a token is renewed.
    pub fn refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.refresh_ahead = refresh_ahead;
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client, Error> {
        let http = self.limits.http_client().map_err(Error::Transport)?;
        let base_url = self.environment.base_url();
        let credentials = Arc::new(self.credentials);
        let state = |tokens| ClientState {
            credentials: Arc::clone(&credentials),
            limits: self.limits,
            tokens,
        };
        let token_api = generated::Client::new_with_client(base_url, http.clone(), state(None));
        let endpoint =
            TokenEndpoint::new(token_api, Arc::clone(&credentials), Arc::clone(&self.clock));
        let tokens = Arc::new(TokenCache::with_clock(
            endpoint,
            self.refresh_ahead,
            self.clock,
        ));
        Ok(Client {
            api: generated::Client::new_with_client(
                base_url,
                http,
                state(Some(Arc::clone(&tokens))),
            ),
            tokens,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("credentials", &self.credentials)
            .field("limits", &self.limits)
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}
