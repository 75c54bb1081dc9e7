//! What OpenAPI cannot say about MediaCube: the OAuth authorization redirect (a
//! browser step, not an API call) and the absolute URL of a transaction's invoice.
//!
//! The redirect sends a user's browser to MediaCube so that they authorise the partner's
//! client; MediaCube then redirects back to `redirect_uri` with a `code`, which
//! [`Client::issue_token`](crate::Client::issue_token) with the `authorization_code`
//! grant exchanges for a token.

use std::fmt;

use progenitor_client::ClientInfo;
use reqwest::Url;

use crate::Client;
/// Where the docs send the user's browser (with the trailing slash the docs use).
const AUTHORIZE_PATH: &str = "/oauth/authorize/";

/// An OAuth scope. The docs name three; others are kept as [`Scope::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `user.common`.
    UserCommon,
    /// `user.channels`.
    UserChannels,
    /// `user.balance`.
    UserBalance,
    /// A scope the docs do not name.
    Other(String),
}

impl Scope {
    /// The scope as sent in the `scope` parameter.
    pub fn as_str(&self) -> &str {
        match self {
            Self::UserCommon => "user.common",
            Self::UserChannels => "user.channels",
            Self::UserBalance => "user.balance",
            Self::Other(scope) => scope,
        }
    }
}

impl From<&str> for Scope {
    fn from(scope: &str) -> Self {
        match scope {
            "user.common" => Self::UserCommon,
            "user.channels" => Self::UserChannels,
            "user.balance" => Self::UserBalance,
            other => Self::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The authorization redirect for one user.
///
/// ```
/// use payspec_mediacube::rules::{AuthorizationRequest, Scope};
///
/// let url = AuthorizationRequest::new(1, "https://example.com/callback")
///     .scopes([Scope::UserCommon, Scope::UserChannels, Scope::UserBalance])
///     .url("https://mp-stage.mediacube.dev")
///     .unwrap();
/// assert_eq!(
///     url.as_str(),
///     "https://mp-stage.mediacube.dev/oauth/authorize/?client_id=1\
///      &redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&response_type=code\
///      &scope=user.common+user.channels+user.balance"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationRequest {
    client_id: i64,
    redirect_uri: String,
    scopes: Vec<Scope>,
    state: Option<String>,
}

impl AuthorizationRequest {
    /// A request for `client_id` that returns the user to `redirect_uri`, with no scopes
    /// and no state yet.
    pub fn new(client_id: i64, redirect_uri: impl Into<String>) -> Self {
        Self {
            client_id,
            redirect_uri: redirect_uri.into(),
            scopes: Vec::new(),
            state: None,
        }
    }

    /// The scopes asked for, in this order.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        self.scopes = scopes.into_iter().collect();
        self
    }

    /// A value MediaCube returns unchanged to `redirect_uri` (the usual OAuth CSRF
    /// protection; the docs do not show it).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// The authorization URL on `base_url` (e.g. the stage host). The query
    /// is form-encoded as in the docs' `http_build_query` (spaces between scopes as `+`).
    pub fn url(&self, base_url: &str) -> Result<Url, InvalidUrl> {
        let mut url = on_base(base_url, AUTHORIZE_PATH)?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", &self.client_id.to_string())
                .append_pair("redirect_uri", &self.redirect_uri)
                .append_pair("response_type", "code");
            if !self.scopes.is_empty() {
                let scope: Vec<&str> = self.scopes.iter().map(Scope::as_str).collect();
                query.append_pair("scope", &scope.join(" "));
            }
            if let Some(state) = &self.state {
                query.append_pair("state", state);
            }
        }
        Ok(url)
    }
}

impl Client {
    /// The absolute URL of a transaction's `invoice_path` (e.g.
    /// `/api/transactions/1/invoice`) on this client's base URL.
    pub fn invoice_url(&self, invoice_path: &str) -> Result<Url, InvalidUrl> {
        on_base(self.baseurl(), invoice_path)
    }
}

/// A URL that could not be built: a base URL that does not parse, or an invoice path
/// that is not a path on the base's host.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot build a URL: {0}")]
pub struct InvalidUrl(String);

/// `base` with `path` appended, the way the generated client appends an operation's
/// path (so a base with a path stem keeps it). `path` must start with one `/`.
pub(crate) fn on_base(base: &str, path: &str) -> Result<Url, InvalidUrl> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(InvalidUrl(format!(
            "{path:?} is not a path starting with `/`"
        )));
    }
    let url = format!("{}{path}", base.trim_end_matches('/'));
    Url::parse(&url).map_err(|error| InvalidUrl(format!("{url:?}: {error}")))
}
