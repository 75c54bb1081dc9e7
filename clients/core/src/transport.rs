//! What every generated request passes through, via each provider crate's
//! `ClientHooks` impl: header hygiene, authentication headers, a cap on response
//! bodies, and the raw body of error responses kept as evidence.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures_util::Stream;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use http::StatusCode;
use tracing::Instrument;

use crate::retry::{Attempt, RetryPolicy};

/// What the spec declares about repeating an operation; generated per provider as
/// `generated::policy(operation_id)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationPolicy {
    /// Moves money: never repeated once it may have reached the provider; a lost answer
    /// is an outcome-unknown error.
    MovesMoney,
    /// Safe to repeat (a read or a token request).
    RetrySafe,
    /// Changes state without moving money (e.g. sends a message): not repeated.
    NotRetried,
}

/// Per-client limits on the network side: timeouts, body size, retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, from sending to the last byte of the response.
    pub request_timeout: Duration,
    /// Largest response body read; a larger one is an error, found while reading.
    pub max_body_bytes: usize,
    /// Bounds on repeating requests that may be repeated (see [`crate::retry`]).
    pub retry: RetryPolicy,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 16 * 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

impl Limits {
    /// A `reqwest::Client` that enforces the timeouts.
    pub fn http_client(&self) -> reqwest::Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .build()
    }
}

/// The `api-version` header progenitor adds to every request: no provider asked for it.
const PROGENITOR_API_VERSION: &str = "api-version";

/// Removes what the generator adds that providers did not ask for.
pub fn strip_generator_headers(request: &mut reqwest::Request) {
    request.headers_mut().remove(PROGENITOR_API_VERSION);
}

/// Sets `Authorization: Bearer <token>`, marked sensitive so it is never printed.
pub fn set_bearer(request: &mut reqwest::Request, token: &str) -> Result<(), InvalidHeader> {
    set_secret_header(request, AUTHORIZATION, &format!("Bearer {token}"))
}

/// Sets a header that carries a credential, marked sensitive so it is never printed.
pub fn set_secret_header(
    request: &mut reqwest::Request,
    name: HeaderName,
    value: &str,
) -> Result<(), InvalidHeader> {
    let mut value = HeaderValue::from_str(value).map_err(|_| InvalidHeader { name: name.clone() })?;
    value.set_sensitive(true);
    request.headers_mut().insert(name, value);
    Ok(())
}

/// A credential that cannot be sent as a header value (e.g. it contains a newline).
#[derive(Debug, thiserror::Error)]
#[error("the credential for header {name} is not a valid header value")]
pub struct InvalidHeader {
    name: HeaderName,
}

/// A response body larger than [`Limits::max_body_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("response body exceeds the limit of {limit} bytes")]
pub struct BodyTooLarge {
    /// The limit that was exceeded.
    pub limit: usize,
}

/// The status and raw body of a non-success response, kept while the generated code
/// parses it, so the error a caller sees still has the evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorEvidence {
    /// HTTP status.
    pub status: StatusCode,
    /// The body exactly as received.
    pub body: Bytes,
}

tokio::task_local! {
    static EVIDENCE: RefCell<Option<ErrorEvidence>>;
}

/// Runs `call` (a generated request) and returns its result together with the
/// evidence [`execute`] kept if the response was not a success.
pub async fn with_evidence<F: Future>(call: F) -> (F::Output, Option<ErrorEvidence>) {
    EVIDENCE
        .scope(RefCell::new(None), async {
            let output = call.await;
            let evidence = EVIDENCE.with(|slot| slot.borrow_mut().take());
            (output, evidence)
        })
        .await
}

/// The call a request belongs to, for the retry decision and the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    /// The provider (`"magicpayments"`).
    pub provider: &'static str,
    /// The spec's `operationId`.
    pub operation: &'static str,
    /// What the spec declares about repeating it.
    pub policy: OperationPolicy,
}

/// Sends `request`, repeating it only as [`RetryPolicy::next_delay`] allows, inside a
/// `payspec.call` span (provider, operation, method, status, attempts, latency; never
/// headers or bodies). A success body is streamed through the size cap; a non-success
/// body is read (within the cap) and kept as [`ErrorEvidence`] for [`with_evidence`].
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    limits: &Limits,
    call: Call,
) -> reqwest::Result<reqwest::Response> {
    let span = tracing::info_span!(
        "payspec.call",
        provider = call.provider,
        operation = call.operation,
        method = %request.method(),
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    async move {
        let started = Instant::now();
        let (result, attempts) = send_with_retries(client, request, limits, call, started).await;
        let span = tracing::Span::current();
        span.record("attempts", attempts);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                tracing::info!(connect = error.is_connect(), timeout = error.is_timeout(), "no response");
                return Err(error);
            }
        };
        span.record("status", response.status().as_u16());
        keep_error_evidence(response, limits).await
    }
    .instrument(span)
    .await
}

async fn send_with_retries(
    client: &reqwest::Client,
    mut request: reqwest::Request,
    limits: &Limits,
    call: Call,
    started: Instant,
) -> (reqwest::Result<reqwest::Response>, u32) {
    let mut attempts = 0;
    loop {
        attempts += 1;
        // Taken before sending: a request with a streaming body cannot be repeated.
        let next = request.try_clone();
        let result = client.execute(request).await;
        let attempt = match &result {
            Err(error) if error.is_connect() => Attempt::NotConnected,
            Err(_) => Attempt::Lost,
            Ok(response) => Attempt::Answered {
                status: response.status(),
                retry_after: response.headers().get(RETRY_AFTER),
            },
        };
        let delay = limits
            .retry
            .next_delay(call.policy, attempt, attempts, started.elapsed(), SystemTime::now());
        match (delay, next) {
            (Some(delay), Some(next)) => {
                tracing::info!(attempt = attempts, delay_ms = delay.as_millis() as u64, "retrying");
                drop(result);
                tokio::time::sleep(delay).await;
                request = next;
            }
            _ => return (result, attempts),
        }
    }
}

/// Puts the body under the size cap; for a non-success status, reads it and keeps it.
async fn keep_error_evidence(
    response: reqwest::Response,
    limits: &Limits,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let head = Head::of(&response);
    let body = capped_body(response, limits.max_body_bytes);
    if status.is_success() {
        return Ok(head.into_response(body));
    }
    // reqwest reads a body only through a response; this one needs no head.
    let body = reqwest::Response::from(http::Response::new(body)).bytes().await?;
    // Outside `with_evidence` (a caller using the generated client directly) there is
    // nowhere to keep it, and nothing is lost: the body still reaches the caller.
    let _ = EVIDENCE.try_with(|slot| {
        *slot.borrow_mut() = Some(ErrorEvidence {
            status,
            body: body.clone(),
        })
    });
    Ok(head.into_response(reqwest::Body::from(body)))
}

/// What a response is apart from its body.
struct Head {
    status: StatusCode,
    version: http::Version,
    headers: http::HeaderMap,
}

impl Head {
    fn of(response: &reqwest::Response) -> Self {
        Self {
            status: response.status(),
            version: response.version(),
            headers: response.headers().clone(),
        }
    }

    fn into_response(self, body: reqwest::Body) -> reqwest::Response {
        let mut response = http::Response::new(body);
        *response.status_mut() = self.status;
        *response.version_mut() = self.version;
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The body of `response`, limited to `limit` bytes: reading past it fails with
/// [`BodyTooLarge`] (the source of the reqwest body error the reader sees).
fn capped_body(response: reqwest::Response, limit: usize) -> reqwest::Body {
    let declared_too_large = response
        .content_length()
        .is_some_and(|length| length > limit as u64);
    reqwest::Body::wrap_stream(CappedBody {
        inner: Box::pin(response.bytes_stream()),
        remaining: limit,
        limit,
        exceeded: declared_too_large,
    })
}

struct CappedBody<S> {
    inner: Pin<Box<S>>,
    remaining: usize,
    limit: usize,
    exceeded: bool,
}

impl<S: Stream<Item = reqwest::Result<Bytes>>> Stream for CappedBody<S> {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.exceeded {
            return Poll::Ready(Some(Err(Box::new(BodyTooLarge { limit: self.limit }))));
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) if chunk.len() > self.remaining => {
                self.exceeded = true;
                Poll::Ready(Some(Err(Box::new(BodyTooLarge { limit: self.limit }))))
            }
            Poll::Ready(Some(Ok(chunk))) => {
                self.remaining -= chunk.len();
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(Box::new(error)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}
