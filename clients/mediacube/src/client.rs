//! The client: payment batches with the payment token, the OAuth code exchange, and
//! invoice URLs.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use payspec_core::secret::AuthorizationCode;
use payspec_core::token::{with_fresh_token, Clock, SystemClock, TokenCache};
use payspec_core::transport::Limits;
use payspec_core::OutcomeUnknown;
use progenitor_client::ResponseValue;
use reqwest::Url;

use crate::api_error::call;
use crate::auth::{ClientState, Credentials, PartnerTokens};
use crate::batch::{refused, BatchResponse};
use crate::types::{
    IssueTokenRequestGrantType, IssueTokenResponse, PaymentBatchRequest, PaymentErrorResponse,
    PaymentResult, RegionalPaymentResult,
};
use crate::urls::{on_base, InvalidUrl};
use crate::{generated, Api, BatchAccepted, BatchError, BatchStatus, Error, PaymentBatch};

/// The stage host, the only one the docs name. The docs name no production host: ask
/// MediaCube for it.
pub const STAGE_BASE_URL: &str = "https://mp-stage.mediacube.dev";

/// How long before its expiry a payment token is renewed, unless configured.
const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// What to do with a batch whose answer was lost. The docs describe no way to look a
/// batch up.
const RECONCILE_BATCH: &str = "MediaCube's docs describe no way to look a batch up: ask \
     MediaCube about this request_id before sending the payments again, and if you do send \
     them again, reuse the same request_id";

/// A MediaCube client for one partner (one `client_id`).
#[derive(Clone, Debug)]
pub struct Client {
    api: Api,
    tokens: Arc<TokenCache<PartnerTokens>>,
}

/// Builds a [`Client`]: base URL and credentials, with optional limits, clock and token
/// refresh margin.
pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    limits: Limits,
    clock: Arc<dyn Clock>,
    refresh_ahead: Duration,
}

impl ClientBuilder {
    /// Timeouts and body size cap (default: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The clock token expiry is judged by (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long before its expiry a payment token is renewed (default: 60 seconds).
    pub fn refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.refresh_ahead = refresh_ahead;
        self
    }

    /// The client. Fails if the base URL does not parse.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/');
        Url::parse(base_url)
            .map_err(|error| Error::InvalidRequest(format!("base URL {base_url:?}: {error}")))?;
        let http = self.limits.http_client().map_err(Error::Transport)?;
        let token_api = generated::Client::new_with_client(
            base_url,
            http.clone(),
            ClientState::token_endpoint_only(self.limits),
        );
        let source = PartnerTokens::new(token_api, self.credentials, Arc::clone(&self.clock));
        let tokens = Arc::new(TokenCache::with_clock(
            source,
            self.refresh_ahead,
            self.clock,
        ));
        let state = ClientState::with_tokens(self.limits, Arc::clone(&tokens));
        Ok(Client {
            api: generated::Client::new_with_client(base_url, http, state),
            tokens,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("limits", &self.limits)
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}

type Generated<T> = Result<ResponseValue<T>, progenitor_client::Error<PaymentErrorResponse>>;

impl Client {
    /// A client for `base_url` (e.g. [`STAGE_BASE_URL`]) with the default settings.
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
        Self::builder(base_url, credentials).build()
    }

    /// A builder for a client of `base_url` with `credentials`.
    pub fn builder(base_url: &str, credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_string(),
            credentials,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
        }
    }

    /// The generated operations. Their payment calls return a refused batch
    /// (`data.status` 3) as a success and are not renewed on a 401: prefer the methods
    /// below.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Sends a batch of payouts (`POST /payments`).
    ///
    /// Status 2 is [`BatchAccepted`]; status 3 is a [`BatchError`] with the
    /// [`crate::ErrorCode`]. Never repeated, except once with a new token after a 401
    /// (nothing was processed). A lost answer, an undocumented status or HTTP status is
    /// [`Error::OutcomeUnknown`]: reconcile by the `request_id` before sending again.
    pub async fn create_payout(
        &self,
        batch: PaymentBatch,
    ) -> Result<BatchAccepted<PaymentResult>, BatchError> {
        self.submit("create_payout", batch, |body| {
            self.api.create_payout().body(body).send()
        })
        .await
    }

    /// Sends a batch of debit payments (`POST /payments/debit`); as
    /// [`Client::create_payout`].
    pub async fn create_debit_payment(
        &self,
        batch: PaymentBatch,
    ) -> Result<BatchAccepted<PaymentResult>, BatchError> {
        self.submit("create_debit_payment", batch, |body| {
            self.api.create_debit_payment().body(body).send()
        })
        .await
    }

    /// Sends a batch of regional payouts (`POST /payments/regional`); as
    /// [`Client::create_payout`].
    pub async fn create_regional_payout(
        &self,
        batch: PaymentBatch,
    ) -> Result<BatchAccepted<RegionalPaymentResult>, BatchError> {
        self.submit("create_regional_payout", batch, |body| {
            self.api.create_regional_payout().body(body).send()
        })
        .await
    }

    /// Exchanges the `code` MediaCube sent to `redirect_uri` for a user token (the
    /// `authorization_code` grant). `redirect_uri` must be the one the authorization
    /// URL had.
    pub async fn exchange_code(
        &self,
        code: AuthorizationCode,
        redirect_uri: &str,
    ) -> Result<IssueTokenResponse, Error> {
        let mut request = self
            .tokens
            .source()
            .credentials()
            .token_request(IssueTokenRequestGrantType::AuthorizationCode);
        request.code = Some(code);
        request.redirect_uri = Some(redirect_uri.to_string());
        call(self.api.issue_token().body(request).send()).await
    }

    /// The absolute URL of a transaction's `invoice_path` (e.g.
    /// `/api/transactions/1/invoice`) on this client's base URL.
    pub fn invoice_url(&self, invoice_path: &str) -> Result<Url, InvalidUrl> {
        on_base(&self.api.baseurl, invoice_path)
    }

    /// Sends one batch: a fresh payment token, one repeat after a 401, `data.status`
    /// checked, every failure after which the batch may have been processed made
    /// outcome-unknown, and the `request_id` kept with the result or the error.
    async fn submit<R, F, Fut>(
        &self,
        operation: &'static str,
        batch: PaymentBatch,
        send: F,
    ) -> Result<BatchAccepted<R::Result>, BatchError>
    where
        R: BatchResponse,
        F: Fn(PaymentBatchRequest) -> Fut,
        Fut: Future<Output = Generated<R>>,
    {
        let request_id = batch.request_id();
        let outcome = async {
            let body = batch.into_request()?;
            let (body, send) = (&body, &send);
            let response = with_fresh_token(&self.tokens, is_unauthorized, move || async move {
                call(send(body.clone())).await
            })
            .await
            .map_err(|error| {
                outcome_unknown_unless_refused(error, operation, request_id.to_string())
            })?;
            match response.status() {
                BatchStatus::Success => Ok(response.into_result()),
                BatchStatus::Error => Err(refused(response)),
                BatchStatus::Other(status) => {
                    Err(Error::OutcomeUnknown(Box::new(OutcomeUnknown {
                        operation,
                        reference: request_id.to_string(),
                        reconcile: RECONCILE_BATCH,
                        cause: format!("the response has the undocumented data.status {status}")
                            .into(),
                    })))
                }
            }
        };
        outcome
            .await
            .map(|result| BatchAccepted { request_id, result })
            .map_err(|error| BatchError { request_id, error })
    }
}

/// A 401 means the payment token was not accepted and nothing was processed.
fn is_unauthorized(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED
}

/// payspec-core's rule for money-moving calls, plus: a response with an HTTP status the
/// spec does not describe (a 5xx from a gateway, a 2xx other than 200) does not say
/// whether the batch was processed, so it is outcome-unknown too.
fn outcome_unknown_unless_refused(
    error: Error,
    operation: &'static str,
    reference: String,
) -> Error {
    match error {
        Error::UnexpectedStatus { status, body } => {
            Error::OutcomeUnknown(Box::new(OutcomeUnknown {
                operation,
                reference,
                reconcile: RECONCILE_BATCH,
                cause: Box::new(UndescribedStatus { status, body }),
            }))
        }
        other => other.outcome_unknown_unless_refused(operation, reference, RECONCILE_BATCH),
    }
}

/// An HTTP status the spec does not describe, with the body as received.
#[derive(Debug, thiserror::Error)]
#[error("HTTP status {status}, which the docs do not describe")]
pub struct UndescribedStatus {
    /// HTTP status.
    pub status: StatusCode,
    /// The body exactly as received.
    pub body: bytes::Bytes,
}
