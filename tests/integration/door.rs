//! The door (issue 13): a ticket is admitted once; copies, cancelled, rebooked and other
//! shows' tickets are refused with the reason; the window, --force and --undo.

use super::support::{Fixture, assert_keys};

/// Inside the door's window of the fixture's 20:00 show (it opens at 19:00).
const AT_THE_DOOR: &str = "2026-11-23 19:30";

fn codes(sale: &serde_json::Value) -> Vec<String> {
    Fixture::codes(sale)
}

#[test]
fn a_ticket_is_admitted_once_and_a_copy_is_refused_with_when_and_where() {
    let (f, slot) = Fixture::with_slot();
    let sale = f.book(slot, &["--seats", "A1,A2", "--name", "Ann"]);
    let code = &codes(&sale)[0];
    // As a scanner types it: lower case, no dash.
    let scanned = code.to_lowercase().replace('-', "");
    let v = f.ok_at(AT_THE_DOOR, &["checkin", &scanned]);
    let admitted = v["admitted"].as_array().expect("admitted");
    assert_eq!(admitted.len(), 1);
    assert_keys(&admitted[0], &["id", "seat", "slot", "checked_in", "type", "customer"]);
    assert_eq!(admitted[0]["id"], code.as_str());
    assert_eq!(admitted[0]["checked_in"], AT_THE_DOOR);
    assert_eq!(f.ok(&["ticket", code])["checked_in"], AT_THE_DOOR);
    assert_eq!(f.ok(&["ticket", &codes(&sale)[1]])["checked_in"], serde_json::Value::Null);
    let line = f.fails_at("2026-11-23 19:40", &["checkin", code], 4);
    assert!(line.contains("was checked in at 19:30 at the main door"), "{line}");
    // The booking's code admits the rest of the party only.
    let v = f.ok_at(AT_THE_DOOR, &["checkin", sale["booking"].as_str().expect("booking")]);
    assert_eq!(v["admitted"].as_array().map(Vec::len), Some(1));
    f.fails_at(AT_THE_DOOR, &["checkin", sale["booking"].as_str().expect("booking")], 4);
    f.fails_at(AT_THE_DOOR, &["checkin", "TKT-ZZZZZZ"], 3);
}

#[test]
fn cancelled_rebooked_early_late_and_other_shows_tickets_are_refused_and_nothing_is_written() {
    let (f, slot) = Fixture::with_slot();
    f.ok(&["hall", "add", "--name", "Big", "--rows", "2", "--seats", "10"]);
    let other = f.add_slot("Up", "2026-11-23 20:00", "2026-11-23 21:30", "Big");
    let sale = f.book(slot, &["--seats", "A1,A2,A3"]);
    let c = codes(&sale);
    f.ok(&["cancel", &c[0]]);
    let moved = f.ok(&["rebook", &c[1], "--slot", &slot.to_string(), "--seats", "A9"]);
    let new = moved["new"]["id"].as_str().expect("new").to_string();
    let before = f.snapshot(slot);
    let cases: [(&str, &[&str], &str); 5] = [
        (AT_THE_DOOR, &["checkin", &c[0]], "is canceled"),
        (AT_THE_DOOR, &["checkin", &c[1]], &format!("the ticket to scan is {new}")),
        ("2026-11-23 18:59", &["checkin", &c[2]], "opens at 19:00"),
        ("2026-11-23 22:00", &["checkin", &c[2]], "is over"),
        (AT_THE_DOOR, &["checkin", &c[2], "--slot", &other.to_string()], "send the customer to Small"),
    ];
    for (at, args, words) in cases {
        let line = f.fails_at(at, args, 4);
        assert!(line.contains(words), "{args:?} at {at}: {line}");
        assert_eq!(f.snapshot(slot), before, "{args:?} wrote something");
    }
    // --force admits before the door opens, and the journal keeps it.
    let v = f.ok_at("2026-11-23 18:00", &["checkin", &c[2], "--force"]);
    assert_eq!(v["admitted"][0]["forced"], true);
    assert_eq!(f.ok(&["ticket", &new])["checked_in"], serde_json::Value::Null);
}

#[test]
fn a_checked_in_ticket_is_not_cancelled_or_rebooked_without_force_and_an_undo_is_recorded() {
    let (f, slot) = Fixture::with_slot();
    let sale = f.book(slot, &["--seats", "A1,A2"]);
    let c = codes(&sale);
    f.ok_at(AT_THE_DOOR, &["checkin", &c[0]]);
    let line = f.fails(&["cancel", &c[0]], 4);
    assert!(line.contains("was checked in at 19:30") && line.contains("--force"), "{line}");
    f.fails(&["rebook", &c[0], "--slot", &slot.to_string(), "--seats", "B1"], 4);
    f.fails(&["rebook", sale["booking"].as_str().expect("booking"), "--slot", &slot.to_string()], 4);
    f.fails(&["cancel", sale["booking"].as_str().expect("booking")], 4);
    assert_eq!(f.ok(&["ticket", &c[1]])["status"], "booked", "the whole booking was refused");
    // Undone (recorded), the ticket can be admitted again.
    assert_eq!(f.ok(&["checkin", "--undo", &c[0]])["undone"], 1);
    f.fails(&["checkin", "--undo", &c[0]], 4);
    f.ok_at(AT_THE_DOOR, &["checkin", &c[0]]);
    let cancel = f.ok(&["cancel", &c[0], "--force"]);
    assert_eq!(cancel["canceled"][0], c[0].as_str());
}

#[test]
fn end_to_end_a_ticket_is_sold_printed_for_the_thermal_printer_admitted_once_and_refused_again() {
    let (f, slot) = Fixture::with_slot();
    let sale = f.book(slot, &["--seats", "A1,A2", "--name", "Ann"]);
    let c = codes(&sale);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("ticket.bin");
    let out_text = out.to_string_lossy().to_string();
    let printed = f.ok(&["ticket", &c[0], "--print", "--escpos", "--out", &out_text]);
    assert_eq!(printed["printed"][0], c[0].as_str());
    let bytes = std::fs::read(&out).expect("printed bytes");
    assert_eq!(&bytes[..2], b"\x1b@", "the printer is initialised first");
    assert!(bytes.windows(10).any(|w| w == c[0].as_bytes()), "the QR code's data is the ticket code");
    assert!(bytes.ends_with(b"\x1dVB\x03"), "cut at the end");
    // A booking: both tickets, each with its cut, then the receipt with the change.
    let booking = sale["booking"].as_str().expect("booking");
    f.ok(&["ticket", booking, "--print", "--escpos", "--out", &out_text, "--tendered", "£20"]);
    let bytes = std::fs::read(&out).expect("printed bytes");
    assert_eq!(bytes.windows(4).filter(|w| *w == b"\x1dVB\x03").count(), 3);
    assert!(bytes.windows(7).any(|w| w == b"RECEIPT"));
    let line = f.fails(&["ticket", &c[0], "--print", "--escpos"], 5);
    assert!(line.contains("no printer"), "{line}");
    let line = f.fails(&["ticket", &c[0], "--print", "--escpos", "--printer", "tcp://127.0.0.1:1"], 1);
    assert!(line.contains("printer tcp://127.0.0.1:1"), "{line}");
    // At the door: once, then refused.
    f.ok_at(AT_THE_DOOR, &["checkin", &c[0]]);
    let line = f.fails_at(AT_THE_DOOR, &["checkin", &c[0]], 4);
    assert!(line.contains("already") || line.contains("was checked in"), "{line}");
}

#[test]
fn the_trial_s_door_cases_another_day_the_same_hall_later_a_misread_and_a_forced_cancel() {
    let (f, slot) = Fixture::with_slot();
    let tomorrow = f.add_slot("Up", "2026-11-24 20:00", "2026-11-24 22:00", "Small");
    let later = f.add_slot("Late", "2026-11-23 22:30", "2026-11-23 23:30", "Small");
    let c = codes(&f.book(slot, &["--seats", "A1,A2"]));
    let t = codes(&f.book(tomorrow, &["--seats", "A1"]));
    let l = codes(&f.book(later, &["--seats", "A1"]));
    let line = f.fails_at(AT_THE_DOOR, &["checkin", &t[0]], 4);
    assert!(line.contains("'Up' is on Tue 24 Nov: its door opens at 2026-11-24 19:00"), "{line}");
    // At the door of tonight's 20:00 show, a ticket for the 22:30 show in the same hall is early,
    // not for another hall.
    let line = f.fails_at(AT_THE_DOOR, &["checkin", &l[0], "--slot", &slot.to_string()], 4);
    assert!(line.contains("opens at 21:30"), "{line}");
    // A misread (control characters, another dash) is invalid, not unknown.
    f.fails_at(AT_THE_DOOR, &["checkin", "TKT-\u{1b}[31mAB"], 5);
    f.fails_at(AT_THE_DOOR, &["checkin", "TKT\u{2013}ABCDEF"], 5);
    // Admitted, then cancelled with --force: no longer counted as inside.
    f.ok_at(AT_THE_DOOR, &["checkin", &c[0]]);
    f.ok_at(AT_THE_DOOR, &["checkin", &c[1]]);
    let inside = |f: &Fixture| {
        let list = f.ok_at(AT_THE_DOOR, &["slot", "list"]);
        list.as_array().expect("slots").iter().find(|s| s["id"] == slot).expect("slot")["checked_in"].as_i64()
    };
    assert_eq!(inside(&f), Some(2));
    f.ok_at(AT_THE_DOOR, &["cancel", &c[1], "--force"]);
    assert_eq!(inside(&f), Some(1));
}
