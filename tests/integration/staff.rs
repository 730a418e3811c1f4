//! Operators (issue 14): PINs, roles, the lockout and approvals. Each refusal is exit 7 and
//! changes nothing but the record of the attempt.

use serde_json::Value;

use super::support::{Fixture, NOW};

/// Runs `args` as `operator` with `pin` (and an approver's PIN), feeding `stdin`.
fn as_op(
    f: &Fixture,
    at: &str,
    operator: &str,
    pin: &str,
    extra: &[(&str, &str)],
    stdin: &str,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = f.cmd_at(at);
    cmd.env("TICKETLY_OPERATOR", operator).env("TICKETLY_PIN", pin);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.arg("--json").args(args).write_stdin(stdin.to_string()).output().expect("run")
}

fn ok(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "failed ({:?}): {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn refused(out: &std::process::Output, code: i32) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

/// The fixture's theatre with Boss (admin, 1111), Mia (manager, 2222), Ann (cashier, 3333).
fn staffed() -> (Fixture, i64) {
    let (f, slot) = Fixture::with_slot();
    let first = as_op(&f, NOW, "Ann", "", &[], "3333\n", &["operator", "add", "Ann", "--role", "cashier"]);
    assert!(refused(&first, 5).contains("first operator must be an admin"));
    ok(&as_op(&f, NOW, "Boss", "", &[], "1111\n", &["operator", "add", "Boss", "--role", "admin"]));
    ok(&as_op(&f, NOW, "Boss", "1111", &[], "2222\n", &["operator", "add", "Mia", "--role", "manager"]));
    ok(&as_op(&f, NOW, "Boss", "1111", &[], "3333\n", &["operator", "add", "Ann", "--role", "cashier"]));
    (f, slot)
}

#[test]
fn a_theatre_with_operators_needs_the_right_pin_and_role_and_a_refusal_writes_nothing() {
    let (f, slot) = staffed();
    let id = slot.to_string();
    let list = f.ok(&["operator", "list"]);
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    assert!(!list.to_string().contains("pin") && !list.to_string().contains("argon"), "{list}");
    let sale = ok(&as_op(&f, NOW, "ann", "3333", &[], "", &["book", "--slot", &id, "--count", "2"]));
    assert_eq!(f.ok(&["ticket", sale["tickets"][0]["id"].as_str().expect("code")])["operator"], "Ann");
    // What a refusal may change: only the journal, which records the attempt.
    let state = |f: &Fixture| {
        let mut v = f.snapshot(slot);
        v["report"]["journal_head"] = Value::Null;
        v
    };
    let before = state(&f);
    for (operator, pin, args, words) in [
        ("Ann", "9999", vec!["book", "--slot", &id, "--count", "1"], "wrong PIN for 'Ann'"),
        ("Nobody", "1234", vec!["book", "--slot", &id, "--count", "1"], "no operator 'Nobody'"),
        (
            "Ann",
            "3333",
            vec![
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
                "--price",
                "5",
            ],
            "Ann is a cashier",
        ),
        ("Mia", "2222", vec!["card", "set", "E", "--type", "Adult", "--price", "Regular=5"], "Mia is a manager"),
        ("Mia", "2222", vec!["demo"], "Mia is a manager"),
        ("Ann", "3333", vec!["init", "--demo"], "Ann is a cashier"),
    ] {
        let line = refused(&as_op(&f, NOW, operator, pin, &[], "", &args), 7);
        assert!(line.contains(words), "{args:?}: {line}");
        assert_eq!(state(&f), before, "{args:?} changed something");
    }
    // Without a PIN at all, and not on a terminal: exit 7 too.
    let mut cmd = f.cmd_at(NOW);
    let out = cmd.env("TICKETLY_OPERATOR", "Ann").args(["book", "--slot", &id, "--count", "1"]).output().expect("run");
    assert!(refused(&out, 7).contains("no PIN for Ann"));
    // Reading needs no one; cron's expire neither.
    f.ok(&["tickets", "--slot", &id]);
    f.ok(&["expire"]);
    let journal = f.ok(&["journal", "show", "--operator", "ann"]);
    assert!(journal.as_array().expect("entries").iter().any(|e| e["action"] == "wrong PIN"), "{journal}");
}

#[test]
fn five_wrong_pins_lock_the_operator_for_five_minutes_and_disabling_stops_them() {
    let (f, slot) = staffed();
    let id = slot.to_string();
    for _ in 0..5 {
        refused(&as_op(&f, NOW, "Ann", "0000", &[], "", &["book", "--slot", &id, "--count", "1"]), 7);
    }
    let line = refused(&as_op(&f, NOW, "Ann", "3333", &[], "", &["book", "--slot", &id, "--count", "1"]), 7);
    assert!(line.contains("locked after 5 wrong PINs until 12:05"), "{line}");
    ok(&as_op(&f, "2026-11-23 12:06", "Ann", "3333", &[], "", &["book", "--slot", &id, "--count", "1"]));
    ok(&as_op(&f, NOW, "Boss", "1111", &[], "", &["operator", "disable", "Ann"]));
    // The only admin cannot lock everyone out of managing the staff.
    let line = refused(&as_op(&f, NOW, "Boss", "1111", &[], "", &["operator", "disable", "Boss"]), 4);
    assert!(line.contains("the only admin"), "{line}");
    let line = refused(&as_op(&f, NOW, "Ann", "3333", &[], "", &["book", "--slot", &id, "--count", "1"]), 7);
    assert!(line.contains("disabled"), "{line}");
    // A new PIN (by the admin) works; the old one no longer does.
    ok(&as_op(&f, NOW, "Boss", "1111", &[], "4444\n", &["operator", "pin", "Mia"]));
    refused(&as_op(&f, NOW, "Mia", "2222", &[], "", &["book", "--slot", &id, "--count", "1"]), 7);
    ok(&as_op(&f, NOW, "Mia", "4444", &[], "", &["book", "--slot", &id, "--count", "1"]));
}

#[test]
fn a_late_refund_needs_a_managers_approval_which_is_recorded() {
    let (f, slot) = staffed();
    let id = slot.to_string();
    let sale = ok(&as_op(&f, NOW, "Ann", "3333", &[], "", &["book", "--slot", &id, "--count", "1"]));
    let code = sale["tickets"][0]["id"].as_str().expect("code").to_string();
    let late = "2026-11-23 20:30";
    // Without --force: the everyday rule (exit 4). With it but no approval: exit 7.
    refused(&as_op(&f, late, "Ann", "3333", &[], "", &["cancel", &code]), 4);
    let line =
        refused(&as_op(&f, late, "Ann", "3333", &[], "", &["cancel", &code, "--force", "--reason", "show-problem"]), 7);
    assert!(line.contains("needs a manager's approval"), "{line}");
    let pin = [("TICKETLY_APPROVE_PIN", "9999")];
    let args = ["cancel", &code, "--force", "--approve", "Mia", "--reason", "show-problem"];
    assert!(refused(&as_op(&f, late, "Ann", "3333", &pin, "", &args), 7).contains("wrong PIN for 'Mia'"));
    let cashier = [("TICKETLY_APPROVE_PIN", "3333")];
    let by_cashier = ["cancel", &code, "--force", "--approve", "Ann", "--reason", "show-problem"];
    assert!(refused(&as_op(&f, late, "Ann", "3333", &cashier, "", &by_cashier), 7).contains("Ann is a cashier"));
    let refusals = f.ok(&["journal", "show", "--operator", "Ann"]).to_string();
    assert!(refusals.contains("not allowed") && refusals.contains("approving needs a manager"), "{refusals}");
    assert_eq!(f.ok(&["ticket", &code])["status"], "booked", "nothing was refunded");
    let pin = [("TICKETLY_APPROVE_PIN", "2222")];
    let done = ok(&as_op(&f, late, "Ann", "3333", &pin, "", &args));
    assert_eq!(done["canceled"][0], code.as_str());
    let journal = f.ok(&["journal", "show"]);
    let approval = journal.as_array().expect("entries").iter().find(|e| e["action"] == "approved").expect("approval");
    assert_eq!(approval["operator"], "Ann");
    let detail = approval["detail"].as_str().expect("detail");
    assert!(
        detail.contains("approved by Mia") && detail.contains("show-problem") && detail.contains("cancel --force"),
        "{detail}"
    );
    assert!(detail.contains(&code), "the approval names the ticket: {detail}");
    let mia = f.ok(&["journal", "show", "--operator", "mia"]);
    assert!(mia.as_array().expect("entries").iter().any(|e| e["action"] == "approved"), "approvals she gave: {mia}");
}

#[test]
fn the_journal_verifies_and_the_cash_up_prints_its_head() {
    let (f, _) = staffed();
    let chain = f.ok(&["journal", "verify"]);
    assert_eq!(chain["entries"], 3, "three operators added: {chain}");
    let report = f.ok(&["report"]);
    let head = report["journal_head"].as_str().expect("head").to_string();
    assert_eq!(head, chain["head"].as_str().expect("head"));
    ok(&as_op(&f, NOW, "Boss", "1111", &[], "", &["operator", "disable", "Ann"]));
    let later = f.ok(&["journal", "verify", "--head", &head]);
    assert_eq!(later["entries"], 4);
    let line = f.fails(&["journal", "verify", "--head", "0123456789abcdef"], 1);
    assert!(line.contains("is not in the journal's chain"), "{line}");
}

#[test]
fn reopening_a_till_closed_today_needs_a_managers_approval() {
    let (f, _) = staffed();
    ok(&as_op(&f, NOW, "Ann", "3333", &[], "", &["till", "open", "--float", "100"]));
    ok(&as_op(&f, "2026-11-23 18:00", "Ann", "3333", &[], "", &["till", "close", "--counted", "100"]));
    let again = ["till", "open", "--float", "50"];
    let line = refused(&as_op(&f, "2026-11-23 19:00", "Ann", "3333", &[], "", &again), 5);
    assert!(line.contains("give the reason for the reopening"), "{line}");
    let with_reason = ["till", "open", "--float", "50", "--reason", "staff-error"];
    let line = refused(&as_op(&f, "2026-11-23 19:00", "Ann", "3333", &[], "", &with_reason), 7);
    assert!(line.contains("needs a manager's approval"), "{line}");
    let approved = ["till", "open", "--float", "50", "--reason", "staff-error", "--approve", "Mia"];
    ok(&as_op(&f, "2026-11-23 19:00", "Ann", "3333", &[("TICKETLY_APPROVE_PIN", "2222")], "", &approved));
    let journal = f.ok(&["journal", "show", "--operator", "Mia"]);
    assert!(journal.to_string().contains("reopening Ann's till"), "{journal}");
    assert_eq!(f.ok(&["journal", "verify"])["entries"].as_i64().map(|n| n > 0), Some(true));
}

#[test]
fn a_price_override_or_free_ticket_needs_a_managers_approval_and_never_raises_a_price() {
    let (f, slot) = staffed();
    let id = slot.to_string();
    let free = ["book", "--slot", &id, "--count", "2", "--price", "0", "--reason", "goodwill"];
    let line = refused(&as_op(&f, NOW, "Ann", "3333", &[], "", &free), 7);
    assert!(line.contains("free tickets") && line.contains("needs a manager's approval"), "{line}");
    let sold = |f: &Fixture| f.ok(&["tickets", "--slot", &id]).as_array().map(Vec::len);
    assert_eq!(sold(&f), Some(0), "nothing was sold");
    let no_reason = ["book", "--slot", &id, "--count", "1", "--price", "4.00"];
    let line = refused(&as_op(&f, NOW, "Mia", "2222", &[], "", &no_reason), 5);
    assert!(line.contains("give the reason for the price override to 4.00 a ticket"), "{line}");
    // More than the card's price is no override: exit 5, nothing sold.
    let dearer = ["book", "--slot", &id, "--count", "1", "--price", "99", "--reason", "other"];
    let line = refused(&as_op(&f, NOW, "Mia", "2222", &[], "", &dearer), 5);
    assert!(line.contains("an override only lowers a price: 99.00 is above the Adult price"), "{line}");
    let pin = [("TICKETLY_APPROVE_PIN", "2222")];
    let approved = [&free[..], &["--approve", "Mia"]].concat();
    let sale = ok(&as_op(&f, NOW, "Ann", "3333", &pin, "", &approved));
    assert_eq!(sale["total"], 0);
    assert!(sale["tickets"].as_array().expect("tickets").iter().all(|t| t["price"] == 0), "{sale}");
    let journal = f.ok(&["journal", "show"]).to_string();
    assert!(journal.contains("free tickets (book --price 0)") && journal.contains("approved by Mia"), "{journal}");
    // A manager at the counter approves her own override, recorded as hers.
    let sale = ok(&as_op(
        &f,
        NOW,
        "Mia",
        "2222",
        &[],
        "",
        &["book", "--slot", &id, "--count", "1", "--price", "4", "--reason", "show-problem"],
    ));
    assert_eq!(sale["total"], 400);
    assert_eq!(sold(&f), Some(3));
    assert!(f.ok(&["journal", "verify"])["entries"].as_i64().is_some_and(|n| n > 0));
}
