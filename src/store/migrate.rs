//! Schema versions. SQLite keeps its version in `PRAGMA user_version` (and marks the file as
//! Ticketly's in `PRAGMA application_id`): version 1 is `schema.sql`, each later version a step
//! in `migrations/`. PostgreSQL starts from `schema.postgres.sql` (version 4, where PostgreSQL
//! support began), keeps its version in the `ticketly_schema` row, and takes the later steps
//! from `migrations/postgres/`. Each runs in one transaction, so two
//! processes opening a new database at once do not both create it.

use super::engine::APPLICATION_ID;
use super::{Error, Result};
use crate::domain;

/// The schema this program writes and understands.
pub const SCHEMA_VERSION: i64 = 11;

/// Step N brings a SQLite database from version N-1 to N.
const SQLITE_STEPS: [&str; 11] = [
    include_str!("../../schema.sql"),
    include_str!("migrations/002_waitlist.sql"),
    include_str!("migrations/003_till.sql"),
    include_str!("migrations/004_hot_paths.sql"),
    include_str!("migrations/005_journal_and_overlaps.sql"),
    include_str!("migrations/006_instants.sql"),
    include_str!("migrations/007_price_cards.sql"),
    include_str!("migrations/008_door.sql"),
    include_str!("migrations/009_operators.sql"),
    include_str!("migrations/010_journal_chain.sql"),
    include_str!("migrations/011_journal_tickets.sql"),
];

/// The whole PostgreSQL schema at version [`POSTGRES_BASE`] (PostgreSQL support began there).
const POSTGRES_SCHEMA: &str = include_str!("../../schema.postgres.sql");
const POSTGRES_BASE: i64 = 4;
/// Step N brings a PostgreSQL database from version N-1 to N, for N after the base.
const POSTGRES_STEPS: [&str; 7] = [
    include_str!("migrations/postgres/005_journal.sql"),
    include_str!("migrations/postgres/006_instants.sql"),
    include_str!("migrations/postgres/007_price_cards.sql"),
    include_str!("migrations/postgres/008_door.sql"),
    include_str!("migrations/postgres/009_operators.sql"),
    include_str!("migrations/postgres/010_journal_chain.sql"),
    include_str!("migrations/postgres/011_journal_tickets.sql"),
];

/// A database created at this version never held wall-clock times: nothing to convert.
const CREATED_WITH_INSTANTS: &str = "UPDATE time_zone SET converted = 'UTC' WHERE id = 1";

/// Brings a Ticketly SQLite file (or a new, empty one) up to [`SCHEMA_VERSION`] and marks it
/// as Ticketly's with `PRAGMA application_id`, in one transaction. The caller has checked that
/// the file is not another application's.
pub(crate) fn migrate_sqlite(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let steps = (|| {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        check_not_newer(version)?;
        for (index, step) in SQLITE_STEPS.iter().enumerate().skip(version.max(0) as usize) {
            let reached = index as i64 + 1;
            conn.execute_batch(step).map_err(|e| failed_step(version, reached, &e.to_string()))?;
            conn.pragma_update(None, "user_version", reached)?;
        }
        if version == 0 {
            conn.execute_batch(CREATED_WITH_INSTANTS)?;
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        Ok(())
    })();
    match steps {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// One line, not the schema text a failed step may quote.
fn failed_step(from: i64, to: i64, reason: &str) -> Error {
    let first = reason.lines().next().unwrap_or_default();
    let short: String = first.chars().take(120).collect();
    Error::Database(format!("cannot upgrade the database from schema version {from} to {to}: {short}"))
}

pub(crate) fn migrate_postgres(client: &mut postgres::Client) -> Result<()> {
    let mut tx = client.transaction()?;
    // Processes that find no schema wait here for the one creating it (released at commit).
    tx.batch_execute("SELECT pg_advisory_xact_lock(7146342)")?;
    let exists: bool = tx.query_one("SELECT to_regclass('ticketly_schema') IS NOT NULL", &[])?.get(0);
    if !exists && let Err(e) = tx.batch_execute(POSTGRES_SCHEMA) {
        let denied = e.as_db_error().is_some_and(|d| d.message().contains("extension \"btree_gist\""));
        return Err(if denied {
            Error::Database(
                "the database needs the btree_gist extension: run 'CREATE EXTENSION btree_gist' in it as its owner \
                 or a superuser"
                    .into(),
            )
        } else {
            e.into()
        });
    }
    let version: i64 = tx.query_one("SELECT version FROM ticketly_schema WHERE id = 1", &[])?.get(0);
    check_not_newer(version)?;
    let created = !exists;
    for (index, step) in POSTGRES_STEPS.iter().enumerate().skip((version - POSTGRES_BASE).max(0) as usize) {
        let reached = POSTGRES_BASE + index as i64 + 1;
        tx.batch_execute(step).map_err(|e| failed_step(reached - 1, reached, &Error::from(e).to_string()))?;
        tx.execute("UPDATE ticketly_schema SET version = $1 WHERE id = 1", &[&reached])?;
    }
    if created {
        tx.batch_execute(CREATED_WITH_INSTANTS)?;
    }
    tx.commit()?;
    Ok(())
}

fn check_not_newer(version: i64) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(Error::Domain(domain::Error::Invalid(format!(
            "the database has schema version {version}, newer than this program's {SCHEMA_VERSION}: upgrade Ticketly"
        ))));
    }
    Ok(())
}
