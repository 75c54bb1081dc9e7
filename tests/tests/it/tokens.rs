//! Tokens from each provider's token endpoint, on one shared client: many concurrent
//! callers cause one token request, whatever the token's lifetime; a token endpoint
//! that is down or hangs costs every waiter one shared failure; a rejected token is
//! renewed once; each provider's renewal (Paymob's refresh grant and its fallback,
//! Billon's JWT `exp`, the 60-minute cap) works on the wire.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use payspec_core::token::ManualClock;
use serde_json::{json, Value};

use crate::fixtures::limits;
use payspec_tests::hostile::{HostileServer, Received, Reply};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Provider {
    MediaCube,
    Paymob,
    Billon,
}

const ALL: [Provider; 3] = [Provider::MediaCube, Provider::Paymob, Provider::Billon];

impl Provider {
    fn token_path(self) -> &'static str {
        match self {
            Self::MediaCube => "/oauth/token",
            Self::Paymob => "/o/token/",
            Self::Billon => "/api/authenticate",
        }
    }

    fn money_path(self) -> &'static str {
        match self {
            Self::MediaCube => "/payments",
            Self::Paymob => "/disburse/",
            Self::Billon => "/api/payment/cancel",
        }
    }

    /// A token answer issuing `token`, valid `lifetime` seconds where the provider says.
    fn token_body(self, token: &str, lifetime: u64) -> Value {
        match self {
            Self::MediaCube => json!({"access_token": token, "token_type": "Bearer", "expires_in": lifetime}),
            Self::Paymob => json!({"access_token": token, "expires_in": lifetime, "refresh_token": format!("refresh-{token}"), "token_type": "Bearer"}),
            Self::Billon => json!({"token": token}),
        }
    }

    fn success(self) -> Value {
        match self {
            Self::MediaCube => json!({"data": {"status": 2, "transactions": [{"id": 1}]}}),
            Self::Paymob => json!({"disbursement_status": "success", "status_description": "", "status_code": "200"}),
            Self::Billon => json!({"success": 1}),
        }
    }

    /// The token a money request carried.
    fn token_of(self, request: &Received) -> Option<String> {
        let name = if self == Self::Billon { "x-access-token" } else { "authorization" };
        request.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().trim_start_matches("Bearer ").to_string())
        })
    }
}

/// A client of `provider` on `base`, on `clock`.
enum Client {
    MediaCube(payspec_mediacube::Client),
    Paymob(payspec_paymob::Client),
    Billon(payspec_billon::Client),
}

impl Client {
    fn new(provider: Provider, base: &str, clock: Arc<ManualClock>, limits: payspec_core::Limits) -> Self {
        let base: reqwest::Url = base.parse().unwrap();
        let http = payspec_tests::http();
        match provider {
            Provider::MediaCube => {
                use payspec_mediacube::{Client, Credentials, Environment};
                Self::MediaCube(Client::builder(Environment::Custom(base), Credentials::new(1, "secret")).clock(clock).limits(limits).http_client(http).build().unwrap())
            }
            Provider::Paymob => {
                use payspec_paymob::{Client, Credentials, Environment};
                let credentials = Credentials::new("id", "secret", "user", "password");
                Self::Paymob(Client::builder(Environment::Custom(base), credentials).clock(clock).limits(limits).http_client(http).build().unwrap())
            }
            Provider::Billon => {
                use payspec_billon::{ApiKey, Client, Environment};
                Self::Billon(Client::builder(Environment::Custom(base), ApiKey::new("key")).clock(clock).limits(limits).http_client(http).build().unwrap())
            }
        }
    }

    /// One money-moving call; `Ok(())`, or the error's class and text.
    async fn pay(&self) -> Result<(), String> {
        match self {
            Self::MediaCube(client) => {
                let batch: payspec_mediacube::types::PaymentBatchRequest = serde_json::from_value(json!({
                    "request_id": uuid::Uuid::new_v4(), "data": [{"amount": "1.00", "wallet": "1111222233334444", "description": "t"}]
                }))
                .unwrap();
                client.create_payout(&batch).await.map(drop).map_err(|e| format!("{e:?}"))
            }
            Self::Paymob(client) => {
                let request = serde_json::from_value(json!({"msisdn": "01012345678", "amount": "1.00"})).unwrap();
                client.create_disbursement(&request).await.map(drop).map_err(|e| format!("{e:?}"))
            }
            Self::Billon(client) => {
                let request = payspec_billon::types::CancelPayoutsRequest { ids: vec![1] };
                client.cancel_payouts(&request).await.map(drop).map_err(|e| format!("{e:?}"))
            }
        }
    }
}

fn start() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)))
}

/// A server issuing `token-1`, `token-2`, ... valid `lifetime` seconds, that answers
/// money requests with success unless their token is in `rejected`.
async fn issuing(provider: Provider, lifetime: u64, rejected: &'static [&'static str]) -> HostileServer {
    let issued = Arc::new(AtomicUsize::new(0));
    HostileServer::start(move |request| {
        if request.path == provider.token_path() {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            // Slow enough that concurrent callers overlap with the request in flight.
            return Reply::Stall(Duration::from_millis(30), Box::new(Reply::json(200, provider.token_body(&format!("token-{n}"), lifetime).to_string())));
        }
        if provider.token_of(request).is_some_and(|token| rejected.contains(&token.as_str())) {
            return Reply::json(401, "{}");
        }
        Reply::json(200, provider.success().to_string())
    })
    .await
}

/// A server whose token endpoint answers `token`, and whose money path succeeds.
async fn token_endpoint(provider: Provider, token: fn() -> Reply) -> HostileServer {
    HostileServer::start(move |request| {
        if request.path == provider.token_path() {
            token()
        } else {
            Reply::json(200, provider.success().to_string())
        }
    })
    .await
}

async fn concurrently(client: &Client, callers: usize) -> Vec<Result<(), String>> {
    futures_util::future::join_all((0..callers).map(|_| client.pay())).await
}

#[tokio::test]
async fn a_hundred_concurrent_callers_cause_one_token_request_and_again_after_expiry() {
    for provider in ALL {
        // Billon's token carries no expiry: the docs' 24 hours apply.
        let lifetime = 30;
        let server = issuing(provider, lifetime, &[]).await;
        let clock = start();
        let client = Client::new(provider, &server.uri(), Arc::clone(&clock), limits());
        let results = concurrently(&client, 100).await;
        assert!(results.iter().all(Result::is_ok), "{provider:?}: {:?}", results.iter().find(|r| r.is_err()));
        assert_eq!(server.count(provider.token_path()), 1, "{provider:?}: one token request for 100 callers");
        assert_eq!(server.count(provider.money_path()), 100, "{provider:?}");

        // A lifetime shorter than the refresh margin (60 s): still one request per
        // renewal, and the token is used until half its lifetime.
        clock.advance(Duration::from_secs(10));
        concurrently(&client, 20).await;
        assert_eq!(server.count(provider.token_path()), 1, "{provider:?}: fresh for half its 30 s lifetime");
        let advance = if provider == Provider::Billon { 24 * 3600 } else { lifetime };
        clock.advance(Duration::from_secs(advance));
        let results = concurrently(&client, 100).await;
        assert!(results.iter().all(Result::is_ok), "{provider:?}");
        assert_eq!(server.count(provider.token_path()), 2, "{provider:?}: one renewal for 100 callers after expiry");
    }
}

#[tokio::test]
async fn a_token_endpoint_that_is_down_fails_every_waiter_with_one_shared_failure() {
    for provider in ALL {
        let server = token_endpoint(provider, || Reply::Stall(Duration::from_millis(30), Box::new(Reply::with(503, "text/html", "<html>down</html>")))).await;
        let client = Client::new(provider, &server.uri(), start(), limits());
        let results = concurrently(&client, 50).await;
        for result in &results {
            let error = result.as_ref().expect_err("no token");
            assert!(error.starts_with("Auth(TokenEndpoint("), "{provider:?}: {error}");
        }
        // One flight for 50 callers: its own retries (the token call is retry-safe for
        // Paymob and Billon: 3 attempts) and nothing per caller.
        let expected = if provider == Provider::MediaCube { 1 } else { 3 };
        assert_eq!(server.count(provider.token_path()), expected, "{provider:?}");
        assert_eq!(server.count(provider.money_path()), 0, "{provider:?}: nothing sent without a token");
    }
}

#[tokio::test]
async fn a_hanging_token_endpoint_costs_each_waiter_one_deadline() {
    for provider in ALL {
        let server = token_endpoint(provider, || Reply::Stall(Duration::from_secs(3), Box::new(Reply::json(200, "{}")))).await;
        let limits = limits().request_timeout(Duration::from_secs(5)).token_deadline(Duration::from_millis(300));
        let client = Client::new(provider, &server.uri(), start(), limits);
        let started = Instant::now();
        let results = concurrently(&client, 20).await;
        let elapsed = started.elapsed();
        for result in &results {
            assert!(result.as_ref().expect_err("no token").starts_with("Auth(Deadline("), "{provider:?}: {result:?}");
        }
        assert!(elapsed < Duration::from_millis(1500), "{provider:?}: 20 waiters took {elapsed:?}, not one deadline");
        assert_eq!(server.count(provider.token_path()), 1, "{provider:?}");
    }
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once_and_the_call_sent_again() {
    for provider in ALL {
        let server = issuing(provider, 3600, &["token-1"]).await;
        let client = Client::new(provider, &server.uri(), start(), limits());
        client.pay().await.unwrap_or_else(|e| panic!("{provider:?}: {e}"));
        assert_eq!(server.count(provider.token_path()), 2, "{provider:?}");
        let tokens: Vec<Option<String>> = server.received().iter().filter(|r| r.path == provider.money_path()).map(|r| provider.token_of(r)).collect();
        assert_eq!(tokens, [Some("token-1".into()), Some("token-2".into())], "{provider:?}");

        // Rejected again with the new token: Auth, and no third send.
        let server = issuing(provider, 3600, &["token-1", "token-2"]).await;
        let client = Client::new(provider, &server.uri(), start(), limits());
        let error = client.pay().await.expect_err("rejected twice");
        assert!(error.starts_with("Auth(Rejected("), "{provider:?}: {error}");
        assert_eq!(server.count(provider.money_path()), 2, "{provider:?}");
    }
}

#[tokio::test]
async fn paymob_renews_with_the_refresh_grant_and_falls_back_to_the_password_grant() {
    let refused = Arc::new(AtomicUsize::new(0));
    let refuse_refresh = Arc::clone(&refused);
    let issued = Arc::new(AtomicUsize::new(0));
    let server = HostileServer::start(move |request| {
        if request.path == "/o/token/" {
            let form = String::from_utf8_lossy(&request.body).to_string();
            if form.contains("grant_type=refresh_token") && refuse_refresh.load(Ordering::SeqCst) > 0 {
                return Reply::json(400, r#"{"error":"invalid_grant","error_description":"expired"}"#);
            }
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            // 7200 s: more than the docs' 60 minutes, so capped at 3600.
            return Reply::json(200, Provider::Paymob.token_body(&format!("token-{n}"), 7200).to_string());
        }
        Reply::json(200, Provider::Paymob.success().to_string())
    })
    .await;
    let clock = start();
    let client = Client::new(Provider::Paymob, &server.uri(), Arc::clone(&clock), limits());
    client.pay().await.unwrap();
    clock.advance(Duration::from_secs(3600 - 61));
    client.pay().await.unwrap();
    assert_eq!(server.count("/o/token/"), 1, "fresh until the capped lifetime's margin");
    clock.advance(Duration::from_secs(2));
    client.pay().await.unwrap();
    let grants: Vec<String> = server
        .received()
        .iter()
        .filter(|r| r.path == "/o/token/")
        .map(|r| String::from_utf8_lossy(&r.body).split('&').find(|p| p.starts_with("grant_type=")).unwrap_or_default().to_string())
        .collect();
    assert_eq!(grants, ["grant_type=password", "grant_type=refresh_token"], "renewed with the refresh grant at 3600 s, not 7200 s");
    assert!(server.received().iter().any(|r| String::from_utf8_lossy(&r.body).contains("refresh_token=refresh-token-1")));

    refused.store(1, Ordering::SeqCst);
    clock.advance(Duration::from_secs(3600));
    client.pay().await.unwrap();
    let grants = server.received().iter().filter(|r| r.path == "/o/token/").count();
    assert_eq!(grants, 4, "a refused refresh falls back to the password grant");
}

#[tokio::test]
async fn billon_renews_a_jwt_at_its_exp_claim() {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = 1_700_000_000u64;
    let jwt = move |n: u64| format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", engine.encode(format!(r#"{{"n":{n},"exp":{}}}"#, now + 600)));
    let issued = Arc::new(AtomicUsize::new(0));
    let server = HostileServer::start(move |request| {
        if request.path == "/api/authenticate" {
            let n = issued.fetch_add(1, Ordering::SeqCst) as u64 + 1;
            return Reply::json(200, json!({"token": jwt(n)}).to_string());
        }
        Reply::json(200, Provider::Billon.success().to_string())
    })
    .await;
    let clock = start();
    let client = Client::new(Provider::Billon, &server.uri(), Arc::clone(&clock), limits());
    client.pay().await.unwrap();
    clock.advance(Duration::from_secs(600 - 61));
    client.pay().await.unwrap();
    assert_eq!(server.count("/api/authenticate"), 1);
    clock.advance(Duration::from_secs(2));
    client.pay().await.unwrap();
    assert_eq!(server.count("/api/authenticate"), 2, "renewed a minute before the JWT's exp, not after 24 h");
}
