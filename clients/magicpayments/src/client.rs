//! The client: the generated operations plus the docs' rules for money-moving calls.

use std::future::Future;

use payspec_core::secret::AccessToken;
use payspec_core::transport::{self, Limits};
use progenitor_client::ResponseValue;
use uuid::Uuid;

use crate::types::{
    ChargebackRequest, ErrorResponse, InvoiceRequest, InvoiceResponse, Transaction,
    TransactionReference, WithdrawalRequest, WithdrawalResponse,
};
use crate::{generated, Api, ApiError, Error};

/// The docs' rule for a withdrawal without an answer.
const RECONCILE_WITHDRAWAL: &str = "the docs say a withdrawal that timed out WAS created: \
     look it up with get_status by order (Client::transaction_by_order) before paying again";
/// The docs' rule for an invoice without an answer.
const RECONCILE_INVOICE: &str = "the docs treat a timed-out invoice as failed (gate \
     integration); confirm with get_status by order before creating another";
/// Refunds, chargebacks and cancellations: the docs give no rule; the status says.
const RECONCILE_BY_STATUS: &str =
    "the result is unknown: look the transaction up with get_status before repeating";

/// What the generated client carries to its hooks: the bearer token and the limits.
#[derive(Clone, Debug)]
pub struct ClientState {
    token: AccessToken,
    limits: Limits,
}

impl ClientState {
    /// State for a client that authenticates with `token` within `limits`.
    pub fn new(token: AccessToken, limits: Limits) -> Self {
        Self { token, limits }
    }

    pub(crate) fn token(&self) -> &AccessToken {
        &self.token
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// A MagicPayments client for one account (one access token).
#[derive(Clone, Debug)]
pub struct Client {
    api: Api,
}

type Generated<T> = Result<ResponseValue<T>, progenitor_client::Error<ErrorResponse>>;

impl Client {
    /// A client for `base_url` (e.g. `https://api.magic-payments.com`) with the default
    /// [`Limits`].
    pub fn new(base_url: &str, token: AccessToken) -> Result<Self, Error> {
        Self::with_limits(base_url, token, Limits::default())
    }

    /// A client with explicit timeouts and body size cap.
    pub fn with_limits(base_url: &str, token: AccessToken, limits: Limits) -> Result<Self, Error> {
        let http = limits.http_client().map_err(Error::Transport)?;
        let state = ClientState::new(token, limits);
        Ok(Self {
            api: generated::Client::new_with_client(base_url, http, state),
        })
    }

    /// Every operation as a generated builder; send it through [`Client::call`] for typed
    /// errors with the raw body kept.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Awaits a generated request and types its error.
    ///
    /// ```no_run
    /// # async fn run(client: payspec_magicpayments::Client, wallet: uuid::Uuid) -> Result<(), payspec_magicpayments::Error> {
    /// let balance = client.call(client.api().get_balance().wallet_uuid(wallet).send()).await?;
    /// println!("{} {}", balance.balance, balance.currency);
    /// # Ok(()) }
    /// ```
    pub async fn call<T>(&self, request: impl Future<Output = Generated<T>>) -> Result<T, Error> {
        let (result, evidence) = transport::with_evidence(request).await;
        result
            .map(ResponseValue::into_inner)
            .map_err(|error| Error::from_generated(error, evidence, ApiError::from))
    }

    /// Creates a withdrawal. `request.order` is required: it is how a payout whose
    /// answer was lost is found again. A lost answer is [`Error::OutcomeUnknown`]
    /// carrying the order; a 5xx is a failure (the docs).
    pub async fn create_withdrawal(
        &self,
        wallet: Uuid,
        request: WithdrawalRequest,
    ) -> Result<WithdrawalResponse, Error> {
        let order = request.order.as_ref().map(|order| order.to_string()).ok_or_else(|| {
            Error::InvalidRequest(
                "a withdrawal needs an `order`: it is how a payout whose answer was lost \
                 is found again (get_status by order)"
                    .to_string(),
            )
        })?;
        let call = self.api.create_withdrawal().wallet_uuid(wallet).body(request).send();
        self.call_moving_money("create_withdrawal", order, RECONCILE_WITHDRAWAL, call)
            .await
    }

    /// Creates an invoice (pay-in). A lost answer is [`Error::OutcomeUnknown`] carrying
    /// the order, if one was given.
    pub async fn create_invoice(
        &self,
        wallet: Uuid,
        request: InvoiceRequest,
    ) -> Result<InvoiceResponse, Error> {
        let reference = request
            .order
            .as_ref()
            .map_or_else(|| "(no order given)".to_string(), |order| order.to_string());
        let call = self.api.create_invoice().wallet_uuid(wallet).body(request).send();
        self.call_moving_money("create_invoice", reference, RECONCILE_INVOICE, call)
            .await
    }

    /// Refunds a transaction, named by UUID or order.
    pub async fn create_refund(
        &self,
        wallet: Uuid,
        transaction: TransactionReference,
    ) -> Result<Transaction, Error> {
        let reference = describe(&transaction)?;
        let call = self.api.create_refund().wallet_uuid(wallet).body(transaction).send();
        self.call_moving_money("create_refund", reference, RECONCILE_BY_STATUS, call)
            .await
    }

    /// Registers a chargeback for a transaction, named by UUID or order.
    pub async fn create_chargeback(
        &self,
        wallet: Uuid,
        request: ChargebackRequest,
    ) -> Result<Transaction, Error> {
        let reference = describe_parts(request.transaction.as_ref(), request.order.as_deref().map(String::as_str))?;
        let call = self.api.create_chargeback().wallet_uuid(wallet).body(request).send();
        self.call_moving_money("create_chargeback", reference, RECONCILE_BY_STATUS, call)
            .await
    }

    /// Cancels an unpaid invoice, named by UUID or order.
    pub async fn cancel_invoice(
        &self,
        wallet: Uuid,
        transaction: TransactionReference,
    ) -> Result<Transaction, Error> {
        let reference = describe(&transaction)?;
        let call = self.api.cancel_invoice().wallet_uuid(wallet).body(transaction).send();
        self.call_moving_money("cancel_invoice", reference, RECONCILE_BY_STATUS, call)
            .await
    }

    /// The transaction with the merchant's `order`: how a withdrawal whose answer was
    /// lost is reconciled (the docs: query `/status` by order).
    pub async fn transaction_by_order(&self, wallet: Uuid, order: &str) -> Result<Transaction, Error> {
        let order = order
            .to_string()
            .try_into()
            .map_err(|error| Error::InvalidRequest(format!("order: {error}")))?;
        let reference = TransactionReference {
            order: Some(order),
            transaction: None,
        };
        self.call(self.api.get_status().wallet_uuid(wallet).body(reference).send())
            .await
    }

    async fn call_moving_money<T>(
        &self,
        operation: &'static str,
        reference: String,
        reconcile: &'static str,
        request: impl Future<Output = Generated<T>>,
    ) -> Result<T, Error> {
        self.call(request)
            .await
            .map_err(|error| error.outcome_unknown_unless_refused(operation, reference, reconcile))
    }
}

fn describe(reference: &TransactionReference) -> Result<String, Error> {
    describe_parts(reference.transaction.as_ref(), reference.order.as_deref().map(String::as_str))
}

/// A transaction is named by its UUID or the merchant's order; one is required.
fn describe_parts(transaction: Option<&Uuid>, order: Option<&str>) -> Result<String, Error> {
    match (transaction, order) {
        (Some(transaction), _) => Ok(transaction.to_string()),
        (None, Some(order)) => Ok(order.to_string()),
        (None, None) => Err(Error::InvalidRequest(
            "name the transaction by `transaction` (UUID) or `order`".to_string(),
        )),
    }
}
