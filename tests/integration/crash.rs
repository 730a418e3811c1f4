//! Crash safety: a counter killed with SIGKILL at a random point (mid-sale, mid-hold, mid-commit)
//! leaves a database that passes `PRAGMA integrity_check` and every invariant, and that the
//! next counter can sell from at once. Twenty kills, a few seconds in all. Unix only (SIGKILL).

#![cfg(unix)]

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use ticketly::store::Store;
use ticketly::stress::{self, Rng};

use super::support::{Fixture, assert_error};

const KILLS: u64 = 20;

/// The binary without a fixed clock: the stress slots are scheduled from the real one.
fn ticketly(f: &Fixture) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ticketly"));
    cmd.env_remove("TICKETLY_DB")
        .env("TICKETLY_CONFIG", "none")
        .env("TICKETLY_LOG", "off")
        .env_remove("TICKETLY_NOW")
        .env("TICKETLY_OPERATOR", "crash")
        .arg("--db")
        .arg(&f.db);
    cmd
}

fn worker(f: &Fixture, slots: &str, attempts: u64, seed: u64) -> Command {
    let mut cmd = ticketly(f);
    cmd.args(["stress-worker", "--slots", slots, "--attempts", &attempts.to_string()]).args([
        "--seed",
        &seed.to_string(),
        "--id",
        &seed.to_string(),
    ]);
    cmd
}

#[test]
fn a_counter_killed_at_any_moment_leaves_a_sound_database() {
    let f = Fixture::empty();
    let now = ticketly::domain::time::now();
    // The workers fight over two slots; the third is the control the check sells into.
    let ids = stress::setup(&mut Store::open(&f.db).expect("open"), now, 3).expect("setup");
    let contested = format!("{},{}", ids[0], ids[1]);
    let control = ids[2].to_string();
    let mut rng = Rng::new(42);
    for round in 0..KILLS {
        // Far more attempts than it can make before the kill: it is always killed mid-run.
        let mut child =
            worker(&f, &contested, 10_000_000, round).stdout(Stdio::null()).spawn().expect("start the worker");
        std::thread::sleep(Duration::from_millis(rng.between(5, 80)));
        child.kill().expect("SIGKILL the worker");
        let status = child.wait().expect("reap the worker");
        assert_eq!(status.signal(), Some(9), "round {round}: the worker ended before it was killed: {status}");

        let audit = Store::open(&f.db).expect("open after the kill").audit().expect("audit");
        assert!(audit.integrity_ok, "round {round}: {}", audit.integrity);
        assert!(audit.ok(), "round {round}: {:?}\n{audit:#?}", audit.problems());

        // A normal counter sells and refunds at once, without waiting for anything.
        let out = ticketly(&f).args(["--json", "book", "--slot", &control, "--count", "1"]).output().expect("book");
        assert_eq!(out.status.code(), Some(0), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        let sale: Value = serde_json::from_slice(&out.stdout).expect("book JSON");
        let booking = sale["booking"].as_str().expect("booking");
        let out = ticketly(&f).args(["--json", "cancel", booking]).output().expect("cancel");
        assert_eq!(out.status.code(), Some(0), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The contested slots, with whatever holds the dead counters left, still sell: a worker
    // runs to the end with every attempt ok or a conflict, and `expire` releases the holds.
    let out = worker(&f, &contested, 200, 99).output().expect("run a worker to the end");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: stress::WorkerReport = serde_json::from_slice(&out.stdout).expect("worker report");
    let attempts: u64 = report.actions.values().map(stress::Tally::attempts).sum();
    assert_eq!(attempts, 200);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let later = (now + chrono::Duration::hours(1)).format("%Y-%m-%d %H:%M").to_string();
    let out = ticketly(&f).args(["--json", "expire", "--force", "--at", &later]).output().expect("expire");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let expired: Value = serde_json::from_slice(&out.stdout).expect("expire JSON");
    assert!(expired["holds_released"].as_u64().is_some(), "{expired}");
    let audit = Store::open(&f.db).expect("open").audit().expect("audit");
    assert!(audit.ok(), "{:?}\n{audit:#?}", audit.problems());
    // A refused command still exits with its code after all that.
    let out = ticketly(&f).args(["--json", "book", "--slot", "999", "--count", "1"]).output().expect("book");
    assert_error(&out, 3, &["book", "--slot", "999"]);
}
