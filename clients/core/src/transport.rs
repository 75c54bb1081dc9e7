//! The network side of a call: the `reqwest::Client` payspec builds (redirects never
//! followed), sending with the repeats [`crate::retry`] allows, and reading the answer's
//! body under a size cap.
//!
//! Redirects are never followed, whoever built the client: a 307 or 308 would send a
//! payout's body again, to wherever the `Location` says, with its credentials. A
//! redirect is an answer like any other (money-moving: outcome unknown). A caller-supplied
//! client that follows redirects anyway is caught after the fact (the answer's URL is not
//! the request's) and reported the same way.

use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::RETRY_AFTER;
use http::StatusCode;

use crate::retry::{Attempt, RetryPolicy};

/// What the spec declares about repeating an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationPolicy {
    /// Moves money: never repeated once it may have reached the provider; a lost or
    /// undocumented answer is an outcome-unknown error.
    MovesMoney,
    /// Safe to repeat (a read or a token request).
    RetrySafe,
    /// Changes state without moving money (e.g. sends a message): not repeated.
    NotRetried,
}

/// Per-client limits on the network side: timeouts, body size, retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Time allowed to establish a connection (used when payspec builds the
    /// `reqwest::Client`; a client you supply keeps its own).
    pub connect_timeout: Duration,
    /// Time allowed for one attempt, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    /// Largest answer body read; a larger one is an error, found before or while reading.
    pub max_body_bytes: usize,
    /// The longest a call waits for a token from the token endpoint; every caller
    /// waiting on the same token request shares its result, failure included.
    pub token_deadline: Duration,
    /// Bounds on repeating requests that may be repeated (see [`crate::retry`]).
    pub retry: RetryPolicy,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 16 * 1024 * 1024,
            token_deadline: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }
}

impl Limits {
    /// With `request_timeout` for one attempt.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// With `connect_timeout`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// With `max_body_bytes`.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// With `token_deadline`.
    pub fn token_deadline(mut self, deadline: Duration) -> Self {
        self.token_deadline = deadline;
        self
    }

    /// With `retry`.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

/// A `reqwest::ClientBuilder` configured the way payspec needs: redirects never
/// followed, the connect timeout of `limits`. Start from it when you supply your own
/// client (a proxy, a custom CA, one pool shared by several providers).
pub fn http_client_builder(limits: &Limits) -> reqwest::ClientBuilder {
    // With the `rustls-ring` feature reqwest brings no crypto provider of its own; ring
    // is installed for the process unless the program installed one already.
    #[cfg(feature = "rustls-ring")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(limits.connect_timeout)
}

/// A provider's answer: status and body, read whole under the cap.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    /// The client followed a redirect (a caller-supplied client configured to).
    pub(crate) redirected: bool,
}

/// No answer to classify.
pub(crate) enum Failure {
    /// The connection was never established: nothing was sent.
    NotConnected(reqwest::Error),
    /// The request may have been sent; no (complete) answer came back.
    NoAnswer(reqwest::Error),
    /// The answer's body exceeded the cap.
    TooLarge { status: StatusCode, limit: usize },
}

/// Sends `request` (cloned per attempt), repeating it only as [`RetryPolicy::next_delay`]
/// allows for `policy`, and reads the answer. Returns the answer and the attempts made.
pub(crate) async fn execute(
    http: &reqwest::Client,
    request: &reqwest::Request,
    limits: &Limits,
    policy: OperationPolicy,
) -> (Result<Answer, Failure>, u32) {
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        // Generated requests always have buffered bodies, which clone.
        let mut attempt = request.try_clone().expect("a buffered request body");
        *attempt.timeout_mut() = Some(limits.request_timeout);
        let result = http.execute(attempt).await;
        let outcome = match &result {
            Err(error) if error.is_connect() => Attempt::NotConnected,
            Err(_) => Attempt::Lost,
            Ok(response) => Attempt::Answered {
                status: response.status(),
                retry_after: response.headers().get(RETRY_AFTER),
            },
        };
        let delay = limits
            .retry
            .next_delay(policy, outcome, attempts, started.elapsed(), SystemTime::now());
        if let Some(delay) = delay {
            tracing::info!(attempt = attempts, delay_ms = delay.as_millis() as u64, "repeating");
            drop(result);
            tokio::time::sleep(delay).await;
            continue;
        }
        let answer = match result {
            Err(error) if error.is_connect() => Err(Failure::NotConnected(error)),
            Err(error) => Err(Failure::NoAnswer(error)),
            Ok(response) => {
                let redirected = response.url() != request.url();
                read(response, limits.max_body_bytes).await.map(|(status, body)| Answer {
                    status,
                    body,
                    redirected,
                })
            }
        };
        return (answer, attempts);
    }
}

/// The status and whole body of `response`, failing as soon as the body is known to
/// exceed `limit` (its declared length, or the bytes read so far).
async fn read(mut response: reqwest::Response, limit: usize) -> Result<(StatusCode, Bytes), Failure> {
    let status = response.status();
    let too_large = Failure::TooLarge { status, limit };
    match response.content_length() {
        Some(length) if length > limit as u64 => Err(too_large),
        // A declared length within the cap: read as reqwest does, without copying.
        Some(_) => response.bytes().await.map(|body| (status, body)).map_err(Failure::NoAnswer),
        None => {
            let mut body = BytesMut::new();
            while let Some(chunk) = response.chunk().await.map_err(Failure::NoAnswer)? {
                if body.len() + chunk.len() > limit {
                    return Err(too_large);
                }
                body.extend_from_slice(&chunk);
            }
            Ok((status, body.freeze()))
        }
    }
}
