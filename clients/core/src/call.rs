//! The one call path every generated operation goes through: authenticate, send (with
//! the repeats its policy allows), read the answer under the cap, classify it by the
//! [`crate::outcome`] table, and type the error with the answer kept as evidence.

use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::auth;
use crate::client::{Provider, Runtime};
use crate::error::{AuthError, Cause, Error, InvalidRequest, OutcomeUnknown, Reference, Undocumented};
use crate::evidence::Evidence;
use crate::operation::Operation;
use crate::outcome::{classify, Classified};
use crate::transport::{self, Answer, Failure};

/// Sends `request` for `operation` through `client` and types what comes back.
/// `says_success` tells whether a money-moving operation's success body says the request
/// succeeded (the spec's `x-payspec-moves-money.success`, which may depend on the
/// request); `reference` names a money-moving request when its outcome is unknown, and
/// is called only then.
///
/// Inside a `payspec.call` span with the provider, operation, method, status, attempts
/// and latency (never headers or bodies).
pub async fn send<P, T, E>(
    client: &P::Client,
    request: reqwest::Request,
    operation: &'static Operation<E>,
    says_success: impl Fn(&T) -> bool,
    reference: impl FnOnce() -> Reference,
) -> Result<T, Error<P::ApiError>>
where
    P: Provider,
    T: DeserializeOwned + Send + Sync + 'static,
    E: DeserializeOwned,
    P::ApiError: From<E>,
{
    let span = tracing::info_span!(
        "payspec.call",
        provider = operation.provider,
        operation = operation.id,
        method = %request.method(),
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let started = Instant::now();
    let record = span.clone();
    let (result, attempts) = exchange::<P, T, E>(client, request, operation, says_success).instrument(span).await;
    record.record("attempts", attempts);
    record.record("latency_ms", started.elapsed().as_millis() as u64);
    match result {
        Ok((answer, classified)) => {
            record.record("status", answer.status.as_u16());
            finish(operation, answer, classified, reference)
        }
        Err(Exchange::Failed(failure)) => Err(failed(operation, failure, reference)),
        Err(Exchange::Auth(error)) => Err(error),
    }
}

enum Exchange<A> {
    /// No answer to classify.
    Failed(Failure),
    /// No credential, or the credential was rejected.
    Auth(Error<A>),
}

/// Authenticates and sends; renews a rejected token from the token endpoint once.
async fn exchange<P, T, E>(
    client: &P::Client,
    mut request: reqwest::Request,
    operation: &'static Operation<E>,
    says_success: impl Fn(&T) -> bool,
) -> (Result<(Answer, Classified<T, E>), Exchange<P::ApiError>>, u32)
where
    P: Provider,
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    let runtime: &Runtime<P> = progenitor_client::ClientInfo::inner(client);
    let http = progenitor_client::ClientInfo::client(client);
    let mut attempts = 0;
    let mut rejected: Option<Evidence> = None;
    loop {
        let token = match auth::authorize::<P>(client, runtime, &mut request, operation.auth).await {
            Ok(token) => token,
            // After a rejection the request was sent once: report the rejection, never
            // a token failure that reads as "nothing was sent".
            Err(_) if rejected.is_some() => {
                let evidence = rejected.take().unwrap_or_else(|| unreachable!());
                return (Err(Exchange::Auth(Error::Auth(AuthError::Rejected(evidence)))), attempts);
            }
            Err(error) => return (Err(Exchange::Auth(error)), attempts),
        };
        let (answer, made) = transport::execute(http, &request, runtime.limits(), operation.policy).await;
        attempts += made;
        let answer = match answer {
            Ok(answer) => answer,
            Err(failure) => return (Err(Exchange::Failed(failure)), attempts),
        };
        let classified = if answer.redirected && operation.moves_money() {
            Classified::Unknown { why: Undocumented::Redirect, response: None }
        } else {
            classify(operation, &says_success, answer.status, &answer.body)
        };
        if !credential_rejected(operation, &answer, &classified, &says_success) {
            return (Ok((answer, classified)), attempts);
        }
        match token {
            // A rejection means nothing was processed: one more try with a new token.
            Some(token) if rejected.is_none() => {
                runtime.tokens().reject(&token);
                rejected = Some(evidence(operation, &answer));
            }
            rejected_again => {
                // Not even the renewed token was accepted: no later call should use it.
                if let Some(token) = rejected_again {
                    runtime.tokens().reject(&token);
                }
                let evidence = evidence(operation, &answer);
                return (Err(Exchange::Auth(Error::Auth(AuthError::Rejected(evidence)))), attempts);
            }
        }
    }
}

/// Whether the provider did not accept the credential, so that nothing was processed.
/// For a money-moving call, a rejection status whose body says the request succeeded
/// contradicts itself: it is not a rejection (the payout would be sent again), but an
/// undocumented answer.
fn credential_rejected<T: DeserializeOwned, E>(
    operation: &Operation<E>,
    answer: &Answer,
    classified: &Classified<T, E>,
    says_success: impl Fn(&T) -> bool,
) -> bool {
    let rejection = &operation.credential_rejected;
    // Parsed again only under a rejection status: any other answer was classified already.
    let contradicted = || {
        operation.moves_money()
            && serde_json::from_slice::<T>(&answer.body).is_ok_and(|value| says_success(&value))
    };
    let by_status = rejection.statuses.contains(&answer.status.as_u16()) && !contradicted();
    by_status || matches!((classified, rejection.body), (Classified::Refused(error), Some(says)) if says(error))
}

fn evidence<E>(operation: &Operation<E>, answer: &Answer) -> Evidence {
    if operation.token_endpoint {
        Evidence::withheld(answer.status, answer.body.len())
    } else {
        Evidence::kept(answer.status, answer.body.clone())
    }
}

fn finish<T, E, A>(
    operation: &'static Operation<E>,
    answer: Answer,
    classified: Classified<T, E>,
    reference: impl FnOnce() -> Reference,
) -> Result<T, Error<A>>
where
    T: Send + Sync + 'static,
    A: From<E>,
{
    let evidence = || evidence(operation, &answer);
    match classified {
        Classified::Success(value) => Ok(value),
        Classified::Refused(error) => Err(Error::Api {
            status: answer.status,
            error: A::from(error),
            evidence: evidence(),
        }),
        Classified::Unknown { why, response } => {
            let unknown = OutcomeUnknown::new(operation.id, reference(), operation.reconcile, Cause::Answer { evidence: evidence(), why });
            let unknown = match response {
                Some(response) => unknown.with_response(response),
                None => unknown,
            };
            Err(Error::OutcomeUnknown(Box::new(unknown)))
        }
        Classified::UnexpectedStatus => Err(Error::UnexpectedStatus { evidence: evidence() }),
        Classified::InvalidResponse(source) => Err(Error::InvalidResponse { evidence: evidence(), source }),
    }
}

fn failed<E, A>(
    operation: &'static Operation<E>,
    failure: Failure,
    reference: impl FnOnce() -> Reference,
) -> Error<A> {
    let unknown = |cause| {
        Error::OutcomeUnknown(Box::new(OutcomeUnknown::new(operation.id, reference(), operation.reconcile, cause)))
    };
    match failure {
        Failure::NotConnected(error) => Error::Transport(error),
        Failure::NoAnswer(error) if operation.moves_money() => unknown(Cause::NoAnswer(error)),
        Failure::NoAnswer(error) => Error::Transport(error),
        Failure::TooLarge { status, limit } if operation.moves_money() => unknown(Cause::TooLarge { status, limit }),
        Failure::TooLarge { status, limit } => Error::BodyTooLarge { status, limit },
    }
}

/// Form-encoded request bodies, for generated operations whose spec says
/// `application/x-www-form-urlencoded`.
pub trait FormBody: Sized {
    /// Sets `body`, form-encoded, with its content type.
    fn payspec_form<T: Serialize + ?Sized>(self, body: &T) -> Result<Self, InvalidRequest>;
}

impl FormBody for reqwest::RequestBuilder {
    fn payspec_form<T: Serialize + ?Sized>(self, body: &T) -> Result<Self, InvalidRequest> {
        let encoded = serde_urlencoded::to_string(body)
            .map_err(|error| InvalidRequest::new("body", format!("cannot be form-encoded: {error}")))?;
        Ok(self
            .header(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body(encoded))
    }
}
