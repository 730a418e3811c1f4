//! The domain's error type: every rule that refuses a request says which kind of refusal it is,
//! and each kind maps to one of the CLI's documented exit codes.

use thiserror::Error;

/// Why a request was refused. Messages are one line and quote the offending value.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A slot, hall, ticket, booking or cinema that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request is well formed but the state forbids it (seat taken, sold out, sales closed…).
    #[error("{0}")]
    Conflict(String),
    /// The request itself is malformed (bad date, end before start, too many seats…).
    #[error("{0}")]
    Invalid(String),
    /// Who asked may not do it: a wrong PIN, a locked or disabled operator, a role without the
    /// right, a missing approval.
    #[error("{0}")]
    NotAllowed(String),
}

impl Error {
    /// The CLI exit code of this kind of refusal (see the README's contract).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::NotFound(_) => 3,
            Error::Conflict(_) => 4,
            Error::Invalid(_) => 5,
            Error::NotAllowed(_) => 7,
        }
    }
}

/// Shorthand for results of domain rules.
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

pub(crate) fn conflict(msg: impl Into<String>) -> Error {
    Error::Conflict(msg.into())
}

pub(crate) fn not_allowed(msg: impl Into<String>) -> Error {
    Error::NotAllowed(msg.into())
}

pub(crate) fn not_found(msg: impl Into<String>) -> Error {
    Error::NotFound(msg.into())
}
