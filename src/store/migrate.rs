//! Schema versions. SQLite keeps its version in `PRAGMA user_version`: version 1 is
//! `schema.sql`, each later version a step in `migrations/`. PostgreSQL starts at the current
//! version from `schema.postgres.sql` and keeps it in the `ticketly_schema` row; a later
//! version adds a numbered step for each engine. Each runs in one transaction, so two
//! processes opening a new database at once do not both create it.

use super::{Error, Result};
use crate::domain;

/// The schema this program writes and understands.
pub const SCHEMA_VERSION: i64 = 4;

/// Step N brings a SQLite database from version N-1 to N.
const SQLITE_STEPS: [&str; 4] = [
    include_str!("../../schema.sql"),
    include_str!("migrations/002_waitlist.sql"),
    include_str!("migrations/003_till.sql"),
    include_str!("migrations/004_hot_paths.sql"),
];

/// The whole PostgreSQL schema at [`SCHEMA_VERSION`].
const POSTGRES_SCHEMA: &str = include_str!("../../schema.postgres.sql");

pub(crate) fn migrate_sqlite(conn: &rusqlite::Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let steps = (|| {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        check_not_newer(version)?;
        for (index, step) in SQLITE_STEPS.iter().enumerate().skip(version.max(0) as usize) {
            conn.execute_batch(step)?;
            conn.pragma_update(None, "user_version", index as i64 + 1)?;
        }
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

pub(crate) fn migrate_postgres(client: &mut postgres::Client) -> Result<()> {
    let mut tx = client.transaction()?;
    // Processes that find no schema wait here for the one creating it (released at commit).
    tx.batch_execute("SELECT pg_advisory_xact_lock(7146342)")?;
    let exists: bool = tx.query_one("SELECT to_regclass('ticketly_schema') IS NOT NULL", &[])?.get(0);
    if exists {
        let version: i64 = tx.query_one("SELECT version FROM ticketly_schema WHERE id = 1", &[])?.get(0);
        check_not_newer(version)?;
    } else if let Err(e) = tx.batch_execute(POSTGRES_SCHEMA) {
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
