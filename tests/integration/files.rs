//! What a SQLite path may turn out to be: another application's database, a folder that does
//! not exist, a directory, a file from before Ticketly marked its files. Each is named in one
//! line, and a file that is not Ticketly's is never written to. Plus two guards against
//! writing where nobody meant to: the stress tool ignores `TICKETLY_DB`, and a fixed clock is
//! announced on every command that writes.

use std::path::Path;

use assert_cmd::Command;

use super::support::{Fixture, NOW, assert_error};

fn ticketly(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ticketly").expect("the ticketly binary");
    cmd.env_remove("TICKETLY_DB")
        .env("TICKETLY_NOW", NOW)
        .env("TICKETLY_QUIET_CLOCK", "1")
        .env("TICKETLY_TIMEZONE", "UTC")
        .env("TICKETLY_CONFIG", "none")
        .env("TICKETLY_LOG", "off")
        .arg("--db")
        .arg(db);
    cmd
}

fn sqlite_pragma(db: &Path, pragma: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0)).expect("pragma")
}

fn sqlite_batch(db: &Path, sql: &str) {
    rusqlite::Connection::open(db).expect("open").execute_batch(sql).expect("batch");
}

#[test]
fn another_applications_database_is_refused_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.db");
    sqlite_batch(
        &notes,
        "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO note (text) VALUES ('milk');
         PRAGMA user_version = 3;",
    );
    let before = std::fs::read(&notes).expect("read");
    for args in [&["slot", "list"][..], &["init"], &["cinema", "add", "--name", "Rex", "--city", "Leeds"]] {
        let out = ticketly(&notes).args(args).output().expect("run");
        let line = assert_error(&out, 5, args);
        assert!(line.contains("notes.db' belongs to another application"), "{line}");
    }
    assert_eq!(std::fs::read(&notes).expect("read"), before, "not a byte changed");
    assert!(!dir.path().join("notes.db-wal").exists(), "no WAL file either");

    // An empty SQLite file with an absurd version is not taken over either.
    let odd = dir.path().join("odd.db");
    sqlite_batch(&odd, "PRAGMA user_version = -7;");
    let out = ticketly(&odd).arg("init").output().expect("run");
    assert_error(&out, 5, &["init on a negative user_version"]);
}

#[test]
fn a_ticketly_file_is_marked_and_a_file_from_before_the_mark_is_migrated_in_place() {
    let (f, slot) = Fixture::with_slot();
    if !f.is_file() {
        return;
    }
    // With a sale and an override journalled, as a theatre's file has.
    f.book(slot, &["--count", "2"]);
    f.ok(&["expire", "--at", "2026-11-25 12:00", "--force"]);
    assert_eq!(sqlite_pragma(&f.db, "application_id"), 0x5469_636b);
    assert_eq!(sqlite_pragma(&f.db, "user_version"), 11);
    // The same file as an older Ticketly left it: version 4, unmarked, no journal, no price
    // cards, and its times the theatre's wall-clock times (here a theatre in Berlin, an hour
    // ahead of UTC in November).
    sqlite_batch(
        &f.db,
        "DROP TRIGGER journal_no_edit; DROP TRIGGER journal_no_delete;
         DROP TABLE operator; DROP TABLE checkin; DROP TRIGGER ticket_type_priced; DROP TRIGGER ticket_type_priced_on_change;
         ALTER TABLE slot DROP COLUMN card; ALTER TABLE ticket DROP COLUMN ticket_type;
         ALTER TABLE payment DROP COLUMN ticket_type;
         CREATE TABLE slot_price_v4 (slot_id INTEGER NOT NULL REFERENCES slot(id), category TEXT NOT NULL,
             amount INTEGER NOT NULL CHECK (amount >= 0), PRIMARY KEY (slot_id, category)) WITHOUT ROWID;
         INSERT INTO slot_price_v4 SELECT slot_id, category, amount FROM slot_price;
         DROP TABLE slot_price; ALTER TABLE slot_price_v4 RENAME TO slot_price;
         DROP TABLE price_card; DROP TABLE ticket_type;
         DROP TABLE journal; DROP TABLE time_zone; PRAGMA user_version = 4; PRAGMA application_id = 0;",
    );
    let mut berlin = f.cmd_at("2026-11-23 12:00");
    berlin.env("TICKETLY_TIMEZONE", "Europe/Berlin").args(["--json", "slot", "show", &slot.to_string()]);
    let out = berlin.output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let show: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(show["slot"]["start"], "2026-11-23 20:00", "shown as the theatre's clocks show it, as before");
    assert_eq!(sqlite_pragma(&f.db, "application_id"), 0x5469_636b);
    assert_eq!(sqlite_pragma(&f.db, "user_version"), 11);
    let conn = rusqlite::Connection::open(&f.db).expect("open");
    let stored: (String, String) = conn
        .query_row("SELECT s.starts_at, z.converted FROM slot s, time_zone z WHERE s.id = ?1", [slot], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("read");
    assert_eq!(stored, ("2026-11-23 19:00:00".to_string(), "Europe/Berlin".to_string()), "kept as an instant in UTC");
    // The prices it had became the default type's.
    assert_eq!(show["slot"]["prices_by_type"]["Adult"], show["slot"]["prices"]);
    // Its payments were journalled by the upgrade (before its times were converted), and the
    // journal verifies against them.
    let chain = f.ok(&["journal", "verify"]);
    assert!(chain["entries"].as_i64().is_some_and(|n| n >= 1), "{chain}");
}

#[test]
fn paths_that_cannot_be_a_database_say_what_is_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-folder").join("t.db");
    let line = assert_error(&ticketly(&missing).arg("init").output().expect("run"), 5, &["init"]);
    assert!(line.contains("folder '") && line.contains("no-such-folder' does not exist"), "{line}");
    let line = assert_error(&ticketly(dir.path()).arg("init").output().expect("run"), 5, &["init"]);
    assert!(line.ends_with("' is a directory"), "{line}");
}

#[test]
fn the_stress_tool_never_writes_into_the_database_of_ticketly_db() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("theatre.db");
    let out = Command::cargo_bin("ticketly")
        .expect("binary")
        .env("TICKETLY_DB", &real)
        .env("TICKETLY_CONFIG", "none")
        .env("TICKETLY_LOG", "off")
        .args(["stress", "--procs", "1", "--attempts", "5", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!real.exists(), "the stress tool created or wrote the theatre's database");
}

#[test]
fn a_fixed_clock_is_announced_on_writes_only() {
    let f = Fixture::with_slot().0;
    let mut write = f.cmd_at(NOW);
    write.env_remove("TICKETLY_QUIET_CLOCK").args(["cinema", "add", "--name", "Odeon", "--city", "Leeds"]);
    let out = write.output().expect("run");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: TICKETLY_NOW fixes the clock at 2026-11-23 12:00"), "{stderr}");
    let mut read = f.cmd_at(NOW);
    read.env_remove("TICKETLY_QUIET_CLOCK").args(["slot", "list"]);
    let out = read.output().expect("run");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
