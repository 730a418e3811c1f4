//! A chain in one database: two cinemas in two cities. A counter that belongs to one cinema
//! (`--cinema`, `TICKETLY_CINEMA`, `[counter] cinema`) sees only its shows and its takings; the
//! head office sees the chain, cinema by cinema, and browses by city.

use super::support::{Fixture, NOW};

/// Rex in Berlin (hall Small, with the Avatar slot) and Odeon in Leeds (hall Big, Dune).
fn chain() -> (Fixture, i64, i64) {
    let (f, avatar) = Fixture::with_slot();
    f.ok(&["cinema", "add", "--name", "Odeon", "--city", "Leeds"]);
    f.ok(&["--cinema", "Odeon", "hall", "add", "--name", "Big", "--rows", "3", "--seats", "10"]);
    let dune = f.add_slot("Dune", "2026-11-23 20:00", "2026-11-23 22:30", "Big");
    (f, avatar, dune)
}

fn ids(list: &serde_json::Value) -> Vec<i64> {
    list.as_array().expect("array").iter().map(|s| s["id"].as_i64().expect("id")).collect()
}

#[test]
fn cinema_list_shows_the_cities_with_their_cinemas() {
    let (f, _, _) = chain();
    let list = f.ok(&["cinema", "list"]);
    let names: Vec<(&str, &str, i64)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (c["city"].as_str().expect("city"), c["name"].as_str().expect("name"), c["halls"].as_i64().expect("halls"))
        })
        .collect();
    assert_eq!(names, vec![("Berlin", "Rex", 1), ("Leeds", "Odeon", 1)]);
    let text = f.cmd_at(NOW).args(["cinema", "list"]).output().expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.starts_with("Berlin\n  Rex"), "{text}");
}

#[test]
fn the_schedule_filters_by_city_and_cinema() {
    let (f, avatar, dune) = chain();
    assert_eq!(ids(&f.ok(&["slot", "list"])), vec![dune, avatar], "by time, then hall");
    assert_eq!(ids(&f.ok(&["slot", "list", "--city", "leeds"])), vec![dune]);
    assert_eq!(ids(&f.ok(&["--cinema", "rex", "slot", "list"])), vec![avatar]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--city", "Leeds", "--cinema", "Rex"])), Vec::<i64>::new());
    let mut counter = f.cmd_at(NOW);
    counter.env("TICKETLY_CINEMA", "Odeon").args(["--json", "slot", "list"]);
    let out = counter.output().expect("run");
    assert_eq!(ids(&serde_json::from_slice(&out.stdout).expect("JSON")), vec![dune]);
    let line = f.fails(&["--cinema", "Gaumont", "slot", "list"], 3);
    assert!(line.contains("no cinema named 'Gaumont'"), "{line}");
}

#[test]
fn a_cinema_s_report_has_its_own_takings_and_the_chain_s_has_them_all() {
    let (f, avatar, dune) = chain();
    f.book(avatar, &["--count", "2"]);
    f.book(dune, &["--count", "3", "--pay", "card"]);
    let rex = f.ok(&["--cinema", "Rex", "report"]);
    assert_eq!((rex["cinema"].as_str(), rex["sales"].as_i64()), (Some("Rex"), Some(2 * 950)));
    assert_eq!(rex["by_operator"].as_array().expect("operators").len(), 1);
    let chain = f.ok(&["report", "--all-cinemas"]);
    assert_eq!(chain["cinema"], serde_json::Value::Null);
    let per: Vec<(&str, i64)> = chain["cinemas"]
        .as_array()
        .expect("cinemas")
        .iter()
        .map(|c| (c["cinema"].as_str().expect("name"), c["sales"].as_i64().expect("sales")))
        .collect();
    let dune_sales = f.ok(&["--cinema", "Odeon", "report"])["sales"].as_i64().expect("sales");
    assert_eq!(per, vec![("Rex", 2 * 950), ("Odeon", dune_sales)]);
    assert_eq!(chain["sales"].as_i64(), Some(2 * 950 + dune_sales), "the chain is the sum of its cinemas");
}

#[test]
fn a_counter_of_one_cinema_schedules_only_into_its_own_halls() {
    let (f, _, _) = chain();
    let add_into = |hall: &'static str| -> Vec<&'static str> {
        vec!["--cinema", "Odeon", "slot", "add", "--name", "Cross", "--start", "2026-11-25 20:00", "--end"]
            .into_iter()
            .chain(["2026-11-25 22:00", "--hall", hall, "--price", "9"])
            .collect()
    };
    let line = f.fails(&add_into("Small"), 5);
    assert!(line.contains("hall 'Small' belongs to Rex, not to Odeon"), "{line}");
    f.ok(&add_into("Big"));
}
