//! Building a provider client: one builder for every provider, and the runtime state
//! every generated client carries.
//!
//! Each provider crate's generated code implements [`Provider`] and gives its `Client`
//! a `builder(environment, credentials)` that returns this crate's [`ClientBuilder`], so
//! every client is constructed the same way:
//!
//! ```ignore
//! let client = Client::builder(Environment::Staging, credentials)
//!     .limits(Limits::default().request_timeout(Duration::from_secs(20)))
//!     .build()?;
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::auth::{AuthScheme, Credentials, StaticHeaders};
use crate::token::{Clock, SystemClock, TokenCache, TokenSource};
use crate::transport::{self, Limits};

/// What a provider crate's generated code declares about its provider.
pub trait Provider: Sized + Send + Sync + 'static {
    /// The provider's name, as in `specs/<name>.yaml` (`"magicpayments"`).
    const NAME: &'static str;
    /// Every auth scheme the spec's operations use.
    const SCHEMES: &'static [AuthScheme];
    /// The generated client.
    type Client: progenitor_client::ClientInfo<Runtime<Self>> + Send + Sync + 'static;
    /// What a caller authenticates with.
    type Credentials: Credentials;
    /// How tokens are obtained from the provider's token endpoint
    /// ([`crate::token::NoTokenEndpoint`] when the spec declares none).
    type Tokens: TokenSource<Self>;
    /// The provider's documented errors, typed.
    type ApiError: fmt::Debug + fmt::Display + Send + Sync + 'static;
    /// The generated client for `base_url`, sending with `http`.
    fn client(base_url: &str, http: reqwest::Client, runtime: Runtime<Self>) -> Self::Client;
}

/// Where a provider's API lives: the hosts its spec names, or a URL of the caller's.
/// Implemented by each crate's generated `Environment`.
pub trait Environment {
    /// The base URL that operation paths are appended to.
    fn base_url(&self) -> &str;
}

/// The state a generated client carries: limits, credentials and the token cache.
/// Cloning is cheap; clones share the token.
pub struct Runtime<P: Provider> {
    shared: Arc<Shared<P>>,
}

struct Shared<P: Provider> {
    limits: Limits,
    credentials: P::Credentials,
    headers: StaticHeaders,
    tokens: TokenCache<P>,
}

impl<P: Provider> Runtime<P> {
    /// The limits every call of the client observes.
    pub fn limits(&self) -> &Limits {
        &self.shared.limits
    }

    /// The credentials the client was built with (their `Debug` is redacted).
    pub fn credentials(&self) -> &P::Credentials {
        &self.shared.credentials
    }

    /// The client's token cache.
    pub fn tokens(&self) -> &TokenCache<P> {
        &self.shared.tokens
    }

    pub(crate) fn headers(&self) -> &StaticHeaders {
        &self.shared.headers
    }
}

impl<P: Provider> Clone for Runtime<P> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<P: Provider> fmt::Debug for Runtime<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("provider", &P::NAME)
            .field("limits", &self.shared.limits)
            .field("credentials", &self.shared.credentials)
            .field("tokens", &self.shared.tokens)
            .finish()
    }
}

/// How long before its expiry a token is renewed, unless configured; capped at half
/// of each token's lifetime.
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// Builds a provider client; every provider crate's `Client::builder` returns one.
pub struct ClientBuilder<P: Provider> {
    base_url: String,
    credentials: P::Credentials,
    limits: Limits,
    clock: Arc<dyn Clock>,
    refresh_ahead: Duration,
    http: Option<reqwest::Client>,
}

impl<P: Provider> ClientBuilder<P> {
    /// A builder for the client of `environment` that authenticates with `credentials`.
    pub fn new(environment: &impl Environment, credentials: P::Credentials) -> Self {
        Self {
            base_url: environment.base_url().to_string(),
            credentials,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            http: None,
        }
    }

    /// Timeouts, body cap, token deadline and retry bounds (default: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The clock token expiry is judged by (default: the system clock; tests pass a
    /// [`crate::token::ManualClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long before its expiry a token is renewed (default:
    /// [`DEFAULT_REFRESH_AHEAD`]); never more than half of a token's lifetime.
    pub fn refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.refresh_ahead = refresh_ahead;
        self
    }

    /// Sends with `http` instead of a client of payspec's own: for a proxy, a custom CA,
    /// or one connection pool shared by several providers. Build it from
    /// [`transport::http_client_builder`], which turns redirects off; a client that
    /// follows redirects anyway is detected after the fact, and its money-moving answers
    /// are outcome-unknown. The request timeout of [`Limits`] is applied per request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client. Nothing is sent yet: a token is obtained on the first call that
    /// needs one.
    pub fn build(self) -> Result<P::Client, BuildError> {
        let base_url = checked_base_url(&self.base_url)?;
        let headers = StaticHeaders::new::<P>(&self.credentials)?;
        let http = match self.http {
            Some(http) => http,
            None => transport::http_client_builder(&self.limits)
                .build()
                .map_err(BuildError::Http)?,
        };
        let tokens = TokenCache::new(self.clock, self.refresh_ahead, self.limits.token_deadline);
        let runtime = Runtime {
            shared: Arc::new(Shared {
                limits: self.limits,
                credentials: self.credentials,
                headers,
                tokens,
            }),
        };
        Ok(P::client(&base_url, http, runtime))
    }
}

impl<P: Provider> fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("provider", &P::NAME)
            .field("base_url", &without_userinfo(&self.base_url))
            .field("credentials", &self.credentials)
            .field("limits", &self.limits)
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}

/// `text` as a base URL: `http` or `https`, a host, no query or fragment; returned
/// without a trailing slash.
fn checked_base_url(text: &str) -> Result<String, BuildError> {
    let invalid = |problem: &str| BuildError::InvalidBaseUrl {
        url: without_userinfo(text),
        problem: problem.to_string(),
    };
    if text.trim() != text {
        return Err(invalid("it has surrounding whitespace"));
    }
    let url = Url::parse(text).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials go in the credentials, not in the URL"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// `text` with any `user:password@` replaced, for an error message.
fn without_userinfo(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => text.to_string(),
    }
}

/// A client that cannot be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The environment's base URL is not usable.
    #[error("base URL {url:?}: {problem}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The spec's operations need a credential the credentials do not provide.
    #[error("the credentials provide nothing for the {scheme} scheme this provider's operations use")]
    MissingCredential {
        /// The scheme, as `Basic`, `Bearer` or the header name.
        scheme: &'static str,
    },
    /// A credential that cannot be sent as a header value (e.g. it has a newline).
    #[error("the credential for the {scheme} scheme is not a valid header value")]
    InvalidCredential {
        /// The scheme.
        scheme: &'static str,
    },
    /// The HTTP client could not be built (e.g. no TLS backend).
    #[error("the HTTP client could not be built: {0}")]
    Http(#[source] reqwest::Error),
}
