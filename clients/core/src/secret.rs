//! Secrets that never leak.
//!
//! Card numbers, CVVs, passwords, PINs, client secrets, API keys and tokens print
//! redacted in `Debug` and `Display` (a card or account number shows its last four
//! digits) and serialize in full: the wire is the only place the value goes. Read the
//! value with [`Secret::expose`], which names the act in the code that does it.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What kind of secret a [`Secret`] holds, and how much of it may be shown.
pub trait SecretKind: Send + Sync + 'static {
    /// The type's name in `Debug` output.
    const NAME: &'static str;
    /// How many trailing characters may be shown (4 for card and account numbers).
    const VISIBLE_SUFFIX: usize = 0;
}

/// A secret string of kind `K`. Use the aliases ([`CardNumber`], [`Password`], ...).
pub struct Secret<K: SecretKind> {
    value: String,
    kind: PhantomData<K>,
}

impl<K: SecretKind> Secret<K> {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            kind: PhantomData,
        }
    }

    /// The secret itself. Call this only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.value
    }

    fn redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars = self.value.chars().count();
        // Show the suffix only when at least as much stays hidden: a short value shows nothing.
        if K::VISIBLE_SUFFIX > 0 && chars >= 2 * K::VISIBLE_SUFFIX {
            let suffix: String = self.value.chars().skip(chars - K::VISIBLE_SUFFIX).collect();
            write!(f, "****{suffix}")
        } else {
            f.write_str("<redacted>")
        }
    }
}

impl<K: SecretKind> fmt::Debug for Secret<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", K::NAME)?;
        self.redacted(f)?;
        f.write_str(")")
    }
}

impl<K: SecretKind> fmt::Display for Secret<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.redacted(f)
    }
}

impl<K: SecretKind> Clone for Secret<K> {
    fn clone(&self) -> Self {
        Self::new(self.value.clone())
    }
}

impl<K: SecretKind> PartialEq for Secret<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<K: SecretKind> Eq for Secret<K> {}

impl<K: SecretKind> From<String> for Secret<K> {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl<K: SecretKind> From<&str> for Secret<K> {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl<K: SecretKind> FromStr for Secret<K> {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(value))
    }
}

impl<K: SecretKind> Serialize for Secret<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, K: SecretKind> Deserialize<'de> for Secret<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

macro_rules! secret_kinds {
    ($($(#[$doc:meta])* $alias:ident => $kind:ident, $name:literal, $suffix:literal;)*) => {
        /// Marker types naming each kind of secret.
        pub mod kind {
            $(
                #[doc = concat!("Marker for [`", stringify!($alias), "`](super::", stringify!($alias), ").")]
                #[derive(Debug)]
                pub enum $kind {}

                impl super::SecretKind for $kind {
                    const NAME: &'static str = $name;
                    const VISIBLE_SUFFIX: usize = $suffix;
                }
            )*
        }
        $(
            $(#[$doc])*
            pub type $alias = Secret<kind::$kind>;
        )*
    };
}

secret_kinds! {
    /// A payment card number (PAN); `Debug` shows at most its last four digits.
    CardNumber => Card, "CardNumber", 4;
    /// A wallet, phone or account number that identifies where money goes; `Debug`
    /// shows at most its last four digits.
    AccountNumber => Account, "AccountNumber", 4;
    /// A card's CVV/CVC.
    Cvv => Cvv, "Cvv", 0;
    /// A PIN.
    Pin => Pin, "Pin", 0;
    /// A user's password.
    Password => Password, "Password", 0;
    /// An OAuth client secret.
    ClientSecret => ClientSecret, "ClientSecret", 0;
    /// An API key.
    ApiKey => ApiKey, "ApiKey", 0;
    /// An access (bearer) token.
    AccessToken => AccessToken, "AccessToken", 0;
    /// An OAuth refresh token.
    RefreshToken => RefreshToken, "RefreshToken", 0;
    /// An OAuth authorization code.
    AuthorizationCode => AuthorizationCode, "AuthorizationCode", 0;
    /// A card token that charges a saved card (recurring payments).
    CardToken => CardToken, "CardToken", 0;
}
