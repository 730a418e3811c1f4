//! Ticketly's test suite, one binary: the real `ticketly` binary driven through every command
//! and error class of the CLI contract, the seed service's defects, crash and concurrency
//! trials, and a property test of the store's invariants. The same tests run on both engines
//! (`sqlite.rs` and `postgres.rs` include them with the fixture set to their engine); what
//! only a SQLite file has (its lock, its bytes on disk, its query plans) runs on SQLite only.

// Each engine's module includes the same test files on purpose: one suite, two engines.
#![allow(clippy::duplicate_mod)]

mod postgres;
mod sqlite;

/// The engine a copy of the suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}
