//! The store's error: a refused request (domain rule), a busy database, or a storage failure.
//! Each engine's errors are mapped here, so both give the same exit codes.

use std::path::Path;

use postgres::error::SqlState;
use rusqlite::ErrorCode;
use thiserror::Error;

use crate::domain;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] domain::Error),
    /// Another process held the lock for longer than the busy timeout.
    #[error("database busy (another counter is writing), try again")]
    Busy,
    /// PostgreSQL gave up a transaction to break a deadlock or keep it serialisable: the
    /// store runs it again (see `Store::write`); only a caller that sees it gave up retrying.
    #[error("database busy (transactions collided), try again")]
    Collision,
    #[error("'{path}' is not a Ticketly database: {reason}")]
    BadFile { path: String, reason: String },
    /// The server cannot be reached, or the connection to it was lost.
    #[error("{0}")]
    Unreachable(String),
    #[error("database error: {0}")]
    Database(String),
    /// SQLite says the file cannot be used (not a database, read-only, disk full, cannot be
    /// opened): named by [`Error::at`], which says what is wrong with which file.
    #[error("database error: {1}")]
    File(FileProblem, String),
    /// The file cannot be used, said with its name: read-only, on a full disk, unreadable.
    #[error("{0}")]
    Unusable(String),
    /// Another application's SQLite file (or one with an absurd version): never written to.
    /// Named by [`Error::at`]; exit 5.
    #[error("{0}")]
    NotOurs(String),
}

/// What SQLite says is wrong with the file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    NotADatabase,
    ReadOnly,
    DiskFull,
    CannotOpen,
    Io,
}

/// Shorthand for store results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The CLI exit code: the domain's codes, 6 for busy (retry), 1 for the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Domain(e) => e.exit_code(),
            Error::Busy | Error::Collision => 6,
            Error::NotOurs(_) => 5,
            Error::BadFile { .. }
            | Error::Unreachable(_)
            | Error::Database(_)
            | Error::File(..)
            | Error::Unusable(_) => 1,
        }
    }

    /// Whether the connection itself is gone (a counter reconnects).
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, Error::Unreachable(_))
    }

    pub(crate) fn open(path: &Path, e: rusqlite::Error) -> Error {
        match Error::from(e) {
            file @ Error::File(..) => file.at(path),
            other => Error::BadFile { path: path.display().to_string(), reason: other.to_string() },
        }
    }

    /// Names the file when SQLite says something is wrong with it, and says what.
    pub(crate) fn at(self, path: &Path) -> Error {
        let p = path.display();
        match self {
            Error::File(FileProblem::NotADatabase, reason) => Error::BadFile { path: p.to_string(), reason },
            Error::File(FileProblem::ReadOnly, _) => Error::Unusable(format!("'{p}' is read-only")),
            Error::File(FileProblem::DiskFull, _) => {
                Error::Unusable(format!("disk full: cannot open '{p}' (SQLite needs space for its -shm/-wal files)"))
            }
            Error::File(FileProblem::CannotOpen, reason) => Error::Unusable(format!("cannot open '{p}': {reason}")),
            Error::File(FileProblem::Io, reason) => Error::Unusable(format!("cannot read or write '{p}': {reason}")),
            Error::NotOurs(what) => Error::Domain(domain::Error::Invalid(format!("'{p}' {what}"))),
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
            Some(ErrorCode::ConstraintViolation) => refused(&constraint_message(&e)),
            Some(ErrorCode::NotADatabase) => Error::File(FileProblem::NotADatabase, e.to_string()),
            Some(ErrorCode::ReadOnly) => Error::File(FileProblem::ReadOnly, e.to_string()),
            Some(ErrorCode::DiskFull) => Error::File(FileProblem::DiskFull, e.to_string()),
            Some(ErrorCode::CannotOpen) => Error::File(FileProblem::CannotOpen, e.to_string()),
            Some(ErrorCode::SystemIoFailure) => Error::File(FileProblem::Io, e.to_string()),
            _ => Error::Database(e.to_string()),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        let Some(db) = e.as_db_error() else {
            return if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) {
                Error::Unreachable(format!("lost the connection to the database server: {e}"))
            } else {
                Error::Database(e.to_string())
            };
        };
        let code = db.code();
        if code.code().starts_with("23") {
            refused(db.message())
        } else if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED {
            Error::Busy
        } else if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED {
            Error::Collision
        } else if code.code().starts_with("57P") || code.code().starts_with("08") {
            Error::Unreachable(format!("lost the connection to the database server: {}", db.message()))
        } else {
            Error::Database(db.message().to_string())
        }
    }
}

fn refused(message: &str) -> Error {
    Error::Domain(domain::Error::Conflict(format!("refused by the database: {message}")))
}

fn constraint_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_problems_are_named_with_the_file() {
        let path = Path::new("/srv/box.db");
        let say = |problem| Error::File(problem, "disk I/O error".into()).at(path).to_string();
        assert_eq!(say(FileProblem::ReadOnly), "'/srv/box.db' is read-only");
        assert_eq!(
            say(FileProblem::DiskFull),
            "disk full: cannot open '/srv/box.db' (SQLite needs space for its -shm/-wal files)"
        );
        assert!(say(FileProblem::NotADatabase).contains("is not a Ticketly database"));
        let foreign = Error::NotOurs("belongs to another application".into()).at(Path::new("notes.db"));
        assert_eq!((foreign.exit_code(), foreign.to_string()), (5, "'notes.db' belongs to another application".into()));
    }
}
