//! The fixture every CLI test starts from: a temporary database driven through the real
//! `ticketly` binary with a fixed clock (`TICKETLY_NOW`) and operator, and helpers that check
//! the contract's promises about output and errors.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

use super::ENGINE;
use crate::Engine;

/// The fixed "now" of every command unless a test says otherwise.
pub const NOW: &str = "2026-11-23 12:00";
/// The default slot: Avatar in the small hall, tonight.
pub const START: &str = "2026-11-23 20:00";
pub const END: &str = "2026-11-23 22:00";
/// Prices of the default slot, in cents: row A is Regular, row B Premium.
pub const REGULAR: i64 = 950;
pub const PREMIUM: i64 = 1200;

/// A temporary database and the commands that drive it: a file in a temporary directory on
/// SQLite, a fresh schema on the test server on PostgreSQL (`db` then holds its URL).
pub struct Fixture {
    dir: TempDir,
    pub db: PathBuf,
    postgres: bool,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if self.postgres {
            ticketly::testdb::drop_postgres_url(&self.db.to_string_lossy());
        }
    }
}

/// A fresh database target for this copy of the suite's engine: a path or a URL. Without a
/// PostgreSQL server (and without `TICKETLY_REQUIRE_PG`, which makes that a failure) the
/// PostgreSQL copy says loudly that it skipped its engine and runs on SQLite.
pub fn fresh_target(dir: &Path) -> (PathBuf, bool) {
    if ENGINE == Engine::Postgres {
        if let Some(url) = ticketly::testdb::fresh_postgres_url() {
            return (PathBuf::from(url), true);
        }
        ticketly::testdb::warn_skipped(std::thread::current().name().unwrap_or("a test"));
    }
    (dir.join("t.db"), false)
}

impl Fixture {
    /// A temporary directory and a database in it (or a fresh PostgreSQL schema); nothing
    /// created yet on SQLite.
    pub fn empty() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let (db, postgres) = fresh_target(dir.path());
        Fixture { dir, db, postgres }
    }

    /// Whether this fixture's database is a SQLite file.
    pub fn is_file(&self) -> bool {
        !self.postgres
    }

    /// A path for a file beside the database (imports, exports, printed tickets).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// An initialised database with one cinema.
    pub fn new() -> Fixture {
        let f = Fixture::empty();
        f.ok(&["init"]);
        f.ok(&["cinema", "add", "--name", "Rex", "--city", "Berlin"]);
        f
    }

    /// Plus hall "Small": rows A (Regular) and B (Premium) of 10 seats each, 20 in all.
    pub fn with_hall() -> Fixture {
        let f = Fixture::new();
        f.ok(&["hall", "add", "--name", "Small", "--rows", "2", "--seats", "10", "--premium-rows", "B"]);
        f
    }

    /// Plus the slot "Avatar" tonight in hall Small (Regular 9.50, Premium 12); returns its id.
    pub fn with_slot() -> (Fixture, i64) {
        let f = Fixture::with_hall();
        let id = f.add_slot("Avatar", START, END, "Small");
        (f, id)
    }

    /// The binary with the fixed clock `now`, the operator, and this database.
    pub fn cmd_at(&self, now: &str) -> Command {
        Fixture::cmd_on(&self.db, now)
    }

    /// The binary as a plain process (to spawn and wait for, or to run many at once), set up
    /// like [`Fixture::cmd_at`] at [`NOW`], with piped output.
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ticketly"));
        cmd.env_remove("TICKETLY_DB")
            .env("TICKETLY_CONFIG", "none")
            .env("TICKETLY_LOG", "off")
            .env("TICKETLY_NOW", NOW)
            .env("TICKETLY_QUIET_CLOCK", "1")
            .env("TICKETLY_TIMEZONE", "UTC")
            .env("TICKETLY_OPERATOR", "till1")
            .arg("--db")
            .arg(&self.db)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    /// The same, on another database (a copy).
    pub fn cmd_on(db: &Path, now: &str) -> Command {
        let mut cmd = Command::cargo_bin("ticketly").expect("the ticketly binary");
        cmd.env_remove("TICKETLY_DB")
            .env("TICKETLY_NOW", now)
            .env("TICKETLY_QUIET_CLOCK", "1")
            .env("TICKETLY_TIMEZONE", "UTC")
            .env("TICKETLY_OPERATOR", "till1")
            .env("TICKETLY_CONFIG", "none")
            .env("TICKETLY_LOG", "off")
            .env("RUST_BACKTRACE", "1")
            .arg("--db")
            .arg(db);
        cmd
    }

    /// `args` with `--json` at `now`, whatever the outcome.
    pub fn run_at(&self, now: &str, args: &[&str]) -> Output {
        self.cmd_at(now).arg("--json").args(args).output().expect("run ticketly")
    }

    /// `args` with `--json` at `now`: must succeed with one JSON document and a quiet stderr.
    pub fn ok_at(&self, now: &str, args: &[&str]) -> Value {
        let out = self.run_at(now, args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?} failed ({:?}): {stderr}", out.status.code());
        assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {stdout}"))
    }

    pub fn ok(&self, args: &[&str]) -> Value {
        self.ok_at(NOW, args)
    }

    /// `args` at `now` must fail with exit `code`, an empty stdout, and one line on stderr
    /// without a panic or backtrace. Returns that line.
    pub fn fails_at(&self, now: &str, args: &[&str], code: i32) -> String {
        let out = self.run_at(now, args);
        assert_error(&out, code, args)
    }

    pub fn fails(&self, args: &[&str], code: i32) -> String {
        self.fails_at(NOW, args, code)
    }

    /// Schedules a slot priced Regular 9.50 / Premium 12 and returns its id.
    pub fn add_slot(&self, name: &str, start: &str, end: &str, hall: &str) -> i64 {
        let v = self.ok(&[
            "slot",
            "add",
            "--name",
            name,
            "--start",
            start,
            "--end",
            end,
            "--hall",
            hall,
            "--price",
            "Regular=9.50",
            "--price",
            "Premium=12",
        ]);
        v["id"].as_i64().expect("slot id")
    }

    /// `book --slot ID` plus `extra` (`--count N` or `--seats …`, name, pay…).
    pub fn book(&self, slot: i64, extra: &[&str]) -> Value {
        let id = slot.to_string();
        let mut args = vec!["book", "--slot", id.as_str()];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// The codes of a `book` answer's tickets.
    pub fn codes(sale: &Value) -> Vec<String> {
        sale["tickets"]
            .as_array()
            .expect("tickets array")
            .iter()
            .map(|t| t["id"].as_str().expect("ticket id").to_string())
            .collect()
    }

    /// The slot's seat map as (seat, status) pairs.
    pub fn seat_statuses(&self, slot: i64) -> Vec<(String, String)> {
        let show = self.ok(&["slot", "show", &slot.to_string()]);
        show["seats"]
            .as_array()
            .expect("seats array")
            .iter()
            .map(|s| (s["seat"].as_str().expect("seat").to_string(), s["status"].as_str().expect("status").to_string()))
            .collect()
    }

    /// Labels of the slot's seats in `status`.
    pub fn seats_in(&self, slot: i64, status: &str) -> Vec<String> {
        self.seat_statuses(slot).into_iter().filter(|(_, s)| s == status).map(|(seat, _)| seat).collect()
    }

    /// Everything a failed command must leave as it was, seen through the CLI: the slot's seat
    /// map and live tickets, the schedule, and today's takings.
    pub fn snapshot(&self, slot: i64) -> Value {
        let id = slot.to_string();
        serde_json::json!({
            "show": self.ok(&["slot", "show", &id]),
            "tickets": self.ok(&["tickets", "--slot", &id]),
            "schedule": self.ok(&["slot", "list", "--all"]),
            "report": self.ok(&["report"]),
        })
    }
}

/// Checks the contract for a failed command: exit `code`, nothing on stdout, exactly one line
/// on stderr, no panic or backtrace. Returns the line.
pub fn assert_error(out: &Output, code: i32, what: &[&str]) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{what:?}: wrong exit code; stderr: {stderr}");
    assert!(stdout.is_empty(), "{what:?}: a failed command printed to stdout: {stdout}");
    assert!(!stderr.contains("panicked") && !stderr.contains("stack backtrace"), "{what:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{what:?}: stderr is not one line: {stderr:?}");
    assert!(stderr.starts_with("ticketly: "), "{what:?}: unexpected message {stderr:?}");
    stderr.trim_end().to_string()
}

/// The shipped layout files.
pub fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets").join(name)
}

/// The keys `value` must have (an object).
pub fn assert_keys(value: &Value, keys: &[&str]) {
    let obj = value.as_object().unwrap_or_else(|| panic!("not an object: {value}"));
    for key in keys {
        assert!(obj.contains_key(*key), "missing key '{key}' in {value}");
    }
}
