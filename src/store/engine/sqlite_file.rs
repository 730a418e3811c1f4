//! What a SQLite path is, found out before anything is written to it: a folder that does not
//! exist, a directory, or another application's database are refused with a line that says so,
//! and the file is left exactly as it was (opening in WAL mode would already change it).

use std::path::Path;

use rusqlite::Connection;

use crate::domain;
use crate::store::migrate::SCHEMA_VERSION;
use crate::store::{Error, Result};

/// `PRAGMA application_id` of a Ticketly database: "Tick" in ASCII.
pub(crate) const APPLICATION_ID: i64 = 0x5469_636b;

/// Refuses a path SQLite could not open or should not create, before it tries.
pub(super) fn check_path(path: &Path) -> Result<()> {
    let invalid = |message: String| Err(Error::Domain(domain::Error::Invalid(message)));
    if path.is_dir() {
        return invalid(format!("'{}' is a directory", path.display()));
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder
        && !folder.is_dir()
    {
        return invalid(format!("folder '{}' does not exist", folder.display()));
    }
    Ok(())
}

/// SQLite reports a full disk while opening (it cannot size its -shm file) as a plain I/O
/// error; a small probe write beside the database tells the two apart.
pub(super) fn disk_is_full(path: &Path) -> bool {
    let probe = path.with_extension("space-probe");
    let wrote = std::fs::write(&probe, [0u8; 64 * 1024]);
    let _ = std::fs::remove_file(&probe);
    matches!(wrote, Err(e) if e.kind() == std::io::ErrorKind::StorageFull)
}

/// Whose the file is: Ticketly's (`Some(version)`), new and empty (`Some(0)`), or, as an
/// [`Error::NotOurs`], another application's.
pub(super) fn schema_version(conn: &Connection) -> Result<i64> {
    let application: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
    let ticketly_tables: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('slot', 'booking', 'ticket', 'payment')",
        [],
        |r| r.get(0),
    )?;
    let known = 1..=SCHEMA_VERSION;
    match application {
        APPLICATION_ID if known.contains(&version) => Ok(version),
        // A later Ticketly wrote it: says so (migrate refuses it with "upgrade Ticketly").
        APPLICATION_ID if version > SCHEMA_VERSION && version < 1000 => Ok(version),
        APPLICATION_ID => {
            Err(Error::NotOurs(format!("has an unknown schema version {version}: not a Ticketly database")))
        }
        // Written before Ticketly marked its files: its own tables and a version it wrote.
        0 if objects == 0 && version == 0 => Ok(0),
        0 if ticketly_tables == 4 && known.contains(&version) => Ok(version),
        _ => Err(Error::NotOurs("belongs to another application".into())),
    }
}
