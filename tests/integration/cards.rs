//! Price cards (issue 12): ticket types priced per seat category, a show priced from a card,
//! mixed sales, refusals that change nothing, rebooking across cards, and the report by type.

use serde_json::Value;

use super::support::{END, Fixture, START, assert_keys};

/// Hall Small (row A Regular, row B Premium) with the Evening and Matinee cards.
fn with_cards() -> Fixture {
    let f = Fixture::with_hall();
    for (card, ticket_type, prices) in [
        ("Evening", "Adult", &["Regular=10", "Premium=13"][..]),
        ("Evening", "Child", &["Regular=6.50"][..]),
        ("Evening", "Senior", &["Regular=7", "Premium=9"][..]),
        ("Matinee", "Adult", &["Regular=8", "Premium=10"][..]),
        ("Matinee", "Child", &["Regular=5", "Premium=6"][..]),
    ] {
        let mut args = vec!["card", "set", card, "--type", ticket_type];
        for p in prices {
            args.extend(["--price", p]);
        }
        f.ok(&args);
    }
    f
}

fn add_show(f: &Fixture, name: &str, start: &str, end: &str, card: &str) -> i64 {
    let v = f.ok(&["slot", "add", "--name", name, "--start", start, "--end", end, "--hall", "Small", "--card", card]);
    v["id"].as_i64().expect("slot id")
}

fn prices_of(tickets: &Value) -> Vec<(String, String, i64)> {
    tickets
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| {
            let seat = t["seat"].as_str().expect("seat").to_string();
            (seat, t["type"].as_str().expect("type").to_string(), t["price"].as_i64().expect("price"))
        })
        .collect()
}

#[test]
fn cards_are_set_and_listed_and_a_show_copies_its_prices() {
    let f = with_cards();
    let rows = f.ok(&["card", "list"]);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 9);
    assert_keys(&rows[0], &["card", "type", "category", "price"]);
    assert_eq!((rows[0]["card"].as_str(), rows[0]["type"].as_str()), (Some("Evening"), Some("Adult")));
    // Changing a row replaces its price, and a new type joins the theatre's types.
    f.ok(&["card", "set", "evening", "--type", "child", "--price", "Regular=6.50", "--price", "Premium=8"]);
    let evening = f.ok(&["card", "list", "EVENING"]);
    let child: Vec<_> = evening.as_array().expect("rows").iter().filter(|r| r["type"] == "Child").collect();
    assert_eq!(child.len(), 2, "the child row now prices Premium too: {evening}");
    let types = f.ok(&["card", "types"]);
    assert_eq!(types[0]["name"], "Adult");
    assert_eq!(types[0]["default"], true);

    let show = add_show(&f, "Up", START, END, "Evening");
    let slot = f.ok(&["slot", "show", &show.to_string()]);
    assert_eq!(slot["slot"]["card"], "Evening");
    assert_eq!(slot["slot"]["prices"]["Regular"], 1000, "the default type's prices");
    assert_eq!(slot["slot"]["prices_by_type"]["Child"]["Premium"], 800);
    assert_eq!(slot["slot"]["prices_by_type"]["Senior"]["Regular"], 700);
    // Editing the card later never reprices a show already on sale.
    f.ok(&["card", "set", "Evening", "--type", "Child", "--price", "Regular=1"]);
    let again = f.ok(&["slot", "show", &show.to_string()]);
    assert_eq!(again["slot"]["prices_by_type"]["Child"]["Regular"], 650);
    // --price still prices the default type, here over the card's.
    let v = f.ok(&[
        "slot",
        "add",
        "--name",
        "Late",
        "--start",
        "2026-11-23 22:30",
        "--end",
        "2026-11-23 23:30",
        "--hall",
        "Small",
        "--card",
        "Matinee",
        "--price",
        "Regular=9",
    ]);
    assert_eq!(v["prices"]["Regular"], 900);
    assert_eq!(v["prices"]["Premium"], 1000);
    assert_eq!(v["prices_by_type"]["Child"]["Regular"], 500);
}

#[test]
fn a_mixed_sale_is_priced_by_type_and_a_sale_without_types_is_all_the_default() {
    let f = with_cards();
    let show = add_show(&f, "Up", START, END, "Evening");
    let sale = f.book(show, &["--seats", "A1,A2,A3", "--types", "Child=1,senior=1"]);
    assert_eq!(sale["total"], 2350, "Adult 10 + Child 6.50 + Senior 7 = 23.50");
    let mut priced = prices_of(&sale["tickets"]);
    priced.sort();
    assert_eq!(
        priced,
        vec![
            ("A1".into(), "Child".into(), 650),
            ("A2".into(), "Senior".into(), 700),
            ("A3".into(), "Adult".into(), 1000)
        ]
    );
    let plain = f.book(show, &["--count", "2"]);
    let adult = |t: &Value| t["type"] == "Adult" && t["price"] == if t["category"] == "Premium" { 1300 } else { 1000 };
    assert!(plain["tickets"].as_array().expect("tickets").iter().all(adult), "{plain}");
    let ticket = f.ok(&["ticket", sale["tickets"][0]["id"].as_str().expect("code")]);
    assert_eq!(ticket["type"], "Child");
    let listed = f.ok(&["tickets", "--slot", &show.to_string()]);
    assert!(listed.as_array().expect("tickets").iter().all(|t| t["type"].is_string()));
}

#[test]
fn each_refusal_names_its_reason_and_leaves_the_database_unchanged() {
    let f = with_cards();
    let show = add_show(&f, "Up", START, END, "Evening");
    let id = show.to_string();
    f.book(show, &["--count", "1"]);
    let before = f.snapshot(show);
    let cards_before = f.ok(&["card", "list"]);
    let refusals: [(&[&str], i32, &str); 7] = [
        (&["book", "--slot", &id, "--count", "2", "--types", "Child=3"], 5, "3 typed tickets but 2 seats"),
        (&["book", "--slot", &id, "--count", "1", "--types", "Student=1"], 5, "does not sell Student tickets"),
        (&["book", "--slot", &id, "--seats", "B1", "--types", "Child=1"], 5, "no Child price for Premium seats (B1)"),
        (&["book", "--slot", &id, "--count", "1", "--types", "Child"], 5, "Child=2,Senior=1"),
        (
            &[
                "slot",
                "add",
                "--name",
                "X",
                "--start",
                "2026-11-24 10:00",
                "--end",
                "2026-11-24 11:00",
                "--hall",
                "Small",
                "--card",
                "Gala",
            ],
            5,
            "no price card 'Gala'",
        ),
        (&["card", "set", "Evening", "--type", "Child", "--price", "6.50"], 5, "name the category"),
        (&["card", "remove", "Gala"], 3, "no price card 'Gala'"),
    ];
    for (args, code, words) in refusals {
        let line = f.fails(args, code);
        assert!(line.contains(words), "{args:?}: {line}");
        assert_eq!(f.snapshot(show), before, "{args:?} changed the database");
        assert_eq!(f.ok(&["card", "list"]), cards_before, "{args:?} changed the cards");
    }
    // A card without the default type's price for a hall's category cannot price a show there.
    f.ok(&["card", "set", "Kids", "--type", "Child", "--price", "Regular=4"]);
    let line = f.fails(
        &[
            "slot",
            "add",
            "--name",
            "Kids",
            "--start",
            "2026-11-24 10:00",
            "--end",
            "2026-11-24 11:00",
            "--hall",
            "Small",
            "--card",
            "Kids",
        ],
        5,
    );
    assert!(line.contains("no Adult price for Regular seats") && line.contains("card 'Kids'"), "{line}");
    // Removing one type's row, then the card; shows priced from it keep their prices.
    assert_eq!(f.ok(&["card", "remove", "Evening", "--type", "Senior"])["removed"], 2);
    assert_eq!(f.ok(&["card", "remove", "Evening"])["removed"], 3);
    assert_eq!(f.ok(&["slot", "show", &id])["slot"]["prices_by_type"]["Senior"]["Regular"], 700);
}

#[test]
fn rebooking_keeps_each_tickets_type_and_settles_at_the_new_shows_card() {
    let f = with_cards();
    let evening = add_show(&f, "Up", START, END, "Evening");
    let matinee = add_show(&f, "Up", "2026-11-24 14:00", "2026-11-24 16:00", "Matinee");
    let sale = f.book(evening, &["--seats", "A1,A2", "--types", "Child=1"]);
    assert_eq!(sale["total"], 650 + 1000);
    let moved = f.ok(&["rebook", sale["booking"].as_str().expect("booking"), "--slot", &matinee.to_string()]);
    let mut new: Vec<(String, i64)> = prices_of(&moved["new"]).into_iter().map(|(_, t, p)| (t, p)).collect();
    new.sort();
    assert_eq!(new, vec![("Adult".into(), 800), ("Child".into(), 500)]);
    assert_eq!(moved["difference"], (800 + 500) - (1000 + 650));
    // One ticket, back to the evening, to a Premium seat: the child pays the evening's child
    // Premium price, which the card does not have.
    let child = moved["new"].as_array().expect("new").iter().find(|t| t["type"] == "Child").expect("child");
    let code = child["id"].as_str().expect("code");
    let line = f.fails(&["rebook", code, "--slot", &evening.to_string(), "--seats", "B5"], 5);
    assert!(line.contains("no Child price for Premium seats"), "{line}");
    let back = f.ok(&["rebook", code, "--slot", &evening.to_string(), "--seats", "A9"]);
    assert_eq!((back["new"]["type"].as_str(), back["new"]["price"].as_i64()), (Some("Child"), Some(650)));
    assert_eq!(back["difference"], 150);
    let report = f.ok(&["report"]);
    assert_eq!(report["net"], 800 + 650, "what is sold now, at what it cost");
}

#[test]
fn the_report_counts_tickets_and_takings_by_type() {
    let f = with_cards();
    let show = add_show(&f, "Up", START, END, "Evening");
    f.book(show, &["--seats", "A1,A2,A3", "--types", "Child=2"]);
    let family = f.book(show, &["--seats", "A5,A6", "--types", "Senior=1", "--pay", "card"]);
    f.ok(&["cancel", family["tickets"][0]["id"].as_str().expect("code")]);
    let report = f.ok(&["report"]);
    let by_type = &report["by_type"];
    assert_keys(&by_type["Adult"], &["tickets", "sales", "refunds", "net"]);
    assert_eq!((by_type["Child"]["tickets"].as_i64(), by_type["Child"]["sales"].as_i64()), (Some(2), Some(1300)));
    assert_eq!((by_type["Adult"]["tickets"].as_i64(), by_type["Adult"]["sales"].as_i64()), (Some(2), Some(2000)));
    assert_eq!(
        by_type["Senior"]["refunds"].as_i64().unwrap_or(0) + by_type["Adult"]["refunds"].as_i64().unwrap_or(0),
        700
    );
    let net: i64 = by_type.as_object().expect("types").values().map(|t| t["net"].as_i64().expect("net")).sum();
    assert_eq!(net, report["net"].as_i64().expect("net"), "the types add up to the day");
    let out = f.cmd_at(super::support::NOW).args(["export", "tickets"]).output().expect("run");
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(csv.lines().next().is_some_and(|h| h.ends_with(",type")), "{csv}");
    assert!(csv.contains(",Child"), "{csv}");
}
