//! The client: the generated operations behind the token lifecycle and the docs' rules
//! for money-moving calls.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use payspec_core::secret::ApiKey;
use payspec_core::token::{self, Clock, SystemClock, TokenCache};
use payspec_core::transport::Limits;

use crate::auth::{Authenticator, Tokens};
use crate::cancel::{self, CancelOutcome};
use crate::response::{self, Generated};
use crate::types::{
    CancelPayoutsRequest, CancelPayoutsResponse, CreatePayoutRequest, CreatePayoutResponse,
};
use crate::{generated, outcome, payout, Error};

/// How long before its expiry a token is replaced, unless
/// [`ClientBuilder::refresh_ahead`] says otherwise.
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

/// What the generated client carries to its hooks: the limits and, except in the
/// client that only authenticates, the token cache.
#[derive(Clone, Debug)]
pub struct ClientState {
    limits: Limits,
    tokens: Option<Tokens>,
}

impl ClientState {
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn tokens(&self) -> Option<&Tokens> {
        self.tokens.as_ref()
    }
}

/// A client for one Billon payout panel (one backend address, one Authentication
/// password). Clones share the token.
#[derive(Clone, Debug)]
pub struct Client {
    api: generated::Client,
    tokens: Tokens,
}

/// Configures a [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    base_url: String,
    api_key: ApiKey,
    limits: Limits,
    refresh_ahead: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("limits", &self.limits)
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Network timeouts and the response body cap (default: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How long before its expiry a token is replaced (default:
    /// [`DEFAULT_REFRESH_AHEAD`]).
    pub fn refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.refresh_ahead = refresh_ahead;
        self
    }

    /// The clock token expiry is judged by (default: the system clock); tests pass a
    /// [`payspec_core::token::ManualClock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The client. Nothing is sent yet: the first call authenticates.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/');
        reqwest::Url::parse(base_url)
            .map_err(|error| Error::InvalidRequest(format!("base URL {base_url:?}: {error}")))?;
        let http = self.limits.http_client().map_err(Error::Transport)?;
        let state = |tokens| ClientState {
            limits: self.limits,
            tokens,
        };
        let authenticator = Authenticator::new(
            generated::Client::new_with_client(base_url, http.clone(), state(None)),
            self.api_key,
            Arc::clone(&self.clock),
        );
        let tokens: Tokens = Arc::new(TokenCache::with_clock(
            authenticator,
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

impl Client {
    /// A client for the backend address Billon delivered (`base_url`, e.g.
    /// `https://panel.example.com:5006`), authenticating with the panel's
    /// Authentication password (`api_key`), with default settings.
    pub fn new(base_url: &str, api_key: ApiKey) -> Result<Self, Error> {
        Self::builder(base_url, api_key).build()
    }

    /// A [`ClientBuilder`] for limits, token refresh and clock settings.
    pub fn builder(base_url: &str, api_key: ApiKey) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_string(),
            api_key,
            limits: Limits::default(),
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            clock: Arc::new(SystemClock),
        }
    }

    /// Creates a payout. Refused before anything is sent when none of `userName`,
    /// `phoneNumber`, `referenceId` is set. Never repeated, except once with a new
    /// token after a 401/403; a lost answer is [`Error::OutcomeUnknown`] whose
    /// reference describes the payout (the caller keeps `request` to reconcile with).
    pub async fn create_payout(
        &self,
        request: &CreatePayoutRequest,
    ) -> Result<CreatePayoutResponse, Error> {
        payout::check_recipient(request)?;
        self.with_token(|| self.api.create_payout().body(request.clone()).send())
            .await
            .map_err(|error| {
                outcome::unless_refused(
                    error,
                    "create_payout",
                    payout::reference(request),
                    payout::RECONCILE_CREATE,
                )
            })
    }

    /// Cancels the payouts with these ids (each once; at least one). Billon may cancel
    /// fewer than asked: the [`CancelOutcome`] says how many. A lost answer is
    /// [`Error::OutcomeUnknown`] carrying the ids.
    pub async fn cancel_payouts(&self, ids: &[i64]) -> Result<CancelOutcome, Error> {
        cancel::check_ids(ids)?;
        let request = CancelPayoutsRequest { ids: ids.to_vec() };
        let cancelled = self
            .with_token(|| self.api.cancel_payouts().body(request.clone()).send())
            .await
            .and_then(cancelled_count)
            .map_err(|error| {
                outcome::unless_refused(
                    error,
                    "cancel_payouts",
                    cancel::reference(ids),
                    cancel::RECONCILE_CANCEL,
                )
            })?;
        Ok(CancelOutcome {
            requested: request.ids,
            cancelled,
        })
    }

    /// Runs one call with the cached token, and once more with a new token if Billon
    /// answered that the token was not accepted (such an answer means nothing was done).
    async fn with_token<T, F>(&self, send: impl Fn() -> F) -> Result<T, Error>
    where
        F: Future<Output = Generated<T>>,
    {
        token::with_fresh_token(&self.tokens, token_rejected, || response::typed(send())).await
    }
}

/// The answers that mean the token was not accepted.
fn token_rejected(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN
}

/// The count of cancelled payouts; a negative count is a response that does not mean
/// anything, so the outcome of the cancel is unknown.
fn cancelled_count(response: CancelPayoutsResponse) -> Result<u64, Error> {
    u64::try_from(response.success).map_err(|_| Error::InvalidResponse {
        status: None,
        // The raw bytes of a success body are not kept by the generated code; this is
        // the parsed body written back, which for this one-field object is the same JSON.
        body: serde_json::to_vec(&response).unwrap_or_default().into(),
        source: serde::de::Error::custom(format!(
            "`success` is a count of cancelled payouts, got {}",
            response.success
        )),
    })
}
