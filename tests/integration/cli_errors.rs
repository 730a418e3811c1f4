//! Every error class of the contract: its exit code, one line on stderr, nothing on stdout,
//! no panic, and the database left as it was.

use super::support::{END, Fixture, START, asset};

/// Runs each case (expected to fail with `code`) and checks the slot's state did not move.
fn refuse_all(f: &Fixture, slot: i64, code: i32, cases: &[Vec<&str>]) {
    let before = f.snapshot(slot);
    for args in cases {
        f.fails(args, code);
    }
    assert_eq!(f.snapshot(slot), before, "a refused command changed the database");
}

#[test]
fn usage_errors_exit_2_without_output_or_panic() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["book", "--slot", &slot, "--count", "1", "--bogus"],
        vec!["book", "--slot", &slot, "--name", "Ann"],
        vec!["book", "--slot", &slot, "--count", "1", "--seats", "A1"],
        vec!["book", "--count", "1"],
        vec!["book", "--slot", "seven", "--count", "1"],
        vec!["book", "--slot", &slot, "--count", "-1"],
        vec!["book", "--slot", &slot, "--count", "1", "--pay", "cheque"],
        vec!["slot", "add", "--name", "X", "--start", START, "--end", END],
        vec!["hall", "add", "--name", "H"],
        vec!["hall", "add", "--name", "H", "--rows", "2"],
        vec!["frobnicate"],
    ];
    let before = f.snapshot(id);
    for args in &cases {
        let out = f.run_at(super::support::NOW, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        // Usage errors are one line like every other error, naming the problem.
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("ticketly: ") && stderr.contains("see --help"), "{args:?}: {stderr}");
    }
    assert_eq!(f.snapshot(id), before);
}

#[test]
fn not_found_exits_3() {
    let (f, id) = Fixture::with_slot();
    let msg = f.fails(&["book", "--slot", "999", "--count", "1"], 3);
    assert!(msg.contains("999"), "{msg}");
    let msg = f.fails(&["ticket", "TKT-ZZZZZZ"], 3);
    assert_eq!(msg, "ticketly: no ticket 'TKT-ZZZZZZ'");
    let cases = vec![
        vec!["slot", "show", "999"],
        vec!["slot", "show", "--movie", "Nope", "--start", START],
        vec!["book", "--movie", "Avatar", "--start", "2026-11-23 21:00", "--count", "1"],
        vec!["tickets", "--slot", "999"],
        vec!["ticket", "123456"],
        vec!["cancel", "TKT-ZZZZZZ"],
        vec!["cancel", "BKG-ZZZZZZ"],
        vec!["rebook", "TKT-ZZZZZZ", "--slot", "1"],
        vec!["slot", "add", "--name", "X", "--start", START, "--end", END, "--hall", "Nope", "--price", "9"],
        vec!["hall", "add", "--name", "H", "--rows", "1", "--seats", "2", "--cinema", "Nope"],
    ];
    refuse_all(&f, id, 3, &cases);
}

#[test]
fn an_unknown_cinema_is_not_found() {
    let f = Fixture::empty();
    f.ok(&["init"]);
    f.fails(&["--cinema", "Nowhere", "hall", "add", "--name", "H", "--rows", "1", "--seats", "2"], 3);
}

#[test]
fn conflicts_exit_4() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    let sale = f.book(id, &["--seats", "A1,A2"]);
    let codes = Fixture::codes(&sale);
    f.ok(&["cancel", &codes[1]]);
    f.book(id, &["--seats", "B1"]);
    let cases = vec![
        vec!["book", "--slot", &slot, "--seats", "A1"],
        vec!["book", "--slot", &slot, "--seats", "A3,A1"],
        vec!["cancel", &codes[1]],
        vec!["rebook", &codes[1], "--slot", &slot],
        vec!["rebook", &codes[0], "--slot", &slot, "--seats", "B1"],
        vec!["cinema", "add", "--name", "Rex", "--city", "Bonn"],
        vec!["hall", "add", "--name", "small", "--rows", "1", "--seats", "1"],
        vec!["slot", "add", "--name", "Y", "--start", START, "--end", END, "--hall", "Small", "--price", "9"],
    ];
    refuse_all(&f, id, 4, &cases);
    // Sales closed: the slot has ended.
    let before = f.snapshot(id);
    let msg = f.fails_at("2026-11-23 22:00", &["book", "--slot", &slot, "--count", "1"], 4);
    assert!(msg.contains("sales closed"), "{msg}");
    f.fails_at("2026-11-23 22:00", &["cancel", &codes[0]], 4);
    assert_eq!(f.snapshot(id), before);
}

#[test]
fn a_full_slot_refuses_more_sales() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    f.book(id, &["--count", "10"]);
    f.book(id, &["--count", "8"]);
    let cases = vec![vec!["book", "--slot", &slot, "--count", "3"], vec!["book", "--slot", &slot, "--seats", "A1"]];
    refuse_all(&f, id, 4, &cases);
    f.book(id, &["--count", "2"]);
    refuse_all(&f, id, 4, &[vec!["book", "--slot", &slot, "--count", "1"]]);
}

#[test]
fn invalid_input_exits_5() {
    let (f, id) = Fixture::with_slot();
    let slot = id.to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let bad_layout = dir.path().join("bad.layout");
    std::fs::write(&bad_layout, "A: RRXR\nB: RRRR\n").expect("write layout");
    let bad_layout = bad_layout.to_str().expect("utf-8 path").to_string();
    let eleven = "A1,A2,A3,A4,A5,A6,A7,A8,A9,A10,B1";
    let add = |start: &'static str, end: &'static str, price: &'static str| {
        vec!["slot", "add", "--name", "X", "--start", start, "--end", end, "--hall", "Small", "--price", price]
    };
    let cases = vec![
        // bad dates and times
        add("2026-11-31 20:00", "2026-12-01 22:00", "9"),
        add("tomorrow", "2026-11-25 22:00", "9"),
        add("2026-11-25 20:00", "2026-11-25 25:00", "9"),
        vec!["report", "--date", "2026-02-30"],
        vec!["slot", "list", "--date", "23.11.2026"],
        vec!["expire", "--at", "yesterday"],
        // slots that end before they start, or lie in the past
        add("2026-11-25 20:00", "2026-11-25 19:00", "9"),
        add("2026-11-25 20:00", "2026-11-25 20:00", "9"),
        add("2026-11-23 11:00", "2026-11-23 13:00", "9"),
        add("2026-11-20 20:00", "2026-11-20 22:00", "9"),
        // prices
        add("2026-11-25 20:00", "2026-11-25 22:00", "Gold=9"),
        add("2026-11-25 20:00", "2026-11-25 22:00", "Regular=-9"),
        add("2026-11-25 20:00", "2026-11-25 22:00", "9.999"),
        add("2026-11-25 20:00", "2026-11-25 22:00", "Premium=12"),
        // seat counts and seat lists
        vec!["book", "--slot", &slot, "--count", "11"],
        vec!["book", "--slot", &slot, "--count", "0"],
        vec!["book", "--slot", &slot, "--seats", eleven],
        vec!["book", "--slot", &slot, "--seats", "Z9"],
        vec!["book", "--slot", &slot, "--seats", "A11"],
        vec!["book", "--slot", &slot, "--seats", "A1,a1"],
        vec!["book", "--slot", &slot, "--seats", "A1,,A2"],
        vec!["book", "--slot", &slot, "--seats", "1A"],
        vec!["book", "--slot", &slot, "--count", "1", "--phone", "call me"],
        vec!["book", "--slot", &slot, "--count", "1", "--name", "bell\u{7}"],
        // layouts
        vec!["hall", "add", "--name", "Bad", "--layout", &bad_layout],
        vec!["hall", "add", "--name", "Bad", "--layout", "/no/such/file.layout"],
        vec!["hall", "add", "--name", "Bad", "--rows", "2", "--seats", "5", "--premium-rows", "Q"],
        vec!["hall", "add", "--name", "Bad", "--rows", "0", "--seats", "5"],
        vec!["ticket", "TKT-THIS-IS-FAR-TOO-LONG-FOR-A-CODE"],
    ];
    refuse_all(&f, id, 5, &cases);
    assert_eq!(f.ok(&["hall", "list"]).as_array().expect("halls").len(), 1, "no bad hall was added");
    // The shipped layouts are valid.
    for name in ["grand.layout", "studio.layout"] {
        let path = asset(name);
        f.ok(&["hall", "add", "--name", name, "--layout", path.to_str().expect("utf-8 path")]);
    }
}
