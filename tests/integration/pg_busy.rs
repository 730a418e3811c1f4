//! A busy show on PostgreSQL: while another counter's transaction holds a show's row lock, a
//! sale into that show gives up after the busy timeout with exit 6 and "try again", having
//! written nothing, while a sale into another show goes through at once (shows lock their own
//! rows, not the database); and a writer whose lock comes free within its timeout succeeds.

use super::support::{Fixture, NOW, assert_error};

/// Another counter mid-sale on `slot`: a transaction holding the show's row lock.
fn hold_show(f: &Fixture, slot: i64) -> postgres::Client {
    let mut client = postgres::Client::connect(&f.db.to_string_lossy(), postgres::NoTls).expect("connect");
    client.batch_execute(&format!("BEGIN; SELECT id FROM slot WHERE id = {slot} FOR UPDATE")).expect("lock the show");
    client
}

#[test]
fn a_locked_show_refuses_as_busy_while_other_shows_sell_then_sells_once_free() {
    let (f, avatar) = Fixture::with_slot();
    if f.is_file() {
        return ticketly::testdb::warn_skipped("pg_busy::a_locked_show_refuses_as_busy");
    }
    f.ok(&["hall", "add", "--name", "Big", "--rows", "3", "--seats", "10"]);
    let dune = f.add_slot("Dune", "2026-11-23 20:00", "2026-11-23 22:30", "Big");
    let mut holder = hold_show(&f, avatar);
    let before = f.snapshot(avatar);
    let book = |slot: i64| {
        f.cmd_at(NOW)
            .env("TICKETLY_BUSY_TIMEOUT_MS", "300")
            .args(["--json", "book", "--slot", &slot.to_string(), "--count", "2"])
            .output()
            .expect("run")
    };
    let line = assert_error(&book(avatar), 6, &["book into the locked show"]);
    assert!(line.contains("busy") && line.contains("try again"), "{line}");
    assert_eq!(f.snapshot(avatar), before, "a busy sale wrote something");
    let other = book(dune);
    assert!(other.status.success(), "another show sells meanwhile: {}", String::from_utf8_lossy(&other.stderr));
    holder.batch_execute("ROLLBACK").expect("release");
    drop(holder);
    assert!(book(avatar).status.success(), "once the lock is gone the same sale goes through");
    assert_eq!(f.seats_in(avatar, "booked").len(), 2);
}

#[test]
fn a_writer_waits_for_a_show_lock_released_within_its_timeout() {
    let (f, slot) = Fixture::with_slot();
    if f.is_file() {
        return ticketly::testdb::warn_skipped("pg_busy::a_writer_waits_for_a_show_lock");
    }
    let mut holder = hold_show(&f, slot);
    let child = f
        .process()
        .env("TICKETLY_BUSY_TIMEOUT_MS", "60000")
        .args(["--json", "book", "--slot", &slot.to_string(), "--count", "1"])
        .spawn()
        .expect("start ticketly");
    std::thread::sleep(std::time::Duration::from_millis(300));
    holder.batch_execute("ROLLBACK").expect("release");
    drop(holder);
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(f.seats_in(slot, "booked").len(), 1);
}
