//! The store's error: a refused request (domain rule), a busy database, or a storage failure.

use std::path::Path;

use rusqlite::ErrorCode;
use thiserror::Error;

use crate::domain;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] domain::Error),
    /// Another process held the write lock for longer than the busy timeout.
    #[error("database busy (another counter is writing), try again")]
    Busy,
    #[error("'{path}' is not a Ticketly database: {reason}")]
    BadFile { path: String, reason: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

/// Shorthand for store results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The CLI exit code: the domain's codes, 6 for busy (retry), 1 for the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Domain(e) => e.exit_code(),
            Error::Busy => 6,
            Error::BadFile { .. } | Error::Sqlite(_) => 1,
        }
    }

    pub(crate) fn open(path: &Path, e: rusqlite::Error) -> Error {
        Error::BadFile { path: path.display().to_string(), reason: e.to_string() }
    }

    /// Names the file when SQLite says it is not a database or cannot be written.
    pub(crate) fn at(self, path: &Path) -> Error {
        match self {
            Error::Sqlite(e) => match e.sqlite_error_code() {
                Some(
                    ErrorCode::NotADatabase | ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::SystemIoFailure,
                ) => Error::open(path, e),
                _ => Error::Sqlite(e),
            },
            other => other,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            // The schema's constraints are the last line of defence; the code checks first, so
            // reaching one means a concurrent change the checks could not see.
            Some(ErrorCode::ConstraintViolation) => {
                Error::Domain(domain::Error::Conflict(format!("refused by the database: {}", constraint_message(&e))))
            }
            _ => Error::Sqlite(e),
        }
    }
}

fn constraint_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    }
}
