//! Auth schemes, picked per operation from the spec's `security`: none, HTTP Basic,
//! Bearer, or an API-key header, each with a credential that is either static (given
//! when the client is built) or a token from the provider's token endpoint.
//!
//! Credential headers are marked sensitive, so `reqwest` and `http` never print them.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};

use crate::client::{BuildError, Provider, Runtime};
use crate::error::{AuthError, Error};
use crate::secret::{AccessToken, ApiKey};
use crate::token::IssuedToken;

/// Where a scheme's credential comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Given when the client is built (a static token, a key).
    Static,
    /// Issued by the provider's token endpoint, cached and renewed by the client.
    TokenEndpoint,
}

/// How an operation authenticates (the spec's `securitySchemes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// No credential (e.g. the token endpoint, authenticated by its body).
    None,
    /// `Authorization: Basic base64(user:password)` from [`Credentials::basic`].
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer(Source),
    /// The credential as the value of `header`.
    ApiKey {
        /// The header name, lower case.
        header: &'static str,
        /// Where the credential comes from.
        source: Source,
    },
}

impl AuthScheme {
    /// Whether the credential is a token from the token endpoint, which a rejection
    /// renews.
    pub fn uses_token_endpoint(self) -> bool {
        matches!(
            self,
            Self::Bearer(Source::TokenEndpoint) | Self::ApiKey { source: Source::TokenEndpoint, .. }
        )
    }

    fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Basic => "Basic",
            Self::Bearer(_) => "Bearer",
            Self::ApiKey { header, .. } => header,
        }
    }
}

/// What a caller authenticates with. Each method returns the credential for one kind of
/// static scheme; a provider's credentials implement those its spec uses (a missing one
/// is reported when the client is built). Credentials for a token endpoint are read by
/// the provider's [`crate::token::TokenSource`].
pub trait Credentials: std::fmt::Debug + Send + Sync + 'static {
    /// For a static Bearer scheme.
    fn bearer_token(&self) -> Option<&AccessToken> {
        None
    }

    /// For HTTP Basic: user and password.
    fn basic(&self) -> Option<(&str, &str)> {
        None
    }

    /// For a static API-key header.
    fn api_key(&self) -> Option<&ApiKey> {
        None
    }
}

/// A static bearer token (e.g. MagicPayments' access token).
impl Credentials for AccessToken {
    fn bearer_token(&self) -> Option<&AccessToken> {
        Some(self)
    }
}

/// An API key sent to a token endpoint (e.g. Billon's panel password) or as a static
/// API-key header.
impl Credentials for ApiKey {
    fn api_key(&self) -> Option<&ApiKey> {
        Some(self)
    }
}

/// The header values of the static schemes, built once when the client is built.
pub(crate) struct StaticHeaders {
    basic: Option<HeaderValue>,
    bearer: Option<HeaderValue>,
    api_key: Option<HeaderValue>,
}

impl StaticHeaders {
    /// The values `P`'s static schemes need, from `credentials`.
    pub(crate) fn new<P: Provider>(credentials: &P::Credentials) -> Result<Self, BuildError> {
        let mut headers = Self {
            basic: None,
            bearer: None,
            api_key: None,
        };
        for &scheme in P::SCHEMES {
            let missing = BuildError::MissingCredential { scheme: scheme.name() };
            match scheme {
                AuthScheme::Basic => {
                    let (user, password) = credentials.basic().ok_or(missing)?;
                    let pair = BASE64.encode(format!("{user}:{password}"));
                    headers.basic = Some(sensitive(scheme, &format!("Basic {pair}"))?);
                }
                AuthScheme::Bearer(Source::Static) => {
                    let token = credentials.bearer_token().ok_or(missing)?;
                    headers.bearer = Some(sensitive(scheme, &format!("Bearer {}", token.expose()))?);
                }
                AuthScheme::ApiKey { source: Source::Static, .. } => {
                    let key = credentials.api_key().ok_or(missing)?;
                    headers.api_key = Some(sensitive(scheme, key.expose())?);
                }
                _ => {}
            }
        }
        Ok(headers)
    }
}

fn sensitive(scheme: AuthScheme, value: &str) -> Result<HeaderValue, BuildError> {
    let mut value = HeaderValue::from_str(value).map_err(|_| BuildError::InvalidCredential { scheme: scheme.name() })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Puts `scheme`'s credential on `request`; returns the token used when it came from
/// the token endpoint (so a rejection can mark it stale).
pub(crate) async fn authorize<P: Provider>(
    client: &P::Client,
    runtime: &Runtime<P>,
    request: &mut reqwest::Request,
    scheme: AuthScheme,
) -> Result<Option<Arc<IssuedToken>>, Error<P::ApiError>> {
    let (name, value, token) = match scheme {
        AuthScheme::None => return Ok(None),
        AuthScheme::Basic => (AUTHORIZATION, runtime.headers().basic.clone(), None),
        AuthScheme::Bearer(Source::Static) => (AUTHORIZATION, runtime.headers().bearer.clone(), None),
        AuthScheme::ApiKey { header, source: Source::Static } => {
            (HeaderName::from_static(header), runtime.headers().api_key.clone(), None)
        }
        AuthScheme::Bearer(Source::TokenEndpoint) => {
            let token = runtime.tokens().get(client).await?;
            (AUTHORIZATION, Some(token.bearer().clone()), Some(token))
        }
        AuthScheme::ApiKey { header, source: Source::TokenEndpoint } => {
            let token = runtime.tokens().get(client).await?;
            (HeaderName::from_static(header), Some(token.raw().clone()), Some(token))
        }
    };
    // Built with the client from the same `P::SCHEMES`, so a static value is present.
    let value = value.ok_or(Error::Auth(AuthError::InvalidCredential { header: scheme.name() }))?;
    request.headers_mut().insert(name, value);
    Ok(token)
}
