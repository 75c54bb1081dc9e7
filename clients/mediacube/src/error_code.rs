//! MediaCube's documented batch error codes (`err_msg`), typed.

use std::fmt;

/// A batch error code, as sent in `err_msg`. Codes the docs do not list are kept in
/// [`ErrorCode::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 3000: insufficient funds on the partner's account.
    InsufficientFunds,
    /// 4000: an unspecified error; contact support.
    Internal,
    /// 5000: debit payments are disabled for the account.
    DebitPaymentsDisabled,
    /// 6000: the account has no payout payments (debits need payouts to offset).
    NoPayoutPayments,
    /// 7000: the payout total is less than the debit total.
    DebitsExceedPayouts,
    /// 8000: the user does not have enough money.
    UserInsufficientFunds,
    /// 9000: regional partner not found (regional payments).
    RegionalPartnerNotFound,
    /// 10000: the wallet is not active (regional payments).
    WalletNotActive,
    /// A code the docs do not list.
    Other(i64),
}

impl ErrorCode {
    /// The code as sent on the wire.
    pub fn code(self) -> i64 {
        match self {
            Self::InsufficientFunds => 3000,
            Self::Internal => 4000,
            Self::DebitPaymentsDisabled => 5000,
            Self::NoPayoutPayments => 6000,
            Self::DebitsExceedPayouts => 7000,
            Self::UserInsufficientFunds => 8000,
            Self::RegionalPartnerNotFound => 9000,
            Self::WalletNotActive => 10000,
            Self::Other(code) => code,
        }
    }

    /// The documented meaning (the docs' text, with its spelling corrected).
    pub fn message(self) -> &'static str {
        match self {
            Self::InsufficientFunds => "Insufficient funds on your account, contact support",
            Self::Internal => "An error has occurred, please contact support",
            Self::DebitPaymentsDisabled => {
                "Debit payments are disabled for your account, please contact support"
            }
            Self::NoPayoutPayments => "Your account doesn't have payout payments",
            Self::DebitsExceedPayouts => {
                "Amount of payout payments is less than amount of debit payments"
            }
            Self::UserInsufficientFunds => "User doesn't have enough money",
            Self::RegionalPartnerNotFound => "Regional partner not found",
            Self::WalletNotActive => "Wallet is not active",
            Self::Other(_) => "an error code the MediaCube docs do not list",
        }
    }
}

impl From<i64> for ErrorCode {
    fn from(code: i64) -> Self {
        match code {
            3000 => Self::InsufficientFunds,
            4000 => Self::Internal,
            5000 => Self::DebitPaymentsDisabled,
            6000 => Self::NoPayoutPayments,
            7000 => Self::DebitsExceedPayouts,
            8000 => Self::UserInsufficientFunds,
            9000 => Self::RegionalPartnerNotFound,
            10000 => Self::WalletNotActive,
            other => Self::Other(other),
        }
    }
}

impl From<ErrorCode> for i64 {
    fn from(code: ErrorCode) -> Self {
        code.code()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_reads_back_as_itself() {
        for code in [3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, -1] {
            assert_eq!(ErrorCode::from(code).code(), code);
        }
        assert_eq!(ErrorCode::from(11000), ErrorCode::Other(11000));
        assert_eq!(ErrorCode::from(10000), ErrorCode::WalletNotActive);
    }

    #[test]
    fn display_shows_code_and_documented_meaning() {
        assert_eq!(
            ErrorCode::from(3000).to_string(),
            "3000 (Insufficient funds on your account, contact support)"
        );
    }
}
