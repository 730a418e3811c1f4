//! The seam between the store's operations and the two database engines. Everything above it
//! (sales, holds, the waiting list, …) is written once against [`Engine`]; `sqlite.rs` and
//! `postgres.rs` supply what truly differs: connection set-up, placeholders, locking, change
//! notification, type mapping, schema and migrations, and mapping errors to exit codes.
//!
//! SQL is written once in SQLite's numbered style (`?1`, `?2`); the PostgreSQL adapter turns
//! it into `$1`, `$2` in [`numbered_to_dollar`], the one place placeholders are translated.

mod postgres;
mod sqlite;
mod sqlite_file;
mod values;

use std::path::Path;
use std::time::Duration;

pub(crate) use sqlite_file::APPLICATION_ID;
pub(crate) use values::{Arg, Cell, Column, Row, Value, args, placeholders};

use super::{Error, Result};
use crate::domain::model::SlotId;

/// Which engine a `--db` names: a `postgres://` or `postgresql://` URL, or else a SQLite path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Target {
    pub fn parse(text: &str) -> Target {
        let lower = text.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Target::Postgres(text.trim().to_string())
        } else {
            Target::Sqlite(text.into())
        }
    }

    pub fn from_path(path: &Path) -> Target {
        Target::parse(&path.to_string_lossy())
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`.
pub fn mask_password(url: &str) -> String {
    let masked = mask_user_info(url);
    match masked.split_once('?') {
        Some((base, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
        None => masked,
    }
}

fn mask_user_info(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The engine behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// What changed since a live screen last looked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Changes {
    #[default]
    Nothing,
    /// These shows changed (and, through them, the schedule).
    Shows(std::collections::BTreeSet<SlotId>),
    /// Something changed; the engine cannot say what.
    Unknown,
}

impl Changes {
    pub fn any(&self) -> bool {
        *self != Changes::Nothing
    }

    /// Whether `slot` may have changed.
    pub fn touches(&self, slot: SlotId) -> bool {
        match self {
            Changes::Nothing => false,
            Changes::Shows(slots) => slots.contains(&slot),
            Changes::Unknown => true,
        }
    }
}

/// How a transaction begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Begin {
    /// Reads that see one moment.
    Read,
    /// Writes: on SQLite the database's write lock; on PostgreSQL row locks taken as it goes.
    Write,
}

/// One connection to a Ticketly database, on either engine. Every method takes `&self`: the
/// operations pass the connection down through helpers the way they passed rusqlite's.
pub(crate) trait Engine {
    fn kind(&self) -> Kind;
    /// Runs one statement; returns the number of rows changed.
    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<usize>;
    /// Runs one query, calling `each` for every row.
    fn query(&self, sql: &str, args: &[&dyn Arg], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()>;
    /// Runs several statements without arguments (schema, test set-up).
    fn batch(&self, sql: &str) -> Result<()>;
    fn begin(&self, how: Begin) -> Result<()>;
    fn commit(&self) -> Result<()>;
    fn rollback(&self) -> Result<()>;
    /// Takes the show's lock for the rest of the transaction before its seats are read, and
    /// tells live screens that the show changed. SQLite's write lock covers the whole file
    /// already; PostgreSQL locks the slot's row, so other shows sell in parallel.
    fn lock_slot(&self, slot: SlotId) -> Result<()>;
    /// Takes the journal's lock for the rest of the transaction, so that entries are chained
    /// one after the other. SQLite's write lock is that already; PostgreSQL takes an advisory
    /// lock (the journal is written only for what the everyday rules do not cover).
    fn lock_journal(&self) -> Result<()>;
    /// What other connections (and this one) committed since the last call, for live screens:
    /// the shows they touched where the engine says (PostgreSQL's notifications), or only that
    /// something changed (SQLite's `data_version`). Never a query on PostgreSQL.
    fn changes(&self) -> Result<Changes>;
    /// For bulk loads: skip the per-commit flush until turned off again.
    fn set_bulk_load(&self, on: bool) -> Result<()>;
    /// After rows were inserted into `table` with their ids given (a copy), makes the ids the
    /// database generates next follow them. SQLite does so by itself; PostgreSQL's identity
    /// sequence must be moved on.
    fn follow_ids(&self, table: &str) -> Result<()>;
    /// (ok, first problems, foreign-key violations): the engine's own consistency check.
    fn integrity(&self) -> Result<(bool, String, usize)>;
    /// The engine's query plan of `sql`, one line a step (for the test that pins hot queries
    /// to indexes).
    fn explain(&self, sql: &str) -> Result<String>;
}

impl<'e> dyn Engine + 'e {
    /// The one row a query must return.
    pub(crate) fn query_row<T>(&self, sql: &str, args: &[&dyn Arg], map: impl Fn(&Row) -> Result<T>) -> Result<T> {
        self.query_opt(sql, args, map)?.ok_or_else(|| Error::Database("a query returned no row".into()))
    }

    /// The first row of a query, if any.
    pub(crate) fn query_opt<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        map: impl Fn(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut first = None;
        self.query(sql, args, &mut |row| {
            if first.is_none() {
                first = Some(map(row)?);
            }
            Ok(())
        })?;
        Ok(first)
    }

    /// Every row of a query.
    pub(crate) fn query_vec<T>(&self, sql: &str, args: &[&dyn Arg], map: impl Fn(&Row) -> Result<T>) -> Result<Vec<T>> {
        let mut rows = Vec::new();
        self.query(sql, args, &mut |row| {
            rows.push(map(row)?);
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first column of every row.
    pub(crate) fn column<T: Column>(&self, sql: &str, args: &[&dyn Arg]) -> Result<Vec<T>> {
        self.query_vec(sql, args, |r| r.get(0))
    }

    /// One value.
    pub(crate) fn value<T: Column>(&self, sql: &str, args: &[&dyn Arg]) -> Result<T> {
        self.query_row(sql, args, |r| r.get(0))
    }

    /// Runs an `INSERT … RETURNING id` and gives the new row's id (both engines know
    /// `RETURNING`; SQLite's `last_insert_rowid` has no PostgreSQL twin).
    pub(crate) fn insert(&self, sql: &str, args: &[&dyn Arg]) -> Result<i64> {
        self.value(sql, args)
    }
}

/// Opens a connection to `target`, set up for several processes, with the schema up to date.
/// `reading`: the caller only reads, so a SQLite file that cannot be written is opened
/// read-only instead of refused.
pub(crate) fn connect(target: &Target, busy_timeout: Duration, reading: bool) -> Result<Box<dyn Engine>> {
    match target {
        Target::Sqlite(path) => Ok(Box::new(sqlite::Sqlite::open(path, busy_timeout, reading)?)),
        Target::Postgres(url) => Ok(Box::new(postgres::Postgres::connect(url, busy_timeout)?)),
    }
}

/// A private in-memory SQLite database, for tests.
pub(crate) fn in_memory() -> Result<Box<dyn Engine>> {
    Ok(Box::new(sqlite::Sqlite::in_memory()?))
}

/// `?1` → `$1` (and a bare `?` → the next number), outside quoted text.
pub(crate) fn numbered_to_dollar(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1;
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    out.push_str(&next.to_string());
                    next += 1;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_translated_outside_quotes_only() {
        assert_eq!(
            numbered_to_dollar("SELECT ?1, ?12 WHERE a = '?1' AND b = ?2"),
            "SELECT $1, $12 WHERE a = '?1' AND b = $2"
        );
        assert_eq!(numbered_to_dollar("VALUES (?, ?)"), "VALUES ($1, $2)");
    }

    #[test]
    fn targets_and_masked_passwords() {
        assert_eq!(Target::parse("/tmp/x.db"), Target::Sqlite("/tmp/x.db".into()));
        assert!(matches!(Target::parse("postgresql://h/db"), Target::Postgres(_)));
        assert!(matches!(Target::parse("POSTGRES://h/db"), Target::Postgres(_)));
        assert_eq!(mask_password("postgres://ann:s3cret@db.local:5432/box"), "postgres://ann:***@db.local:5432/box");
        assert_eq!(mask_password("postgres://ann@db.local/box"), "postgres://ann@db.local/box");
        assert_eq!(mask_password("postgres://ann:p@ss@h/db?x=1"), "postgres://ann:***@h/db?x=1");
        assert_eq!(mask_password("postgres://ann@h/db?x=1&password=leak"), "postgres://ann@h/db?x=1&password=***");
        assert_eq!(mask_password("/tmp/a?b.db"), "/tmp/a?b.db");
    }
}
