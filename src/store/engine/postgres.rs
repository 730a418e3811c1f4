//! The PostgreSQL adapter: one server shared by the counter, door and office PCs of a theatre
//! or a chain. Writes run at READ COMMITTED and lock the show's row before reading its seats
//! ([`Engine::lock_slot`]), so one show's sales are serialised while other shows sell in
//! parallel; a lock wait past the busy timeout is "busy" (exit 6). Each locked show is
//! announced with `NOTIFY ticketly, '<slot id>'`, delivered to live screens when the sale
//! commits.

use std::cell::{Cell as Counter, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Statement};

use super::values::Value;
use super::{Arg, Begin, Changes, Engine, Kind, Row, mask_password, numbered_to_dollar};
use crate::domain::model::SlotId;
use crate::store::{Error, Result, migrate};

/// The channel live screens listen on; the payload is the id of the show that changed.
/// (Named after the schema when it is not `public`, so that theatres kept in several schemas of
/// one database, and tests, do not hear each other.)
pub(crate) const CHANNEL: &str = "ticketly";

pub(crate) struct Postgres {
    client: RefCell<Client>,
    /// Prepared statements by their SQL as the operations wrote it.
    statements: RefCell<HashMap<String, Statement>>,
    depth: Counter<usize>,
    listening: Counter<bool>,
    /// The channel this database's changes are told on (see [`CHANNEL`]).
    channel: String,
}

impl Postgres {
    pub(crate) fn connect(url: &str, busy_timeout: Duration) -> Result<Postgres> {
        let masked = mask_password(url);
        let mut config: Config =
            url.parse().map_err(|e| Error::Unreachable(format!("invalid PostgreSQL URL '{masked}': {e}")))?;
        if config.get_application_name().is_none() {
            config.application_name("ticketly");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        if config.get_password().is_none()
            && let Some(password) = password_from_environment(&config)
        {
            config.password(password);
        }
        let has_password = config.get_password().is_some();
        let mut client = config.connect(NoTls).map_err(|e| {
            let why = match (e.as_db_error(), std::error::Error::source(&e)) {
                (Some(db), _) => db.message().to_string(),
                (None, Some(cause)) => format!("{e}: {cause}"),
                (None, None) if !has_password && e.to_string().contains("invalid configuration") => {
                    "the server asks for a password: give it in the URL, PGPASSWORD or ~/.pgpass".to_string()
                }
                (None, None) => e.to_string(),
            };
            Error::Unreachable(format!("cannot connect to '{masked}': {why}"))
        })?;
        // A lock held longer than the busy timeout ends the wait as "busy".
        client.batch_execute(&format!("SET lock_timeout = {}", busy_timeout.as_millis().max(1)))?;
        migrate::migrate_postgres(&mut client)?;
        let schema: String = client.query_one("SELECT current_schema()::text", &[])?.get(0);
        let channel = if schema == "public" { CHANNEL.to_string() } else { format!("{CHANNEL}_{schema}") };
        Ok(Postgres {
            channel,
            client: RefCell::new(client),
            statements: RefCell::default(),
            depth: Counter::new(0),
            listening: Counter::new(false),
        })
    }

    fn statement(&self, client: &mut Client, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(&numbered_to_dollar(sql))?;
        self.statements.borrow_mut().insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

fn values<'a>(args: &'a [&'a dyn Arg]) -> Vec<Value<'a>> {
    args.iter().map(|a| a.value()).collect()
}

fn refs<'a>(values: &'a [Value<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Engine for Postgres {
    fn kind(&self) -> Kind {
        Kind::Postgres
    }

    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<usize> {
        let client = &mut *self.client.borrow_mut();
        let statement = self.statement(client, sql)?;
        let values = values(args);
        Ok(client.execute(&statement, &refs(&values))? as usize)
    }

    fn query(&self, sql: &str, args: &[&dyn Arg], each: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let rows = {
            let client = &mut *self.client.borrow_mut();
            let statement = self.statement(client, sql)?;
            let values = values(args);
            client.query(&statement, &refs(&values))?
        };
        for row in &rows {
            each(&Row::Postgres(row))?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    fn begin(&self, how: Begin) -> Result<()> {
        let depth = self.depth.get();
        let sql = match (depth, how) {
            (0, Begin::Write) => "BEGIN ISOLATION LEVEL READ COMMITTED".to_string(),
            // One snapshot for every query of a read, as SQLite's read transaction gives.
            (0, Begin::Read) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".to_string(),
            _ => format!("SAVEPOINT s{depth}"),
        };
        self.batch(&sql)?;
        self.depth.set(depth + 1);
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        let depth = self.depth.get().saturating_sub(1);
        self.depth.set(depth);
        self.batch(&if depth > 0 { format!("RELEASE s{depth}") } else { "COMMIT".to_string() })
    }

    fn rollback(&self) -> Result<()> {
        let depth = self.depth.get().saturating_sub(1);
        self.depth.set(depth);
        if depth > 0 { self.batch(&format!("ROLLBACK TO s{depth}; RELEASE s{depth}")) } else { self.batch("ROLLBACK") }
    }

    fn lock_slot(&self, slot: SlotId) -> Result<()> {
        self.query(
            "SELECT pg_notify(?2, CAST(id AS TEXT)) FROM slot WHERE id = ?1 FOR UPDATE",
            &[&slot, &self.channel],
            &mut |_| Ok(()),
        )
    }

    fn lock_journal(&self) -> Result<()> {
        self.query("SELECT pg_advisory_xact_lock(7146343)", &[], &mut |_| Ok(()))
    }

    fn changes(&self) -> Result<Changes> {
        let client = &mut *self.client.borrow_mut();
        if !self.listening.get() {
            // Quoted: a schema's name may need it.
            client.batch_execute(&format!("LISTEN \"{}\"", self.channel.replace('"', "\"\"")))?;
            self.listening.set(true);
        }
        // Reads what the server sent, without a query. Not `iter()`: it never lets the client's
        // I/O driver see the socket become readable, so it finds only notifications already
        // read with a query's answer; waiting a millisecond lets the driver look.
        let mut shows = std::collections::BTreeSet::new();
        let mut unknown = false;
        let mut notifications = client.notifications();
        let mut arrived = notifications.timeout_iter(Duration::from_millis(1));
        while let Some(note) = arrived.next()? {
            match note.payload().parse::<SlotId>() {
                Ok(slot) => {
                    shows.insert(slot);
                }
                Err(_) => unknown = true,
            }
        }
        drop(arrived);
        drop(notifications);
        if client.is_closed() {
            return Err(Error::Unreachable("lost the connection to the database server".into()));
        }
        Ok(match (unknown, shows.is_empty()) {
            (true, _) => Changes::Unknown,
            (false, true) => Changes::Nothing,
            (false, false) => Changes::Shows(shows),
        })
    }

    fn set_bulk_load(&self, on: bool) -> Result<()> {
        self.batch(if on { "SET synchronous_commit = off" } else { "SET synchronous_commit = on" })
    }

    fn follow_ids(&self, table: &str) -> Result<()> {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        );
        self.batch(&sql)
    }

    fn integrity(&self) -> Result<(bool, String, usize)> {
        // The server checks its pages itself, and its foreign keys cannot be switched off.
        Ok((true, "ok".into(), 0))
    }

    fn explain(&self, _sql: &str) -> Result<String> {
        Err(Error::Database("query plans are pinned on SQLite only".into()))
    }
}

/// The password for `config` from `PGPASSWORD`, or from `PGPASSFILE` / `~/.pgpass` as libpq
/// reads it (`host:port:database:user:password`, `*` matches anything).
fn password_from_environment(config: &Config) -> Option<Vec<u8>> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password.into_bytes());
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let dbname = config.get_dbname().map_or_else(|| user.clone(), str::to_string);
    pgpass_lookup(&text, [&host, &port, &dbname, &user])
}

fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<Vec<u8>> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).find_map(|line| {
        let fields = split_pgpass(line);
        let [host, port, db, user, password] = fields.as_slice() else { return None };
        let matches = [host, port, db, user].iter().zip(wanted).all(|(have, want)| *have == "*" || *have == want);
        matches.then(|| password.clone().into_bytes())
    })
}

/// Splits a `.pgpass` line at unescaped colons (`\:` and `\\` are escapes).
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().into_iter().for_each(|f| f.extend(chars.next())),
            ':' => fields.push(String::new()),
            _ => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let file = "# comment\nother:5432:box:ann:nope\n*:5432:box:ann:pa\\:ss\n";
        assert_eq!(pgpass_lookup(file, ["db.local", "5432", "box", "ann"]), Some(b"pa:ss".to_vec()));
        assert_eq!(pgpass_lookup(file, ["db.local", "5433", "box", "ann"]), None);
    }
}
