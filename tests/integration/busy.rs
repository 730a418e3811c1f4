//! A busy database: while another process holds the write lock, a write gives up after the busy
//! timeout with exit 6 and a one-line "database busy, try again", having written nothing; reads
//! still get through (WAL); and once the lock is gone the same command succeeds.

use std::path::{Path, PathBuf};

use super::support::{Fixture, NOW, assert_error};

/// The database file and its write-ahead log, byte for byte (`None` when absent).
fn db_bytes(db: &Path) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    (std::fs::read(db).ok(), std::fs::read(PathBuf::from(wal)).ok())
}

/// Another counter in the middle of a write: a connection holding `BEGIN IMMEDIATE`.
fn hold_write_lock(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    conn.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
    conn
}

#[test]
fn a_write_that_cannot_get_the_lock_fails_cleanly_then_succeeds_on_retry() {
    let (f, slot) = Fixture::with_slot();
    let id = slot.to_string();
    let book = ["book", "--slot", id.as_str(), "--count", "2", "--name", "Ann"];
    // Settle the write-ahead log with one read, so the "before" bytes are at rest.
    f.ok(&["slot", "list"]);

    let holder = hold_write_lock(&f.db);
    let before = db_bytes(&f.db);
    let out = f.cmd_at(NOW).env("TICKETLY_BUSY_TIMEOUT_MS", "300").arg("--json").args(book).output().expect("run");
    let line = assert_error(&out, 6, &book);
    assert!(line.contains("busy") && line.contains("try again"), "{line}");
    assert!(db_bytes(&f.db) == before, "a busy write changed the database files");

    // Readers are not blocked by the writer's lock: the schedule and the seat map still answer,
    // and show nothing sold.
    let list = f.ok(&["slot", "list"]);
    assert_eq!(list[0]["seats_free"], 20, "{list}");
    assert!(f.seats_in(slot, "booked").is_empty());
    assert_eq!(f.ok(&["tickets", "--slot", &id]).as_array().expect("tickets").len(), 0);
    assert!(db_bytes(&f.db) == before, "reads changed the database files");

    // The other counter finishes; the same command now goes through.
    holder.execute_batch("ROLLBACK").expect("release the lock");
    drop(holder);
    let out = f.cmd_at(NOW).env("TICKETLY_BUSY_TIMEOUT_MS", "300").arg("--json").args(book).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "retry failed ({:?}): {stderr}", out.status.code());
    assert!(stderr.is_empty(), "retry wrote to stderr: {stderr}");
    let sale: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(Fixture::codes(&sale).len(), 2);
    assert_eq!(f.seats_in(slot, "booked").len(), 2);
}

#[test]
fn every_kind_of_write_reports_busy_and_the_lock_holder_keeps_its_work() {
    let (f, slot) = Fixture::with_slot();
    let id = slot.to_string();
    let sale = f.book(slot, &["--seats", "A1,A2"]);
    let codes = Fixture::codes(&sale);
    f.ok(&["slot", "list"]);

    // The holder has written (uncommitted) when the others try.
    let holder = hold_write_lock(&f.db);
    holder
        .execute("UPDATE cinema SET city = 'Hamburg' WHERE name = 'Rex'", [])
        .expect("an uncommitted write of the lock holder");
    let writes: Vec<Vec<&str>> = vec![
        vec!["book", "--slot", &id, "--seats", "A3"],
        vec!["cancel", &codes[0]],
        vec!["rebook", &codes[1], "--slot", &id, "--seats", "B1"],
        vec![
            "slot",
            "add",
            "--name",
            "Y",
            "--start",
            "2026-11-24 20:00",
            "--end",
            "2026-11-24 22:00",
            "--hall",
            "Small",
            "--price",
            "9",
        ],
        vec!["hall", "add", "--name", "Other", "--rows", "1", "--seats", "4"],
        vec!["cinema", "add", "--name", "Odeon", "--city", "Bonn"],
        vec!["waitlist", "add", "--slot", &id, "--name", "Carl", "--seats", "2"],
        vec!["expire"],
    ];
    let before = db_bytes(&f.db);
    for args in &writes {
        let out = f.cmd_at(NOW).env("TICKETLY_BUSY_TIMEOUT_MS", "100").arg("--json").args(args).output().expect("run");
        let line = assert_error(&out, 6, args);
        assert!(line.contains("busy") && line.contains("try again"), "{args:?}: {line}");
    }
    assert!(db_bytes(&f.db) == before, "a busy write changed the database files");
    holder.execute_batch("COMMIT").expect("the holder commits");
    drop(holder);

    // The holder's change landed; none of the refused writes did.
    let halls = f.ok(&["hall", "list"]);
    assert_eq!(halls.as_array().expect("halls").len(), 1, "{halls}");
    assert_eq!(f.seats_in(slot, "booked"), vec!["A1".to_string(), "A2".to_string()]);
    assert_eq!(f.ok(&["waitlist", "list"]).as_array().expect("entries").len(), 0);
    assert_eq!(f.ok(&["slot", "list", "--all"]).as_array().expect("slots").len(), 1);
    let conn = rusqlite::Connection::open(&f.db).expect("open");
    let city: String =
        conn.query_row("SELECT city FROM cinema WHERE name = 'Rex'", [], |r| r.get(0)).expect("the holder's write");
    assert_eq!(city, "Hamburg");
    let cinemas: i64 = conn.query_row("SELECT count(*) FROM cinema", [], |r| r.get(0)).expect("count");
    assert_eq!(cinemas, 1);
}

#[test]
fn a_writer_waits_for_a_lock_released_within_its_timeout() {
    let (f, slot) = Fixture::with_slot();
    let id = slot.to_string();
    let holder = hold_write_lock(&f.db);
    // A generous timeout: the child waits for the lock instead of failing, however slow the
    // machine; whether it starts before or after the release, it must succeed.
    let child = f
        .process()
        .env("TICKETLY_BUSY_TIMEOUT_MS", "60000")
        .args(["--json", "book", "--slot", &id, "--count", "1"])
        .spawn()
        .expect("start ticketly");
    // Give the child a moment to reach the lock (not required for the test to hold).
    std::thread::sleep(std::time::Duration::from_millis(300));
    holder.execute_batch("ROLLBACK").expect("release the lock");
    drop(holder);
    let out = child.wait_with_output().expect("wait for ticketly");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(f.seats_in(slot, "booked").len(), 1);
}
