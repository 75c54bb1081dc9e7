//! URLs on the client's base: the OAuth authorization page and invoices.

use reqwest::Url;

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
