//! Selling, rebooking and cancelling through the CLI.

use super::support::{Fixture, PREMIUM, REGULAR, START, assert_keys};

#[test]
fn book_by_count_picks_a_centred_block_in_one_row() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--count", "3", "--name", "Ann", "--phone", "+49 30 123"]);
    assert_keys(&sale, &["booking", "tickets", "total"]);
    assert!(sale["booking"].as_str().expect("booking").starts_with("BKG-"));
    let tickets = sale["tickets"].as_array().expect("tickets");
    assert_eq!(tickets.len(), 3);
    for t in tickets {
        assert_keys(t, &["id", "seat", "price"]);
        assert!(t["id"].as_str().expect("id").starts_with("TKT-"));
    }
    let seats: Vec<&str> = tickets.iter().map(|t| t["seat"].as_str().expect("seat")).collect();
    let row = &seats[0][..1];
    assert!(seats.iter().all(|s| s.starts_with(row)), "one row: {seats:?}");
    let mut numbers: Vec<u32> = seats.iter().map(|s| s[1..].parse().expect("number")).collect();
    numbers.sort();
    assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "contiguous: {seats:?}");
    assert!(numbers.contains(&5) || numbers.contains(&6), "near the centre: {seats:?}");
    let price = tickets[0]["price"].as_i64().expect("price");
    assert_eq!(sale["total"], price * 3);
    assert_eq!(sale["customer"]["name"], "Ann");
    assert_eq!(sale["payment"], "cash");
    let mut booked = f.seats_in(id, "booked");
    booked.sort();
    let mut sold: Vec<String> = seats.iter().map(|s| s.to_string()).collect();
    sold.sort();
    assert_eq!(booked, sold);
}

#[test]
fn book_exact_seats_by_movie_and_start_paid_by_card() {
    let (f, id) = Fixture::with_slot();
    let sale = f.ok(&["book", "--movie", "Avatar", "--start", START, "--seats", "a1,B10", "--pay", "card"]);
    let seats: Vec<&str> =
        sale["tickets"].as_array().expect("tickets").iter().map(|t| t["seat"].as_str().expect("seat")).collect();
    assert_eq!(seats, vec!["A1", "B10"]);
    assert_eq!(sale["total"], REGULAR + PREMIUM);
    assert_eq!(sale["payment"], "card");
    assert_eq!(sale["slot"]["id"], id);
    let report = f.ok(&["report"]);
    assert_eq!(report["by_method"]["card"]["sales"], REGULAR + PREMIUM);
    assert_eq!(report["by_method"]["cash"]["sales"], 0);
}

#[test]
fn a_taken_seat_is_refused_and_nothing_is_written() {
    let (f, id) = Fixture::with_slot();
    f.book(id, &["--seats", "A5", "--name", "First"]);
    let before = f.snapshot(id);
    let msg = f.fails(&["book", "--slot", &id.to_string(), "--seats", "A5", "--name", "Second"], 4);
    assert!(msg.contains("A5"), "{msg}");
    assert_eq!(f.snapshot(id), before);
}

#[test]
fn sold_out_and_not_enough_seats_are_conflicts() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    f.book(id, &["--count", "10"]);
    f.book(id, &["--count", "7"]);
    let before = f.snapshot(id);
    let msg = f.fails(&["book", "--slot", &slot, "--count", "4"], 4);
    assert!(msg.contains("not enough"), "{msg}");
    assert_eq!(f.snapshot(id), before);
    f.book(id, &["--count", "3"]);
    let msg = f.fails(&["book", "--slot", &slot, "--count", "1"], 4);
    assert!(msg.contains("sold out"), "{msg}");
    assert_eq!(f.seats_in(id, "available"), Vec::<String>::new());
}

#[test]
fn sales_close_after_the_late_window_and_at_the_end() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    // Ten minutes late: still inside the default fifteen-minute window.
    let late = f.ok_at("2026-11-23 20:10", &["book", "--slot", &slot, "--count", "1"]);
    assert_eq!(late["tickets"].as_array().expect("tickets").len(), 1);
    f.fails_at("2026-11-23 20:30", &["book", "--slot", &slot, "--count", "1"], 4);
    let msg = f.fails_at("2026-11-23 23:00", &["book", "--slot", &slot, "--count", "1"], 4);
    assert!(msg.contains("sales closed"), "{msg}");
    assert_eq!(f.seats_in(id, "booked").len(), 1);
}

#[test]
fn rebook_archives_the_old_ticket_and_the_new_one_points_back() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--seats", "A1", "--name", "Ann", "--pay", "card"]);
    let old = &Fixture::codes(&sale)[0];
    let r = f.ok(&["rebook", old, "--slot", &id.to_string(), "--seats", "B5"]);
    assert_keys(&r, &["old", "new", "difference", "payment"]);
    assert_eq!(r["payment"], "card", "settled as the booking was paid");
    assert_keys(&r["new"], &["id", "seat", "status", "replaces", "slot", "customer"]);
    let new = r["new"]["id"].as_str().expect("new id").to_string();
    assert_ne!(&new, old);
    assert_eq!(r["old"]["status"], "archived");
    assert_eq!(r["new"]["seat"], "B5");
    assert_eq!(r["new"]["replaces"], old.as_str());
    assert_eq!(r["difference"], PREMIUM - REGULAR);

    let old_t = f.ok(&["ticket", old]);
    assert_eq!(old_t["status"], "archived");
    assert_eq!(old_t["replaced_by"], new.as_str());
    assert_eq!(old_t["seat"], "A1");
    let new_t = f.ok(&["ticket", &new]);
    assert_eq!(new_t["status"], "booked");
    assert_eq!(new_t["replaces"], old.as_str());
    assert_eq!(new_t["customer"]["name"], "Ann", "the customer moves with the ticket");
    assert_eq!(new_t["payment"], "card");

    assert_eq!(f.seats_in(id, "booked"), vec!["B5"], "A1 is free again");
    let report = f.ok(&["report"]);
    assert_eq!(report["by_method"]["card"]["sales"], PREMIUM, "the upgrade is charged");
    assert_eq!(report["net"], PREMIUM);
}

#[test]
fn a_rebookings_difference_may_be_settled_another_way_than_the_sale() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--seats", "A1,A2", "--pay", "card"]);
    let r = f.ok(&["rebook", &Fixture::codes(&sale)[0], "--slot", &id.to_string(), "--seats", "B5", "--pay", "cash"]);
    assert_eq!((r["difference"].as_i64(), r["payment"].as_str()), (Some(PREMIUM - REGULAR), Some("cash")));
    let report = f.ok(&["report"]);
    assert_eq!(report["by_method"]["card"]["sales"], 2 * REGULAR, "the sale stays a card sale");
    assert_eq!(report["by_method"]["cash"]["sales"], PREMIUM - REGULAR, "the upgrade is paid in cash");
    let booking = sale["booking"].as_str().expect("booking");
    let msg = f.fails(&["rebook", booking, "--slot", &id.to_string(), "--pay", "cheque"], 2);
    assert!(msg.contains("cheque"), "{msg}");
}

#[test]
fn rebook_to_another_slot_by_movie_and_start_refunds_a_cheaper_seat() {
    let (f, id) = Fixture::with_slot();
    let later = f.add_slot("Avatar", "2026-11-24 20:00", "2026-11-24 22:00", "Small");
    let sale = f.book(id, &["--seats", "B3"]);
    let old = &Fixture::codes(&sale)[0];
    let r = f.ok(&["rebook", old, "--movie", "Avatar", "--start", "2026-11-24 20:00", "--seats", "A3"]);
    assert_eq!(r["new"]["slot"]["id"], later);
    assert_eq!(r["difference"], REGULAR - PREMIUM);
    assert_eq!(f.seats_in(id, "booked"), Vec::<String>::new());
    assert_eq!(f.seats_in(later, "booked"), vec!["A3"]);
    let report = f.ok(&["report"]);
    assert_eq!((report["sales"].as_i64(), report["refunds"].as_i64()), (Some(PREMIUM), Some(PREMIUM - REGULAR)));
    assert_eq!(report["net"], REGULAR);
    // Without --seats the best seat of the same category is chosen.
    let again = f.ok(&["rebook", r["new"]["id"].as_str().expect("id"), "--slot", &id.to_string()]);
    assert_eq!(again["new"]["category"], "Regular");
    assert_eq!(again["difference"], 0);
}

#[test]
fn rebook_onto_a_taken_seat_writes_nothing() {
    let (f, id) = Fixture::with_slot();
    let a = f.book(id, &["--seats", "A1"]);
    f.book(id, &["--seats", "A2"]);
    let before = f.snapshot(id);
    let code = &Fixture::codes(&a)[0];
    f.fails(&["rebook", code, "--slot", &id.to_string(), "--seats", "A2"], 4);
    assert_eq!(f.snapshot(id), before);
    assert_eq!(f.ok(&["ticket", code])["status"], "booked", "the old ticket is not archived");
}

#[test]
fn cancel_a_ticket_frees_the_seat_for_the_next_sale() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--seats", "A5,A6", "--name", "Ann"]);
    let codes = Fixture::codes(&sale);
    let c = f.ok(&["cancel", &codes[0]]);
    assert_keys(&c, &["canceled", "refund"]);
    assert_eq!(c["canceled"], serde_json::json!([codes[0]]));
    assert_eq!(c["refund"], REGULAR);
    assert_eq!(f.seats_in(id, "booked"), vec!["A6"]);
    let next = f.book(id, &["--seats", "A5", "--name", "Bob"]);
    assert_eq!(next["tickets"][0]["seat"], "A5");
    assert_eq!(f.ok(&["ticket", &codes[0]])["status"], "canceled");
}

#[test]
fn cancel_a_booking_cancels_its_live_tickets() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--count", "3", "--pay", "card"]);
    let codes = Fixture::codes(&sale);
    f.ok(&["cancel", &codes[1]]);
    let c = f.ok(&["cancel", sale["booking"].as_str().expect("booking")]);
    assert_eq!(c["canceled"], serde_json::json!([codes[0], codes[2]]));
    assert_eq!(c["refund"], 2 * REGULAR);
    assert_eq!(c["payment"], "card");
    assert_eq!(f.seats_in(id, "booked"), Vec::<String>::new());
    let report = f.ok(&["report"]);
    assert_eq!(report["by_method"]["card"]["refunds"], 3 * REGULAR);
    assert_eq!(report["net"], 0);
    f.fails(&["cancel", sale["booking"].as_str().expect("booking")], 4);
}

#[test]
fn cancel_after_the_start_needs_force() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--count", "1"]);
    let code = &Fixture::codes(&sale)[0];
    let msg = f.fails_at("2026-11-23 20:05", &["cancel", code], 4);
    assert!(msg.contains("--force"), "{msg}");
    assert_eq!(f.ok(&["ticket", code])["status"], "booked");
    let c = f.ok_at("2026-11-23 20:05", &["cancel", code, "--force"]);
    assert_eq!(c["refund"], REGULAR);
}

#[test]
fn rebook_of_a_booking_moves_the_party_together() {
    let (f, tonight) = Fixture::with_slot();
    let later = f.add_slot("Late", "2026-11-23 22:30", "2026-11-24 00:30", "Small");
    let sale = f.book(tonight, &["--seats", "A1,A5", "--name", "Ann"]);
    let booking = sale["booking"].as_str().expect("code").to_string();
    let moved = f.ok(&["rebook", &booking, "--slot", &later.to_string()]);
    let new = moved["new"].as_array().expect("new tickets");
    assert_eq!((moved["old"].as_array().expect("old").len(), new.len()), (2, 2));
    assert_eq!(new[0]["booking"], new[1]["booking"], "one new booking");
    assert_eq!(moved["difference"], 0);
    assert_eq!(f.seats_in(tonight, "booked"), Vec::<String>::new());
    let seats = f.seats_in(later, "booked");
    assert_eq!(seats.len(), 2);
    f.fails(&["rebook", &booking, "--slot", &later.to_string(), "--seats", "A1"], 5);
}
