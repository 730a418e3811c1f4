//! The SQLite adapter: one file shared by the counters of one machine. WAL so counters read
//! while one writes, `synchronous=FULL` so a sale survives power loss, foreign keys on, and
//! every write an immediate transaction (in WAL a deferred read-then-write transaction fails
//! as busy instead of waiting for the lock).

use std::cell::Cell as Counter;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, params_from_iter};

use super::values::Value;
use super::{Arg, Begin, Changes, Engine, Kind, Row, sqlite_file};
use crate::domain::model::SlotId;
use crate::store::error::FileProblem;
use crate::store::{Error, Result, migrate};

pub(crate) struct Sqlite {
    conn: Connection,
    busy_timeout: Duration,
    /// How deep in transactions we are: 0 outside, 1 in one, more in savepoints.
    depth: Counter<usize>,
    /// `PRAGMA data_version` when [`Engine::changes`] last looked.
    data_version: Counter<Option<i64>>,
}

impl Sqlite {
    /// Opens (creating it if missing) the file at `path` for reading and writing. With
    /// `read_only_fallback`, a file that cannot be written (read-only, or a full disk where
    /// SQLite cannot make its -shm/-wal files) is opened read-only instead, for commands that
    /// only read; it must then be at this program's schema version already.
    pub(crate) fn open(path: &Path, busy_timeout: Duration, read_only_fallback: bool) -> Result<Sqlite> {
        sqlite_file::check_path(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::open(path, e))?;
        let setup = Sqlite::setup(conn, busy_timeout).map_err(|e| match e {
            Error::File(FileProblem::Io, reason) if sqlite_file::disk_is_full(path) => {
                Error::File(FileProblem::DiskFull, reason)
            }
            other => other,
        });
        match setup {
            Err(first @ Error::File(FileProblem::ReadOnly | FileProblem::DiskFull | FileProblem::CannotOpen, _))
                if read_only_fallback && path.exists() =>
            {
                // Where SQLite cannot read either (a WAL file on a full disk needs its -shm
                // file), the first problem is the one to tell.
                Sqlite::open_read_only(path, busy_timeout).map_err(|e| match e {
                    Error::File(..) | Error::Unusable(_) => first.at(path),
                    other => other.at(path),
                })
            }
            other => other.map_err(|e| e.at(path)),
        }
    }

    fn open_read_only(path: &Path, busy_timeout: Duration) -> Result<Sqlite> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(busy_timeout)?;
        let version = sqlite_file::schema_version(&conn)?;
        if version != migrate::SCHEMA_VERSION {
            return Err(Error::Unusable(format!(
                "'{}' cannot be written, and its schema (version {version}) must be upgraded before use",
                path.display()
            )));
        }
        Ok(Sqlite { conn, busy_timeout, depth: Counter::new(0), data_version: Counter::new(None) })
    }

    pub(crate) fn in_memory() -> Result<Sqlite> {
        Sqlite::setup(Connection::open_in_memory()?, crate::store::BUSY_TIMEOUT)
    }

    fn setup(conn: Connection, busy_timeout: Duration) -> Result<Sqlite> {
        conn.busy_timeout(busy_timeout)?;
        // Before anything is written (WAL mode writes the header): is the file ours?
        let version = sqlite_file::schema_version(&conn)?;
        // Every statement of a sale stays prepared between sales (rusqlite keeps 16 by default).
        conn.set_prepared_statement_cache_capacity(64);
        // journal_mode answers with a row.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let db = Sqlite { conn, busy_timeout, depth: Counter::new(0), data_version: Counter::new(None) };
        if version != migrate::SCHEMA_VERSION {
            migrate::migrate_sqlite(&db.conn)?;
        }
        Ok(db)
    }

    /// `BEGIN IMMEDIATE`, trying again every millisecond or so (with jitter) until the busy
    /// timeout. Not with SQLite's own wait: it sleeps up to 100 ms between tries, so when
    /// counters write back to back a waiting one loses every try to writers that come back
    /// within microseconds, and starves past the timeout (the stress tool saw 5-second waits
    /// end as busy at 8 processes).
    fn begin_immediate(&self) -> Result<()> {
        let deadline = Instant::now() + self.busy_timeout;
        self.conn.busy_timeout(Duration::ZERO)?;
        let began = loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Err(e) if is_busy(&e) && Instant::now() < deadline => {
                    let jitter = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos() % 1000);
                    std::thread::sleep(Duration::from_micros(500 + u64::from(jitter)));
                }
                other => break other,
            }
        };
        self.conn.busy_timeout(self.busy_timeout)?;
        Ok(began?)
    }

    fn bind<'a>(args: &'a [&'a dyn Arg]) -> impl Iterator<Item = Value<'a>> + 'a {
        args.iter().map(|a| a.value())
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

impl Engine for Sqlite {
    fn kind(&self) -> Kind {
        Kind::Sqlite
    }

    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<usize> {
        Ok(self.conn.prepare_cached(sql)?.execute(params_from_iter(Sqlite::bind(args)))?)
    }

    fn query(&self, sql: &str, args: &[&dyn Arg], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params_from_iter(Sqlite::bind(args)))?;
        while let Some(row) = rows.next()? {
            each(&Row::Sqlite(row))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn begin(&self, how: Begin) -> Result<()> {
        let depth = self.depth.get();
        if depth > 0 {
            self.conn.execute_batch(&format!("SAVEPOINT s{depth}"))?;
        } else if how == Begin::Write {
            self.begin_immediate()?;
        } else {
            self.conn.execute_batch("BEGIN DEFERRED")?;
        }
        self.depth.set(depth + 1);
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        let depth = self.depth.get().saturating_sub(1);
        let sql = if depth > 0 { format!("RELEASE s{depth}") } else { "COMMIT".to_string() };
        match self.conn.execute_batch(&sql) {
            Ok(()) => {
                self.depth.set(depth);
                Ok(())
            }
            Err(e) => {
                // A commit that failed leaves the transaction open: end it, so the next one
                // can begin (as a dropped rusqlite transaction did).
                let _ = self.rollback();
                Err(e.into())
            }
        }
    }

    fn rollback(&self) -> Result<()> {
        let depth = self.depth.get().saturating_sub(1);
        self.depth.set(depth);
        if depth > 0 {
            self.conn.execute_batch(&format!("ROLLBACK TO s{depth}; RELEASE s{depth}"))?;
        } else if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }

    fn lock_slot(&self, _slot: SlotId) -> Result<()> {
        // BEGIN IMMEDIATE took the whole file's write lock; `data_version` tells other screens.
        Ok(())
    }

    fn lock_journal(&self) -> Result<()> {
        Ok(())
    }

    fn changes(&self) -> Result<Changes> {
        // data_version moves when another connection commits; which shows it touched, SQLite
        // cannot say. Our own commits the screens re-read themselves.
        let version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let changed = self.data_version.replace(Some(version)).is_some_and(|seen| seen != version);
        Ok(if changed { Changes::Unknown } else { Changes::Nothing })
    }

    fn set_bulk_load(&self, on: bool) -> Result<()> {
        // A large page cache meanwhile keeps the index pages of a big load in memory.
        self.conn.pragma_update(None, "synchronous", if on { "OFF" } else { "FULL" })?;
        self.conn.pragma_update(None, "cache_size", if on { -262_144 } else { -2_000 })?;
        Ok(())
    }

    fn follow_ids(&self, _table: &str) -> Result<()> {
        // An INTEGER PRIMARY KEY takes max(id) + 1 next.
        Ok(())
    }

    fn integrity(&self) -> Result<(bool, String, usize)> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let found: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let ok = found.len() == 1 && found[0] == "ok";
        let problems = found.into_iter().take(5).collect::<Vec<_>>().join("; ");
        let foreign_key_violations = self.conn.prepare("PRAGMA foreign_key_check")?.query_map([], |_| Ok(()))?.count();
        Ok((ok, problems, foreign_key_violations))
    }

    fn explain(&self, sql: &str) -> Result<String> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        // Parameters stay unbound (NULL): the plan does not depend on their values.
        let mut rows = stmt.raw_query();
        let mut lines = Vec::new();
        while let Some(row) = rows.next()? {
            lines.push(row.get::<_, String>(3)?);
        }
        Ok(lines.join("\n"))
    }
}
