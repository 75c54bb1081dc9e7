//! The token cache: one refresh for many callers, refresh ahead of expiry, one refresh
//! after a rejection.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use payspec_core::secret::{AccessToken, RefreshToken};
use payspec_core::token::{with_fresh_token, Clock, ManualClock, Token, TokenCache, TokenSource};

/// Issues `token-1`, `token-2`, ... valid for an hour, after a short delay so that
/// concurrent callers overlap; records the previous token it was given.
struct CountingSource {
    fetches: AtomicUsize,
    clock: Arc<ManualClock>,
    previous: std::sync::Mutex<Vec<Option<String>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("token endpoint down")]
struct Down;

/// Shares the counting source between the cache and the test.
#[derive(Clone)]
struct Shared(Arc<CountingSource>);

impl TokenSource for Shared {
    type Error = Down;

    async fn fetch(&self, previous: Option<&Token>) -> Result<Token, Down> {
        let source = &self.0;
        let n = source.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        source.previous
            .lock()
            .unwrap()
            .push(previous.map(|token| token.access_token.expose().to_string()));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut token = Token::expiring(AccessToken::new(format!("token-{n}")), source.clock.now(), Duration::from_secs(3600));
        token.refresh_token = Some(RefreshToken::new(format!("refresh-{n}")));
        Ok(token)
    }
}

fn setup() -> (Arc<CountingSource>, Arc<ManualClock>, Arc<TokenCache<Shared>>) {
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let source = Arc::new(CountingSource { fetches: AtomicUsize::new(0), clock: Arc::clone(&clock), previous: Default::default() });
    let cache = Arc::new(TokenCache::with_clock(Shared(Arc::clone(&source)), Duration::from_secs(60), clock.clone()));
    (source, clock, cache)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_callers_cause_one_fetch() {
    let (source, _, cache) = setup();
    let callers: Vec<_> = (0..50)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.get().await.unwrap().access_token.expose().to_string() })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap(), "token-1");
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn refreshes_ahead_of_expiry_with_the_previous_token() {
    let (source, clock, cache) = setup();
    assert_eq!(cache.get().await.unwrap().access_token.expose(), "token-1");
    clock.advance(Duration::from_secs(3600 - 61));
    assert_eq!(cache.get().await.unwrap().access_token.expose(), "token-1", "still fresh");
    clock.advance(Duration::from_secs(2));
    assert_eq!(cache.get().await.unwrap().access_token.expose(), "token-2", "within the refresh margin");
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
    assert_eq!(*source.previous.lock().unwrap(), vec![None, Some("token-1".to_string())]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_refreshed_once_for_all_callers() {
    let (source, _, cache) = setup();
    let first = cache.get().await.unwrap();
    let callers: Vec<_> = (0..50)
        .map(|_| {
            let cache = Arc::clone(&cache);
            let first = Arc::clone(&first);
            tokio::spawn(async move {
                cache.reject(&first);
                cache.get().await.unwrap().access_token.expose().to_string()
            })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap(), "token-2");
    }
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
    // A late rejection of the old token does not discard the new one.
    cache.reject(&first);
    assert_eq!(cache.get().await.unwrap().access_token.expose(), "token-2");
}

#[tokio::test]
async fn with_fresh_token_repeats_once_after_a_rejection() {
    let (source, _, cache) = setup();
    let attempts = AtomicUsize::new(0);
    let result: Result<String, payspec_core::Error<String>> = with_fresh_token(
        &cache,
        |status| status == http::StatusCode::UNAUTHORIZED,
        || async {
            let token = cache.get().await.unwrap().access_token.expose().to_string();
            if attempts.fetch_add(1, Ordering::SeqCst) == 0 {
                Err(payspec_core::Error::UnexpectedStatus { status: http::StatusCode::UNAUTHORIZED, body: Default::default() })
            } else {
                Ok(token)
            }
        },
    )
    .await;
    assert_eq!(result.unwrap(), "token-2");
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);

    // A second rejection is returned, not repeated again.
    let attempts = AtomicUsize::new(0);
    let result: Result<(), payspec_core::Error<String>> = with_fresh_token(&cache, |s| s == 401, || async {
        attempts.fetch_add(1, Ordering::SeqCst);
        Err(payspec_core::Error::UnexpectedStatus { status: http::StatusCode::UNAUTHORIZED, body: Default::default() })
    })
    .await;
    assert!(result.is_err());
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}
