//! A token cache: obtain once, share, refresh ahead of expiry, one refresh at a time.
//!
//! The hot path (a fresh token) takes a read lock on a `std` `RwLock` for the length of
//! an `Arc` clone: no async lock, no allocation. When the token is missing, stale, or
//! was rejected, callers queue on one async mutex; the first refreshes and the rest
//! find the new token when they get the lock, so N concurrent callers cause one
//! request to the token endpoint.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use crate::secret::{AccessToken, RefreshToken};

/// An access token and what is known about its lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The bearer value.
    pub access_token: AccessToken,
    /// When it stops working; `None` if the provider did not say.
    pub expires_at: Option<SystemTime>,
    /// A refresh token to renew it with, if the provider issued one.
    pub refresh_token: Option<RefreshToken>,
}

impl Token {
    /// A token that expires `lifetime` after `issued_at`.
    pub fn expiring(access_token: AccessToken, issued_at: SystemTime, lifetime: Duration) -> Self {
        Self {
            access_token,
            expires_at: issued_at.checked_add(lifetime),
            refresh_token: None,
        }
    }
}

/// Where tokens come from: a provider crate's token endpoint call.
pub trait TokenSource: Send + Sync + 'static {
    /// Why a token could not be obtained.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Obtains a new token. `previous` is the token being replaced, if any (a source
    /// may renew it with its refresh token).
    fn fetch(
        &self,
        previous: Option<&Token>,
    ) -> impl Future<Output = Result<Token, Self::Error>> + Send;
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
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The current token, marked stale when the provider rejected it.
struct Slot {
    token: Arc<Token>,
    rejected: bool,
}

/// Caches one provider token; see the module docs.
pub struct TokenCache<S: TokenSource> {
    source: S,
    clock: Arc<dyn Clock>,
    refresh_ahead: Duration,
    current: RwLock<Option<Slot>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl<S: TokenSource> std::fmt::Debug for TokenCache<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let current = self.read();
        f.debug_struct("TokenCache")
            .field("token", &current.as_ref().map(|slot| &slot.token))
            .field("rejected", &current.as_ref().is_some_and(|slot| slot.rejected))
            .field("refresh_ahead", &self.refresh_ahead)
            .finish()
    }
}

impl<S: TokenSource> TokenCache<S> {
    /// A cache over `source` that refreshes a token `refresh_ahead` before it expires.
    pub fn new(source: S, refresh_ahead: Duration) -> Self {
        Self::with_clock(source, refresh_ahead, Arc::new(SystemClock))
    }

    /// Like [`TokenCache::new`], reading the time from `clock`.
    pub fn with_clock(source: S, refresh_ahead: Duration, clock: Arc<dyn Clock>) -> Self {
        Self {
            source,
            clock,
            refresh_ahead,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The token source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// A fresh token: the cached one, or a new one from the source.
    pub async fn get(&self) -> Result<Arc<Token>, S::Error> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _refreshing = self.refreshing.lock().await;
        // Whoever held the lock before us may have refreshed already.
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let previous = self.read().as_ref().map(|slot| Arc::clone(&slot.token));
        let token = Arc::new(self.source.fetch(previous.as_deref()).await?);
        *self.write() = Some(Slot {
            token: Arc::clone(&token),
            rejected: false,
        });
        Ok(token)
    }

    /// Marks `rejected` as no longer valid (the provider answered 401 to it), unless it
    /// was already replaced; the next [`TokenCache::get`] refreshes.
    pub fn reject(&self, rejected: &Arc<Token>) {
        if let Some(slot) = self.write().as_mut() {
            if Arc::ptr_eq(&slot.token, rejected) {
                slot.rejected = true;
            }
        }
    }

    fn fresh(&self) -> Option<Arc<Token>> {
        let current = self.read();
        let slot = current.as_ref()?;
        let fresh = !slot.rejected
            && slot.token.expires_at.is_none_or(|expires_at| {
                self.clock.now() + self.refresh_ahead < expires_at
            });
        fresh.then(|| Arc::clone(&slot.token))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Slot>> {
        self.current.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Slot>> {
        self.current.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs `attempt` with a fresh token, and once more with a new token if the provider
/// answered that the token was not accepted (`rejected(status)`, e.g. 401). Such an
/// answer means nothing was processed, so repeating is safe even for money-moving
/// requests. `attempt` must take its token from `cache` (as the crates' hooks do).
pub async fn with_fresh_token<S, T, A, F, Fut>(
    cache: &TokenCache<S>,
    rejected: impl Fn(http::StatusCode) -> bool,
    mut attempt: F,
) -> Result<T, crate::Error<A>>
where
    S: TokenSource,
    A: std::fmt::Debug + std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, crate::Error<A>>>,
{
    let token = cache
        .get()
        .await
        .map_err(|error| crate::Error::Auth(error.to_string()))?;
    match attempt().await {
        Err(error) if error.status().is_some_and(&rejected) => {
            cache.reject(&token);
            attempt().await
        }
        other => other,
    }
}
