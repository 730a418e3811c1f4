//! Schema versions, kept in `PRAGMA user_version`. Version 1 is `schema.sql`; each later version
//! is a step in `migrations/`. Runs in one immediate transaction, so two processes opening a new
//! file at once do not both create it.

use rusqlite::{Connection, TransactionBehavior};

use super::{Error, Result};
use crate::domain;

/// The schema this program writes and understands.
pub const SCHEMA_VERSION: i64 = 4;

/// Step N brings a database from version N-1 to N.
const STEPS: [&str; 4] = [
    include_str!("../../schema.sql"),
    include_str!("migrations/002_waitlist.sql"),
    include_str!("migrations/003_till.sql"),
    include_str!("migrations/004_hot_paths.sql"),
];

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::Domain(domain::Error::Invalid(format!(
            "the database has schema version {version}, newer than this program's {SCHEMA_VERSION}: upgrade Ticketly"
        ))));
    }
    for (index, step) in STEPS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
