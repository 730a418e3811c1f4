//! Many counters, one hall: OS processes (each with its own connection) selling into the same
//! small hall at once. Afterwards no seat has two live tickets, every booking has all its
//! tickets or none, sales − refunds equals the report, and every refused attempt exited with
//! the conflict code and wrote nothing. Bounded: a few hundred invocations, a few seconds.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;
use ticketly::store::Store;
use ticketly::stress::Rng;

use super::support::{END, Fixture, NOW, START, assert_error};

/// (a) The shipped stress tool, small: 4 worker processes × 150 attempts, then its audit.
#[test]
fn the_stress_tool_passes_small() {
    let f = Fixture::empty();
    let out = Command::new(env!("CARGO_BIN_EXE_ticketly"))
        .env_remove("TICKETLY_DB")
        .env("TICKETLY_CONFIG", "none")
        .env("TICKETLY_LOG", "off")
        .args(["--json", "stress", "--procs", "4", "--attempts", "150", "--seed", "7", "--db"])
        .arg(&f.db)
        .output()
        .expect("run ticketly stress");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stress failed: {stderr}\n{stdout}");
    let figures: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("no JSON ({e}): {stdout}"));
    assert_eq!(figures["passed"], true, "{figures:#}");
    assert_eq!(figures["attempts"], 600, "{figures:#}");
    assert_eq!(figures["other"], 0, "{figures:#}");
    assert_eq!(figures["schema_refusals"], 0, "{figures:#}");
    assert_eq!(figures["failed_workers"].as_array().map(Vec::len), Some(0), "{figures:#}");
    let total = |key: &str| figures[key].as_u64().expect("count");
    assert_eq!(total("ok") + total("conflict"), 600);
    assert!(total("sales") > 0, "nothing was sold: {figures:#}");
    let audit = &figures["audit"];
    assert_eq!(audit["integrity_ok"], true, "{audit:#}");
    for key in ["double_sold", "partial_bookings", "money_mismatch", "broken_rebookings", "foreign_key_violations"] {
        assert_eq!(audit[key], 0, "{key}: {audit:#}");
    }
    assert_eq!(audit["report_matches"], true, "{audit:#}");
    assert_eq!(audit["payments_net"], audit["ticket_value"], "{audit:#}");
    // And the same verdict from the library, on the file the tool left.
    let again = Store::open(&f.db).expect("open").audit().expect("audit");
    assert!(again.ok(), "{:?}", again.problems());
}

/// What the successful invocations say the database must hold.
#[derive(Debug, Default)]
struct Ledger {
    bookings: usize,
    tickets: usize,
    payments: usize,
    net: i64,
    /// Live tickets: code → (slot, seat).
    live: BTreeMap<String, (i64, String)>,
}

/// One CLI invocation: its arguments, exit code, and JSON answer (null when refused).
#[derive(Debug)]
struct Invocation {
    args: Vec<String>,
    code: Option<i32>,
    value: Value,
}

/// One counter's memory of what it sold.
#[derive(Debug, Default)]
struct Own {
    tickets: Vec<String>,
    bookings: Vec<String>,
}

const COUNTERS: u64 = 4;
const INVOCATIONS: usize = 45;
/// The small hall: rows A (Regular) and B (Premium) of 6 seats.
const LABELS: [&str; 12] = ["A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "B6"];

/// (b) Several counters, each a loop of real CLI invocations (a process each), into one hall.
#[test]
fn counters_in_parallel_never_double_sell_and_failures_write_nothing() {
    let f = Fixture::new();
    f.ok(&["hall", "add", "--name", "Tiny", "--rows", "2", "--seats", "6", "--premium-rows", "B"]);
    let slots = [
        f.add_slot("Avatar", START, END, "Tiny"),
        f.add_slot("Late show", "2026-11-23 22:30", "2026-11-23 23:59", "Tiny"),
    ];
    // Each counter's invocations, in order.
    let logs: Vec<Vec<Invocation>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..COUNTERS)
            .map(|k| {
                let f = &f;
                scope.spawn(move || counter(f, &slots, k))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("counter thread")).collect()
    });
    let mut ledger = Ledger::default();
    let mut codes: BTreeMap<Option<i32>, usize> = BTreeMap::new();
    for log in &logs {
        for Invocation { args, code, value } in log {
            *codes.entry(*code).or_default() += 1;
            if *code == Some(0) {
                account(&mut ledger, args, value);
            }
        }
    }
    let invocations = (COUNTERS as usize) * INVOCATIONS;
    assert_eq!(codes.values().sum::<usize>(), invocations);
    assert!(codes.keys().all(|c| matches!(c, Some(0) | Some(4))), "exit codes: {codes:?}");
    assert!(codes.get(&Some(0)).is_some_and(|n| *n > 0), "nothing succeeded: {codes:?}");

    // The database holds exactly what the successful invocations reported: a refused one
    // left no booking, ticket or payment behind.
    let audit = Store::open(&f.db).expect("open").audit().expect("audit");
    assert!(audit.ok(), "{:?}\n{audit:#?}", audit.problems());
    assert_eq!(audit.double_sold, 0);
    assert_eq!(audit.partial_bookings, 0);
    assert_eq!(
        (audit.bookings, audit.tickets, audit.payments, audit.payments_net),
        (ledger.bookings, ledger.tickets, ledger.payments, ledger.net),
        "(bookings, tickets, payments, net) in the database vs reported by the counters"
    );
    // Sales − refunds equals the day's report (every payment was made at NOW).
    let report = f.ok(&["report"]);
    assert_eq!(report["net"].as_i64(), Some(ledger.net), "{report:#}");
    assert_eq!(report["sales"].as_i64().expect("sales") - report["refunds"].as_i64().expect("refunds"), ledger.net);
    // No seat has two live tickets, and the live tickets are exactly the ones still sold.
    let mut live = BTreeMap::new();
    for slot in slots {
        let mut seats = BTreeSet::new();
        for t in f.ok(&["tickets", "--slot", &slot.to_string()]).as_array().expect("tickets") {
            let seat = t["seat"].as_str().expect("seat").to_string();
            assert!(seats.insert(seat.clone()), "seat {seat} of slot {slot} has two live tickets");
            assert_eq!(t["status"], "booked", "{t}");
            live.insert(t["id"].as_str().expect("id").to_string(), (slot, seat));
        }
    }
    assert_eq!(live, ledger.live, "live tickets vs what the counters sold, moved and cancelled");
}

/// One counter: a loop of `book --count`, `book --seats`, `cancel`, `rebook` and `expire`,
/// each a new process. Checks each invocation's contract; returns its log.
fn counter(f: &Fixture, slots: &[i64; 2], k: u64) -> Vec<Invocation> {
    let mut rng = Rng::new(1000 + k);
    let mut own = Own::default();
    let mut log = Vec::new();
    for _ in 0..INVOCATIONS {
        let slot = slots[rng.below(2) as usize].to_string();
        let roll = rng.below(100);
        let args: Vec<String> = match roll {
            0..30 => vec!["book".into(), "--slot".into(), slot, "--count".into(), rng.between(1, 3).to_string()],
            30..55 => {
                let mut seats: Vec<&str> = Vec::new();
                let n = rng.between(1, 2) as usize;
                while seats.len() < n {
                    let s = LABELS[rng.below(LABELS.len() as u64) as usize];
                    if !seats.contains(&s) {
                        seats.push(s);
                    }
                }
                vec!["book".into(), "--slot".into(), slot, "--seats".into(), seats.join(",")]
            }
            55..80 if !own.tickets.is_empty() => {
                let code = if rng.chance(30) && !own.bookings.is_empty() {
                    own.bookings.swap_remove(rng.below(own.bookings.len() as u64) as usize)
                } else {
                    own.tickets.swap_remove(rng.below(own.tickets.len() as u64) as usize)
                };
                vec!["cancel".into(), code]
            }
            80..90 if !own.tickets.is_empty() => {
                let code = own.tickets[rng.below(own.tickets.len() as u64) as usize].clone();
                vec!["rebook".into(), code, "--slot".into(), slot]
            }
            _ => vec!["expire".into()],
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = f.run_at(NOW, &argv);
        let value = match out.status.code() {
            Some(0) => {
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(out.stderr.is_empty(), "{argv:?}: {}", String::from_utf8_lossy(&out.stderr));
                serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{argv:?} printed no JSON ({e}): {stdout}"))
            }
            Some(4) => {
                assert_error(&out, 4, &argv);
                Value::Null
            }
            other => panic!(
                "{argv:?} exited with {other:?} (only 0 or 4 are allowed): {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        };
        if out.status.code() == Some(0) {
            match argv[0] {
                "book" => {
                    own.bookings.push(value["booking"].as_str().expect("booking").to_string());
                    own.tickets.extend(codes(&value));
                }
                "rebook" => {
                    own.tickets.retain(|t| t != argv[1]);
                    own.tickets.push(value["new"]["id"].as_str().expect("new ticket").to_string());
                }
                "cancel" => {
                    let canceled: Vec<String> = strings(&value["canceled"]);
                    own.tickets.retain(|t| !canceled.contains(t));
                }
                _ => {}
            }
        }
        log.push(Invocation { args, code: out.status.code(), value });
    }
    log
}

/// Adds what a successful invocation reported to the ledger.
fn account(ledger: &mut Ledger, args: &[String], value: &Value) {
    match args[0].as_str() {
        "book" => {
            let slot: i64 = args[2].parse().expect("slot id");
            let tickets = value["tickets"].as_array().expect("tickets");
            ledger.bookings += 1;
            ledger.tickets += tickets.len();
            ledger.payments += 1;
            ledger.net += value["total"].as_i64().expect("total");
            for t in tickets {
                let code = t["id"].as_str().expect("id").to_string();
                ledger.live.insert(code, (slot, t["seat"].as_str().expect("seat").to_string()));
            }
        }
        "rebook" => {
            let new = &value["new"];
            let difference = value["difference"].as_i64().expect("difference");
            ledger.bookings += 1;
            ledger.tickets += 1;
            ledger.payments += usize::from(difference != 0);
            ledger.net += difference;
            ledger.live.remove(value["old"]["id"].as_str().expect("old id"));
            ledger.live.insert(
                new["id"].as_str().expect("new id").to_string(),
                (new["slot"]["id"].as_i64().expect("slot"), new["seat"].as_str().expect("seat").to_string()),
            );
        }
        "cancel" => {
            let canceled = strings(&value["canceled"]);
            // Every ticket here was booked (the CLI holds nothing), so each refund is one payment.
            ledger.payments += usize::from(!canceled.is_empty());
            ledger.net -= value["refund"].as_i64().expect("refund");
            for code in canceled {
                ledger.live.remove(&code);
            }
        }
        _ => {}
    }
}

fn codes(sale: &Value) -> Vec<String> {
    Fixture::codes(sale)
}

fn strings(list: &Value) -> Vec<String> {
    list.as_array().expect("array").iter().map(|v| v.as_str().expect("string").to_string()).collect()
}
