//! Tokens from a provider's token endpoint: obtained once for many callers, cached,
//! renewed ahead of expiry.
//!
//! - The hot path (a fresh token) is a `std` read lock held for an `Arc` clone: no async
//!   lock, no allocation.
//! - One token request at a time: every caller that finds no fresh token joins the one
//!   request in flight and gets its result, failure included; so N concurrent callers
//!   cause one token request whatever the token's lifetime, and a token endpoint that
//!   is down or hangs costs each waiter one wait, not one timeout per caller queued
//!   before it. A caller waits at most [`crate::transport::Limits::token_deadline`].
//! - A token is renewed `refresh_ahead` before it expires, but never more than half of
//!   its lifetime ahead, so a short-lived token is not stale on arrival; the callers a
//!   request was made for always use its token.
//! - A token the provider rejected is renewed once by the call that saw the rejection.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use tokio::sync::watch;

use crate::client::Provider;
use crate::error::{AuthError, Error};
use crate::secret::{AccessToken, RefreshToken};

/// An access token and what is known about its lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The credential.
    pub access_token: AccessToken,
    /// When it stops working, as the provider said.
    pub expires: Expiry,
    /// A refresh token to renew it with, if the provider issued one.
    pub refresh_token: Option<RefreshToken>,
}

/// When a token stops working, as the provider said it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// This long after it was requested (an `expires_in`); measured on the cache's clock
    /// from the moment the request started, so the token is never thought fresher than
    /// it is.
    In(Duration),
    /// At this time (a JWT `exp` claim).
    At(SystemTime),
    /// The provider did not say: used until it is rejected.
    Unknown,
}

impl Token {
    /// `access_token`, expiring as `expires` says, without a refresh token.
    pub fn new(access_token: AccessToken, expires: Expiry) -> Self {
        Self {
            access_token,
            expires,
            refresh_token: None,
        }
    }

    /// With a refresh token.
    pub fn with_refresh_token(mut self, refresh_token: RefreshToken) -> Self {
        self.refresh_token = Some(refresh_token);
        self
    }
}

/// A token as the cache hands it out: with its header values built once.
pub struct IssuedToken {
    token: Token,
    bearer: HeaderValue,
    raw: HeaderValue,
}

impl IssuedToken {
    fn new(token: Token) -> Option<Self> {
        let sensitive = |text: &str| {
            let mut value = HeaderValue::from_str(text).ok()?;
            value.set_sensitive(true);
            Some(value)
        };
        Some(Self {
            bearer: sensitive(&format!("Bearer {}", token.access_token.expose()))?,
            raw: sensitive(token.access_token.expose())?,
            token,
        })
    }

    /// The token.
    pub fn token(&self) -> &Token {
        &self.token
    }

    pub(crate) fn bearer(&self) -> &HeaderValue {
        &self.bearer
    }

    pub(crate) fn raw(&self) -> &HeaderValue {
        &self.raw
    }
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.token, f)
    }
}

/// How a provider's tokens are obtained: implemented in its crate's `auth.rs` by calling
/// the token endpoint through the generated client.
pub trait TokenSource<P: Provider>: Default + Send + Sync + 'static {
    /// Obtains a new token through `client`. `previous` is the token being replaced, if
    /// any (a source may renew it with its refresh token).
    fn fetch<'a>(
        &'a self,
        client: &'a P::Client,
        previous: Option<&'a Token>,
    ) -> impl Future<Output = Result<Token, Error<P::ApiError>>> + Send + 'a;
}

/// The source of a provider whose spec declares no token endpoint: its client never
/// asks for a token.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTokenEndpoint;

impl<P: Provider> TokenSource<P> for NoTokenEndpoint {
    async fn fetch<'a>(&'a self, _client: &'a P::Client, _previous: Option<&'a Token>) -> Result<Token, Error<P::ApiError>> {
        unreachable!("the generator gives token-endpoint schemes only to providers with a token endpoint")
    }
}

/// The time, for deciding freshness; replaceable in tests.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to, for tests of expiry and refresh.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: SystemTime) -> Self {
        Self { now: Mutex::new(start) }
    }

    /// Moves the clock forward by `by` (saturating far in the future).
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(later) = now.checked_add(by) {
            *now = later;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The current token and when to renew it.
struct Slot {
    token: Arc<IssuedToken>,
    /// `None`: the provider gave no expiry.
    renew_at: Option<SystemTime>,
    rejected: bool,
}

type Outcome<A> = Result<Arc<IssuedToken>, AuthError<A>>;

/// A token request, boxed (see [`TokenCache::get`]).
type TokenRequest<'a, A> = Pin<Box<dyn Future<Output = Result<Token, Error<A>>> + Send + 'a>>;

/// The token request in flight, which every caller without a fresh token waits for.
struct Flight<A> {
    id: u64,
    done: watch::Receiver<Option<Outcome<A>>>,
}

/// Caches the token of one client (and its clones); see the module docs.
pub struct TokenCache<P: Provider> {
    source: P::Tokens,
    clock: Arc<dyn Clock>,
    refresh_ahead: Duration,
    deadline: Duration,
    current: RwLock<Option<Slot>>,
    flight: Mutex<Option<Flight<P::ApiError>>>,
    flights: AtomicU64,
}

impl<P: Provider> TokenCache<P> {
    pub(crate) fn new(clock: Arc<dyn Clock>, refresh_ahead: Duration, deadline: Duration) -> Self {
        Self {
            source: P::Tokens::default(),
            clock,
            refresh_ahead,
            deadline,
            current: RwLock::new(None),
            flight: Mutex::new(None),
            flights: AtomicU64::new(0),
        }
    }

    /// A fresh token: the cached one, or the result of the token request in flight
    /// (started by this call if there is none).
    pub async fn get(&self, client: &P::Client) -> Result<Arc<IssuedToken>, Error<P::ApiError>> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        // A deadline past what an Instant holds is as good as none.
        let now = tokio::time::Instant::now();
        let deadline = now.checked_add(self.deadline).unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600));
        loop {
            match self.join_or_start() {
                Role::Wait(mut done) => {
                    let outcome = tokio::time::timeout_at(deadline, done.wait_for(Option::is_some)).await;
                    match outcome {
                        Err(_) => return Err(Error::Auth(AuthError::Deadline(self.deadline))),
                        Ok(Ok(outcome)) => return outcome.clone().unwrap_or_else(|| unreachable!()).map_err(Error::Auth),
                        // The caller fetching was cancelled before it finished: take over.
                        Ok(Err(_)) => continue,
                    }
                }
                Role::Fetch(done, id) => {
                    let _clear = ClearFlight { cache: self, id };
                    let outcome = self.fetch(client, deadline).await;
                    let _ = done.send(Some(outcome.clone()));
                    return outcome.map_err(Error::Auth);
                }
            }
        }
    }

    /// Marks `rejected` stale (the provider did not accept it), unless it was already
    /// replaced; the next [`TokenCache::get`] requests a new one.
    pub fn reject(&self, rejected: &Arc<IssuedToken>) {
        if let Some(slot) = self.write().as_mut() {
            if Arc::ptr_eq(&slot.token, rejected) {
                slot.rejected = true;
            }
        }
    }

    fn join_or_start(&self) -> Role<P::ApiError> {
        let mut flight = self.flight.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(flight) = flight.as_ref() {
            return Role::Wait(flight.done.clone());
        }
        let id = self.flights.fetch_add(1, Ordering::Relaxed);
        let (send, done) = watch::channel(None);
        *flight = Some(Flight { id, done });
        Role::Fetch(send, id)
    }

    async fn fetch(&self, client: &P::Client, deadline: tokio::time::Instant) -> Outcome<P::ApiError> {
        // A request that finished just before this one started has a fresh token.
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let previous = self.read().as_ref().map(|slot| Arc::clone(&slot.token));
        let issued_at = self.clock.now();
        // Boxed once, here: the token request runs through the generated client, whose
        // calls wait on this cache, so the unboxed future's type would contain itself.
        let request: TokenRequest<'_, P::ApiError> = Box::pin(self.source.fetch(client, previous.as_deref().map(IssuedToken::token)));
        let token = match tokio::time::timeout_at(deadline, request).await {
            Err(_) => return Err(AuthError::Deadline(self.deadline)),
            Ok(Err(error)) => return Err(AuthError::TokenEndpoint(Arc::new(error))),
            Ok(Ok(token)) => token,
        };
        let expires_at = match token.expires {
            Expiry::In(lifetime) => issued_at.checked_add(lifetime),
            Expiry::At(at) => Some(at),
            Expiry::Unknown => None,
        };
        let renew_at = expires_at.map(|expires_at| self.renew_at(issued_at, expires_at));
        let token = Arc::new(IssuedToken::new(token).ok_or(AuthError::InvalidCredential { header: "token" })?);
        *self.write() = Some(Slot {
            token: Arc::clone(&token),
            renew_at,
            rejected: false,
        });
        Ok(token)
    }

    /// `refresh_ahead` before `expires_at`, but no earlier than half-way through the
    /// token's lifetime.
    fn renew_at(&self, issued_at: SystemTime, expires_at: SystemTime) -> SystemTime {
        let lifetime = expires_at.duration_since(issued_at).unwrap_or(Duration::ZERO);
        let ahead = self.refresh_ahead.min(lifetime / 2);
        expires_at.checked_sub(ahead).unwrap_or(issued_at)
    }

    fn fresh(&self) -> Option<Arc<IssuedToken>> {
        let current = self.read();
        let slot = current.as_ref()?;
        let fresh = !slot.rejected && slot.renew_at.is_none_or(|renew_at| self.clock.now() < renew_at);
        fresh.then(|| Arc::clone(&slot.token))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Slot>> {
        self.current.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Slot>> {
        self.current.write().unwrap_or_else(PoisonError::into_inner)
    }
}

enum Role<A> {
    /// Another caller's request is in flight: wait for its result.
    Wait(watch::Receiver<Option<Outcome<A>>>),
    /// No request in flight: make it, and publish its result.
    Fetch(watch::Sender<Option<Outcome<A>>>, u64),
}

/// Ends the flight `id` when its caller finishes or is cancelled.
struct ClearFlight<'a, P: Provider> {
    cache: &'a TokenCache<P>,
    id: u64,
}

impl<P: Provider> Drop for ClearFlight<'_, P> {
    fn drop(&mut self) {
        let mut flight = self.cache.flight.lock().unwrap_or_else(PoisonError::into_inner);
        if flight.as_ref().is_some_and(|flight| flight.id == self.id) {
            *flight = None;
        }
    }
}

impl<P: Provider> fmt::Debug for TokenCache<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.read();
        f.debug_struct("TokenCache")
            .field("token", &current.as_ref().map(|slot| &slot.token))
            .field("rejected", &current.as_ref().is_some_and(|slot| slot.rejected))
            .field("refresh_ahead", &self.refresh_ahead)
            .finish()
    }
}
