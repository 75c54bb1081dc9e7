//! What the token endpoint needs: the API client's id and secret and the API user.

use payspec_core::secret::{ClientSecret, Password};

/// The credentials Paymob issues for Instant Payout. `Debug` shows the client id and
/// user name, never the secret or the password.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// OAuth2 client id (`{CLIENT_ID}`), sent with the secret as HTTP Basic on token calls.
    pub client_id: String,
    /// OAuth2 client secret (`{CLIENT_SECRET}`).
    pub client_secret: ClientSecret,
    /// API user name (`{USERNAME}`) for the password grant.
    pub username: String,
    /// API user password (`{PASSWORD}`) for the password grant.
    pub password: Password,
    /// Scopes to request (space-separated), if not the default ones.
    pub scope: Option<String>,
}

impl Credentials {
    /// Credentials without an explicit scope.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<ClientSecret>,
        username: impl Into<String>,
        password: impl Into<Password>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            username: username.into(),
            password: password.into(),
            scope: None,
        }
    }
}
