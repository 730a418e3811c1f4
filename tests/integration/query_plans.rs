//! The hot queries use indexes: `EXPLAIN QUERY PLAN` of each (seat map, schedule, ticket by code,
//! expiry, hold release, what every sale reads) must search an index, never scan a table, so a
//! later schema or query change cannot silently turn one into a walk over a million tickets.
//! (Plans, not timings: the benches measure time; no test fails because a machine is slow.)

use ticketly::store::Store;

/// The tables that grow with sales and time; a scan of any of them is linear in the history.
const BIG_TABLES: [&str; 7] = ["ticket", "booking", "payment", "customer", "slot", "seat", "waitlist"];

fn plans() -> Vec<(String, String)> {
    let mut store = Store::open_in_memory().expect("store");
    store.explain_hot_queries().expect("explain")
}

fn plan_of<'a>(plans: &'a [(String, String)], name: &str) -> &'a str {
    plans.iter().find(|(n, _)| n == name).map(|(_, p)| p.as_str()).unwrap_or_else(|| panic!("no plan named {name}"))
}

#[test]
fn no_hot_query_scans_a_table() {
    let plans = plans();
    assert!(plans.len() >= 10, "{plans:?}");
    for (name, plan) in &plans {
        println!("{name}:\n{plan}\n");
        for line in plan.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            // "SCAN ticket", "SCAN t" (an alias) and "SCAN ticket USING INDEX …" all walk every
            // row or entry; only SEARCH narrows to the rows asked for.
            if let Some(i) = words.iter().position(|w| *w == "SCAN") {
                let target = words.get(i + 1).copied().unwrap_or("");
                assert!(
                    !BIG_TABLES.contains(&target) && !line.contains("INDEX") && target.len() > 2,
                    "{name} scans: {line}\nwhole plan:\n{plan}"
                );
            }
        }
        assert!(plan.contains("SEARCH"), "{name} searches nothing:\n{plan}");
    }
}

#[test]
fn hot_queries_use_the_indexes_meant_for_them() {
    let plans = plans();
    let expect = [
        // The seat map: the hall's seats (read once per hall), then the slot's live tickets.
        ("seat map: seats of a hall", "SEARCH seat USING INDEX"),
        ("seat map: live tickets of a slot", "ticket_by_slot (slot_id=? AND status=?)"),
        // The day's slots by start time, each counted by (slot, status).
        ("schedule of a day", "slot_by_start"),
        ("schedule of a day", "ticket_by_slot"),
        ("ticket by code", "sqlite_autoindex_ticket_1"),
        ("booking by code", "sqlite_autoindex_booking_1"),
        ("hold release", "ticket_by_booking"),
        ("expired holds of a slot (a sale past a lapsed hold)", "ticket_by_slot"),
        ("waiting list of a slot (a sale into a show with one)", "SEARCH waitlist USING INDEX"),
        // Every sale reads its show by id, and looks up its waiting list through the index.
        ("sale: the show, its hall and whether it has a waiting list", "SEARCH sl USING INTEGER PRIMARY KEY"),
        ("sale: the show, its hall and whether it has a waiting list", "SEARCH w USING"),
        // Its prices by the price table's key, each type's order by the type's key.
        ("sale: the show, its hall and whether it has a waiting list", "SEARCH p USING PRIMARY KEY (slot_id=?)"),
        ("expiry: slots with a waiting list", "waitlist_live"),
        // The cron job: live holds through their partial index, booked tickets of the shows that
        // ended since the last run through the slots' end times.
        ("expiry: holds that ran out", "ticket_holds"),
        ("expiry: booked tickets of ended shows", "slot_by_end"),
        ("expiry: booked tickets of ended shows", "ticket_by_slot"),
    ];
    for (name, index) in expect {
        let plan = plan_of(&plans, name);
        assert!(plan.contains(index), "{name} does not use {index}:\n{plan}");
    }
}

#[test]
fn expiry_looks_only_at_shows_ended_since_the_last_run() {
    let plans = plans();
    let plan = plan_of(&plans, "expiry: booked tickets of ended shows");
    assert!(plan.contains("ends_at>? AND ends_at<?"), "a bounded range of end times, not all ended shows:\n{plan}");
}
