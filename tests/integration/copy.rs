//! `ticketly copy`: a theatre with every kind of history (sales, a refund, a rebooking, a hold,
//! a waiting list, a till) copied to the other engine and back gives the same answers to every
//! read command, passes the audit, and goes on selling with fresh ids.

use std::path::{Path, PathBuf};

use super::support::{Fixture, NOW, assert_error};

/// The other engine's fresh database: a PostgreSQL URL from a SQLite fixture, a file from a
/// PostgreSQL one.
fn other_engine(f: &Fixture) -> Option<PathBuf> {
    if f.is_file() { ticketly::testdb::fresh_postgres_url().map(PathBuf::from) } else { Some(f.file("copy.db")) }
}

/// What a theatre's scripts read, through the CLI.
fn answers(db: &Path, slot: i64) -> serde_json::Value {
    let run = |args: &[&str]| {
        let out = Fixture::cmd_on(db, NOW).arg("--json").args(args).output().expect("run");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON")
    };
    let id = slot.to_string();
    serde_json::json!({
        "slots": run(&["slot", "list", "--all"]),
        "show": run(&["slot", "show", &id]),
        "tickets": run(&["tickets", "--slot", &id]),
        "report": run(&["report", "--date", "2026-11-23"]),
        "waitlist": run(&["waitlist", "list"]),
        "halls": run(&["hall", "list"]),
        // The journal verifies against the copied tables, with the same chain.
        "journal": run(&["journal", "verify"]),
    })
}

#[test]
fn a_theatre_copied_to_the_other_engine_and_back_answers_the_same() {
    let (f, slot) = Fixture::with_slot();
    let Some(other) = other_engine(&f) else {
        ticketly::testdb::warn_skipped("copy::a_theatre_copied_to_the_other_engine_and_back_answers_the_same");
        return;
    };
    let small = f.add_slot("Matinee", "2026-11-23 14:00", "2026-11-23 16:00", "Small");
    f.ok(&["till", "open", "--float", "50"]);
    let sale = Fixture::codes(&f.book(slot, &["--count", "3", "--name", "Ann", "--phone", "0301234"]));
    f.ok(&["cancel", &sale[0]]);
    f.ok(&["rebook", &sale[1], "--slot", &small.to_string()]);
    f.book(small, &["--count", "10", "--pay", "card"]);
    f.book(small, &["--count", "9"]);
    f.ok(&["waitlist", "add", "--slot", &small.to_string(), "--name", "Dan", "--seats", "2"]);
    let before = answers(&f.db, slot);

    let out = f.cmd_at(NOW).args(["--json", "copy", "--to"]).arg(&other).output().expect("copy");
    assert!(out.status.success(), "copy: {}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(summary["audit"], "ok");
    assert_eq!(summary["rows"]["ticket"], 23, "{summary}");
    assert_eq!(answers(&other, slot), before, "the copy answers as its source does");

    // A second copy into the now full target is refused, and changes nothing.
    let again = f.cmd_at(NOW).args(["copy", "--to"]).arg(&other).output().expect("copy");
    let line = assert_error(&again, 4, &["copy into a full database"]);
    assert!(line.contains("not empty"), "{line}");
    assert_eq!(answers(&other, slot), before);

    // And back into a new file of the first kind: the same once more.
    let back = if f.is_file() {
        f.file("back.db")
    } else {
        ticketly::testdb::fresh_postgres_url().map(PathBuf::from).expect("url")
    };
    let out = Fixture::cmd_on(&other, NOW).args(["copy", "--to"]).arg(&back).output().expect("copy back");
    assert!(out.status.success(), "copy back: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(answers(&back, slot), before);

    // The copy sells on, with ids after the copied ones.
    let out = Fixture::cmd_on(&other, NOW)
        .args(["--json", "book", "--slot", &slot.to_string(), "--count", "2"])
        .output()
        .expect("book");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    if !f.is_file() {
        ticketly::testdb::drop_postgres_url(&back.to_string_lossy());
    } else {
        ticketly::testdb::drop_postgres_url(&other.to_string_lossy());
    }
}

#[test]
fn a_copy_that_fails_leaves_no_target_file_behind() {
    let (f, _) = Fixture::with_slot();
    let target = f.file("new.db");
    // Copying a database onto itself is refused before anything is opened.
    let same = f.cmd_at(NOW).args(["copy", "--to"]).arg(&f.db).output().expect("copy");
    assert_error(&same, 5, &["copy onto itself"]);
    // A source that fails its audit is not copied, and the new file is gone again.
    if f.is_file() {
        let conn = rusqlite::Connection::open(&f.db).expect("open");
        conn.execute_batch(
            "INSERT INTO payment (booking_id, kind, method, amount, tickets, operator, created_at)
                            SELECT id, 'sale', 'cash', 999, 0, 'x', '2026-11-23 12:00:00' FROM booking LIMIT 1;
                            INSERT INTO booking (code, slot_id, method, total, operator, created_at)
                            VALUES ('BKG-BROKEN', 1, 'cash', 0, 'x', '2026-11-23 12:00:00');",
        )
        .expect("tamper");
        drop(conn);
        let out = f.cmd_at(NOW).args(["copy", "--to"]).arg(&target).output().expect("copy");
        let line = assert_error(&out, 5, &["copy of a broken source"]);
        assert!(line.contains("fails its audit"), "{line}");
        assert!(!target.exists(), "the new file was left behind");
    }
}
