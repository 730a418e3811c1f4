//! The defects of the service Ticketly replaces, one test each: none of them may come back.

use std::collections::BTreeSet;

use super::support::{Fixture, NOW, REGULAR, assert_error};

/// The seed sold 40 of 40 one-seat bookings on a 20-seat slot when they came in parallel.
#[test]
fn parallel_bookings_do_not_oversell() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    let children: Vec<_> = (0..40)
        .map(|i| {
            f.process()
                .env("TICKETLY_OPERATOR", format!("till{i}"))
                .args(["--json", "book", "--slot", &slot, "--count", "1", "--name", &format!("customer {i}")])
                .spawn()
                .expect("spawn ticketly")
        })
        .collect();
    let outputs: Vec<_> = children.into_iter().map(|c| c.wait_with_output().expect("wait for ticketly")).collect();
    let (sold, refused): (Vec<_>, Vec<_>) = outputs.iter().partition(|o| o.status.success());
    assert_eq!(sold.len(), 20, "exactly the hall's 20 seats are sold");
    for out in &refused {
        let line = assert_error(out, 4, &["book", "--count", "1"]);
        assert!(line.contains("sold out"), "{line}");
    }
    let mut seats_sold = BTreeSet::new();
    for out in &sold {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("book JSON");
        assert!(seats_sold.insert(v["tickets"][0]["seat"].as_str().expect("seat").to_string()), "seat sold twice");
    }
    let tickets = f.ok(&["tickets", "--slot", &slot]);
    let listed: BTreeSet<String> =
        tickets.as_array().expect("array").iter().map(|t| t["seat"].as_str().expect("seat").to_string()).collect();
    assert_eq!(tickets.as_array().expect("array").len(), 20);
    assert_eq!(listed, seats_sold, "20 distinct seats, the ones the sales printed");
    assert_eq!(f.ok(&["report"])["by_method"]["cash"]["tickets_sold"], 20);
}

/// The seed gave a seat back (and a refund) each time the same ticket was cancelled.
#[test]
fn cancelling_the_same_ticket_twice_refunds_once() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--seats", "A1,A2"]);
    let code = &Fixture::codes(&sale)[0];
    assert_eq!(f.ok(&["cancel", code])["refund"], REGULAR);
    let before = f.snapshot(id);
    let msg = f.fails(&["cancel", code], 4);
    assert!(msg.contains("already canceled"), "{msg}");
    assert_eq!(f.snapshot(id), before);
    let report = f.ok(&["report"]);
    assert_eq!(report["refunds"], REGULAR, "refunded once");
    assert_eq!(report["by_method"]["cash"]["tickets_refunded"], 1);
    assert_eq!(f.seats_in(id, "available").len(), 19, "one seat given back, not two");
    assert_eq!(f.seats_in(id, "booked"), vec!["A2"]);
}

/// The seed issued a free ticket when an already-cancelled ticket was rebooked.
#[test]
fn rebooking_a_canceled_ticket_is_refused_and_writes_nothing() {
    let (f, id) = Fixture::with_slot();
    let code = Fixture::codes(&f.book(id, &["--seats", "A1"]))[0].clone();
    f.ok(&["cancel", &code]);
    let before = f.snapshot(id);
    let msg = f.fails(&["rebook", &code, "--slot", &id.to_string(), "--seats", "B1"], 4);
    assert!(msg.contains("canceled"), "{msg}");
    assert_eq!(f.snapshot(id), before);
    let t = f.ok(&["ticket", &code]);
    assert_eq!(t["status"], "canceled");
    assert_eq!(t["replaced_by"], serde_json::Value::Null);
    assert_eq!(f.ok(&["report"])["net"], 0, "no free ticket: nothing sold, nothing owed");
}

/// The seed's random six-digit ids collided and silently overwrote older tickets.
#[test]
fn ticket_codes_are_unique_across_many_bookings() {
    let f = Fixture::new();
    f.ok(&["hall", "add", "--name", "Big", "--rows", "20", "--seats", "10"]);
    let id = f.add_slot("Avatar", "2026-11-23 20:00", "2026-11-23 22:00", "Big");
    let mut codes = BTreeSet::new();
    let mut bookings = BTreeSet::new();
    for _ in 0..20 {
        let sale = f.book(id, &["--count", "10"]);
        assert!(bookings.insert(sale["booking"].as_str().expect("booking").to_string()));
        for code in Fixture::codes(&sale) {
            assert!(code.len() == 10 && code.starts_with("TKT-"), "{code}");
            assert!(codes.insert(code.clone()), "code {code} issued twice");
        }
    }
    assert_eq!(codes.len(), 200);
    let listed: BTreeSet<String> = f
        .ok(&["tickets", "--slot", &id.to_string()])
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(listed, codes, "every ticket issued is still there, none overwritten");
}

/// The seed accepted shows in the past and shows that end before they start.
#[test]
fn slots_in_the_past_or_ending_before_they_start_are_refused() {
    let f = Fixture::with_hall();
    let add = |start: &str, end: &str| {
        vec!["slot", "add", "--name", "X", "--start", start, "--end", end, "--hall", "Small", "--price", "9"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    for (start, end, what) in [
        ("2026-11-22 20:00", "2026-11-22 22:00", "in the past"),
        ("2026-11-23 11:59", "2026-11-23 14:00", "starts a minute ago"),
        ("2026-11-24 20:00", "2026-11-24 18:00", "ends before it starts"),
        ("2026-11-24 20:00", "2026-11-23 22:00", "ends the day before"),
    ] {
        let args = add(start, end);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let msg = f.fails(&args, 5);
        assert!(!msg.is_empty(), "{what}");
    }
    assert_eq!(f.ok(&["slot", "list", "--all"]), serde_json::json!([]));
    // Starting right now is fine.
    f.add_slot("Now", NOW, "2026-11-23 14:00", "Small");
}

/// The seed crashed on an unknown ticket id.
#[test]
fn an_unknown_ticket_is_a_clean_not_found() {
    let (f, id) = Fixture::with_slot();
    f.book(id, &["--count", "2"]);
    for code in ["TKT-000000", "tkt-zzzzzz", "ZZZZZZ"] {
        let msg = f.fails(&["ticket", code], 3);
        assert!(msg.starts_with("ticketly: no ticket"), "{msg}");
    }
    // A booking code names a booking.
    let msg = f.fails(&["ticket", "BKG-ZZZZZZ"], 3);
    assert!(msg.starts_with("ticketly: no booking 'BKG-ZZZZZZ'"), "{msg}");
    // Text mode too: one line, same exit code.
    let out = f.cmd_at(NOW).args(["ticket", "TKT-000000"]).output().expect("run");
    assert_error(&out, 3, &["ticket", "TKT-000000"]);
}

/// The seed did not roll back a failed batch: the seats before the failing one stayed sold.
#[test]
fn a_failed_multi_seat_booking_writes_nothing() {
    let (f, id) = Fixture::with_slot();
    f.book(id, &["--seats", "A2", "--name", "First"]);
    let before = f.snapshot(id);
    let msg = f.fails(&["book", "--slot", &id.to_string(), "--seats", "A1,A2,A3", "--name", "Second"], 4);
    assert!(msg.contains("A2"), "{msg}");
    assert_eq!(f.snapshot(id), before);
    assert_eq!(f.seats_in(id, "booked"), vec!["A2"]);
    assert_eq!(f.ok(&["report"])["by_method"]["cash"]["tickets_sold"], 1);
    // The same batch without the taken seat goes through whole.
    let sale = f.book(id, &["--seats", "A1,A3"]);
    assert_eq!(sale["total"], 2 * REGULAR);
}
