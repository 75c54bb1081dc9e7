//! Where the API lives: the docs' two environments, or a base URL of the caller's.

/// A Paymob Instant Payout environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Environment {
    /// `{STAGING_ENV}`: `https://stagingpayouts.paymobsolutions.com/api/secure`.
    Staging,
    /// `{PRODUCTION_ENV}`: `https://payouts.paymobsolutions.com/api/secure`.
    Production,
    /// Another base URL (a proxy, a test server), up to and including `/api/secure`.
    Custom(String),
}

impl Environment {
    /// The base URL that `/o/token/` and `/disburse/` are appended to, without a
    /// trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Self::Staging => "https://stagingpayouts.paymobsolutions.com/api/secure",
            Self::Production => "https://payouts.paymobsolutions.com/api/secure",
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }
}
