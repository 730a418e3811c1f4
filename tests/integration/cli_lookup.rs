//! Looking things up and the cron side: tickets, ticket, expire, report.

use super::support::{Fixture, PREMIUM, REGULAR, START, assert_keys};

#[test]
fn tickets_lists_the_live_tickets_of_a_slot_with_customers() {
    let (f, id) = Fixture::with_slot();
    let a = f.book(id, &["--seats", "A1,A2", "--name", "Ann", "--phone", "0301234"]);
    let b = f.book(id, &["--seats", "B1"]);
    f.ok(&["cancel", &Fixture::codes(&a)[1]]);
    let list = f.ok(&["tickets", "--slot", &id.to_string()]);
    let by_name = f.ok(&["tickets", "--movie", "Avatar", "--start", START]);
    assert_eq!(list, by_name);
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2, "the canceled ticket is not live");
    for t in list {
        assert_keys(t, &["id", "status", "seat", "price", "customer", "slot"]);
        assert_keys(&t["customer"], &["name", "phone"]);
        assert_eq!(t["status"], "booked");
    }
    assert_eq!(list[0]["id"], Fixture::codes(&a)[0].as_str());
    assert_eq!(list[0]["customer"]["name"], "Ann");
    assert_eq!(list[0]["customer"]["phone"], "0301234");
    assert_eq!(list[1]["id"], Fixture::codes(&b)[0].as_str());
    assert_eq!(list[1]["customer"]["name"], serde_json::Value::Null, "a walk-in");
}

#[test]
fn ticket_shows_slot_customer_and_history() {
    let (f, id) = Fixture::with_slot();
    let sale = f.book(id, &["--seats", "B4", "--name", "Ann", "--phone", "+49 30 1", "--pay", "card"]);
    let code = &Fixture::codes(&sale)[0];
    let t = f.ok(&["ticket", code]);
    assert_keys(&t, &["id", "status", "seat", "slot", "customer", "replaces", "replaced_by", "booking", "price"]);
    assert_eq!(t["id"], code.as_str());
    assert_eq!(t["status"], "booked");
    assert_eq!(t["seat"], "B4");
    assert_eq!(t["price"], PREMIUM);
    assert_eq!(t["slot"]["id"], id);
    assert_eq!(t["slot"]["name"], "Avatar");
    assert_eq!(t["slot"]["start"], START);
    assert_eq!(t["customer"], serde_json::json!({"name": "Ann", "phone": "+49 30 1"}));
    assert_eq!(t["replaces"], serde_json::Value::Null);
    assert_eq!(t["booking"], sale["booking"]);
    assert_eq!(t["operator"], "till1");
    assert_eq!(t["created"], "2026-11-23 12:00");
    // Typed sloppily: lower case, no dash.
    let sloppy = code.to_lowercase().replace('-', "");
    assert_eq!(f.ok(&["ticket", &sloppy])["id"], code.as_str());
}

#[test]
fn names_that_look_like_sql_or_are_not_ascii_are_stored_verbatim() {
    let (f, id) = Fixture::with_slot();
    let names = ["Robert'); DROP TABLE ticket;--", "Zoë 王", "O'Brien \"the\" % _ \\ Ünal 🎟"];
    let mut codes = Vec::new();
    for name in names {
        let sale = f.book(id, &["--count", "1", "--name", name]);
        assert_eq!(sale["customer"]["name"], name);
        codes.push(Fixture::codes(&sale)[0].clone());
    }
    for (code, name) in codes.iter().zip(names) {
        assert_eq!(f.ok(&["ticket", code])["customer"]["name"], name);
    }
    let list = f.ok(&["tickets", "--slot", &id.to_string()]);
    let mut listed: Vec<&str> =
        list.as_array().expect("array").iter().map(|t| t["customer"]["name"].as_str().expect("name")).collect();
    listed.sort();
    let mut expected = names.to_vec();
    expected.sort();
    assert_eq!(listed, expected, "the ticket table is still there and holds all three");
    // Text output too, not only JSON.
    let out = f.cmd_at(super::support::NOW).args(["ticket", &codes[1]]).output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Zoë 王"));
}

#[test]
fn expire_at_expires_exactly_the_right_tickets_and_is_idempotent() {
    let f = Fixture::with_hall();
    // Ends at 16:00 today; its grace period runs out at 00:00 tomorrow.
    let early = f.add_slot("Matinee", "2026-11-23 14:00", "2026-11-23 16:00", "Small");
    // Ends tomorrow night: nowhere near expiry.
    let late = f.add_slot("Avatar", "2026-11-24 20:00", "2026-11-24 22:00", "Small");
    let e = Fixture::codes(&f.book(early, &["--count", "3"]));
    let l = Fixture::codes(&f.book(late, &["--count", "2"]));
    f.ok(&["cancel", &e[2]]);

    // Cron runs at noon the next day, as of earlier moments.
    let noon = "2026-11-24 12:00";
    let v = f.ok_at(noon, &["expire", "--at", "2026-11-23 23:59"]);
    assert_keys(&v, &["expired", "holds_released"]);
    assert_eq!(v["expired"], 0, "one minute before the grace period ends");
    let v = f.ok_at(noon, &["expire", "--at", "2026-11-24 00:00"]);
    assert_eq!((v["expired"].as_u64(), v["holds_released"].as_u64()), (Some(2), Some(0)));
    assert_eq!(f.ok(&["ticket", &e[0]])["status"], "expired");
    assert_eq!(f.ok(&["ticket", &e[1]])["status"], "expired");
    assert_eq!(f.ok(&["ticket", &e[2]])["status"], "canceled", "a canceled ticket stays canceled");
    for code in &l {
        assert_eq!(f.ok(&["ticket", code])["status"], "booked");
    }
    assert_eq!(f.ok(&["tickets", "--slot", &early.to_string()]), serde_json::json!([]));
    assert_eq!(f.ok(&["tickets", "--slot", &late.to_string()]).as_array().expect("array").len(), 2);
    // Again, even much later: nothing more of the early slot.
    assert_eq!(f.ok_at(noon, &["expire", "--at", "2026-11-24 00:00"])["expired"], 0);
    assert_eq!(f.ok_at(noon, &["expire", "--at", "2026-11-24 12:00"])["expired"], 0);
    // Expiry moves no money: the report still shows the sales and the one refund.
    let report = f.ok(&["report", "--date", "2026-11-23"]);
    assert_eq!((report["sales"].as_i64(), report["refunds"].as_i64()), (Some(5 * REGULAR), Some(REGULAR)));
    // An expired ticket can be neither cancelled nor rebooked.
    f.fails_at("2026-11-24 12:00", &["cancel", &e[0], "--force"], 4);
    f.fails_at("2026-11-24 12:00", &["rebook", &e[0], "--slot", &late.to_string(), "--force"], 4);
}

#[test]
fn expire_refuses_a_future_at_and_forced_never_expires_a_show_that_has_not_ended() {
    let f = Fixture::with_hall();
    let tomorrow = f.add_slot("Avatar", "2026-11-24 20:00", "2026-11-24 22:00", "Small");
    let codes = Fixture::codes(&f.book(tomorrow, &["--count", "2"]));
    // One wrong digit: 2026-12-31 meant for 2026-11-23.
    let line = f.fails(&["expire", "--at", "2026-12-31 09:00"], 5);
    assert!(line.contains("later than now") && line.contains("--force"), "{line}");
    let v = f.ok(&["expire", "--at", "2026-12-31 09:00", "--force"]);
    assert_eq!(v["expired"], 0, "tomorrow's show has not happened: its paid tickets stay");
    for code in &codes {
        assert_eq!(f.ok(&["ticket", code])["status"], "booked");
    }
    f.ok(&["cancel", &codes[0]]);
    f.fails(
        &[
            "book",
            "--slot",
            &tomorrow.to_string(),
            "--seats",
            f.ok(&["ticket", &codes[1]])["seat"].as_str().expect("seat"),
        ],
        4,
    );
}

#[test]
fn expire_without_at_uses_the_clock() {
    let (f, id) = Fixture::with_slot();
    let codes = Fixture::codes(&f.book(id, &["--count", "1"]));
    assert_eq!(f.ok_at("2026-11-24 05:59", &["expire"])["expired"], 0);
    assert_eq!(f.ok_at("2026-11-24 06:00", &["expire"])["expired"], 1);
    assert_eq!(f.ok(&["ticket", &codes[0]])["status"], "expired");
}

#[test]
fn report_totals_sales_and_refunds_by_method_and_day() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    let cash = f.book(id, &["--seats", "A1,A2"]);
    f.book(id, &["--seats", "B1", "--pay", "card"]);
    f.ok(&["cancel", &Fixture::codes(&cash)[0]]);
    // Tomorrow's sale lands on tomorrow's report.
    let tomorrow = f.add_slot("Avatar", "2026-11-24 20:00", "2026-11-24 22:00", "Small");
    f.ok_at("2026-11-24 09:00", &["book", "--slot", &tomorrow.to_string(), "--seats", "B2", "--pay", "card"]);
    f.ok_at("2026-11-23 13:00", &["book", "--slot", &slot, "--seats", "A9"]);

    let r = f.ok(&["report"]);
    assert_keys(&r, &["date", "by_method", "sales", "refunds", "net"]);
    assert_eq!(r["date"], "2026-11-23");
    for m in ["cash", "card"] {
        assert_keys(&r["by_method"][m], &["sales", "refunds", "net", "tickets_sold", "tickets_refunded"]);
    }
    let cash = &r["by_method"]["cash"];
    assert_eq!((cash["sales"].as_i64(), cash["refunds"].as_i64()), (Some(3 * REGULAR), Some(REGULAR)));
    assert_eq!((cash["tickets_sold"].as_u64(), cash["tickets_refunded"].as_u64()), (Some(3), Some(1)));
    assert_eq!(cash["net"], 2 * REGULAR);
    assert_eq!(r["by_method"]["card"]["sales"], PREMIUM);
    assert_eq!(r["net"], 2 * REGULAR + PREMIUM);
    assert_eq!(f.ok(&["report", "--date", "2026-11-23"]), r);
    let next = f.ok(&["report", "--date", "2026-11-24"]);
    assert_eq!((next["sales"].as_i64(), next["refunds"].as_i64()), (Some(PREMIUM), Some(0)));
    assert_eq!(f.ok(&["report", "--date", "2026-11-22"])["sales"], 0);
}

#[test]
fn find_lists_a_customer_s_bookings_by_name_or_phone_and_ticket_shows_a_whole_booking() {
    let (f, id) = Fixture::with_slot();
    let first = f.book(id, &["--seats", "A1,A2", "--name", "Zoë Lee", "--phone", "030 1234"]);
    let second = f.book(id, &["--seats", "B1", "--name", "zoe lee"]);
    f.book(id, &["--seats", "B2", "--name", "Ann"]);
    let found = f.ok(&["find", "ZOE"]);
    let codes: Vec<&str> =
        found.as_array().expect("array").iter().map(|b| b["booking"].as_str().expect("code")).collect();
    assert_eq!(
        codes,
        vec![second["booking"].as_str().expect("code"), first["booking"].as_str().expect("code")],
        "newest first"
    );
    assert_keys(&found[0], &["booking", "customer", "slot", "payment", "tickets"]);
    let by_phone = f.ok(&["find", "301 23"]);
    assert_eq!(by_phone.as_array().expect("array").len(), 1);
    assert_eq!(by_phone[0]["tickets"].as_array().expect("tickets").len(), 2);
    assert_eq!(f.ok(&["find", "nobody"]), serde_json::json!([]));
    f.fails(&["find", ""], 5);
    let booking = f.ok(&["ticket", &first["booking"].as_str().expect("code").to_lowercase()]);
    assert_eq!(booking["booking"], first["booking"]);
    let seats: Vec<&str> =
        booking["tickets"].as_array().expect("tickets").iter().map(|t| t["seat"].as_str().expect("seat")).collect();
    assert_eq!(seats, vec!["A1", "A2"]);
    f.fails(&["ticket", "BKG-ZZZZZZ"], 3);
}

#[test]
fn wide_titles_and_names_line_up_in_text_tables_and_on_the_printed_ticket() {
    let f = super::support::Fixture::with_hall();
    let wide = f.add_slot("千と千尋の神隠し", "2026-11-23 18:00", "2026-11-23 20:00", "Small");
    f.add_slot("Avatar", "2026-11-23 20:00", "2026-11-23 22:00", "Small");
    let out = f.cmd_at(super::support::NOW).args(["slot", "list"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let columns = |line: &str| unicode_width::UnicodeWidthStr::width(line);
    let hall_at: Vec<usize> = text.lines().map(|l| columns(&l[..l.find("Small").expect("hall column")])).collect();
    assert_eq!(hall_at.len(), 2, "{text}");
    assert_eq!(hall_at[0], hall_at[1], "the hall column starts at the same place:\n{text}");
    // The printed ticket's box keeps its right edge (and the QR code) straight with a wide title.
    let sale = f.book(wide, &["--count", "1", "--name", "王家卫"]);
    let code = Fixture::codes(&sale)[0].clone();
    let out = f.cmd_at(super::support::NOW).args(["ticket", &code, "--print"]).output().expect("run");
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let widths: std::collections::BTreeSet<usize> = printed.lines().map(columns).collect();
    assert_eq!(widths.len(), 1, "every line of the box is as wide:\n{printed}");
}
