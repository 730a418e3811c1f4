//! Setting the theatre up through the CLI: init, cinemas, halls, slots, the schedule and seat maps.

use super::support::{END, Fixture, PREMIUM, REGULAR, START, assert_keys, asset};

#[test]
fn init_creates_an_empty_database_once() {
    let f = Fixture::empty();
    let v = f.ok(&["init"]);
    assert_keys(&v, &["database", "demo"]);
    assert_eq!(v["demo"], false);
    assert!(!f.is_file() || f.db.exists(), "init created the file");
    assert_eq!(f.ok(&["hall", "list"]), serde_json::json!([]));
    assert_eq!(f.ok(&["slot", "list", "--all"]), serde_json::json!([]));
}

#[test]
fn init_demo_loads_a_week_of_shows_with_sales() {
    let f = Fixture::empty();
    let v = f.ok(&["init", "--demo"]);
    assert_eq!(v["demo"], true);
    let slots = v["slots"].as_u64().expect("slot count");
    let sold = v["tickets"].as_u64().expect("ticket count");
    assert!(slots >= 7 && sold > 0, "{v}");
    let all = f.ok(&["slot", "list", "--all"]);
    assert_eq!(all.as_array().expect("array").len() as u64, slots);
    let free: u64 = all.as_array().expect("array").iter().map(|s| s["seats_free"].as_u64().expect("free")).sum();
    let total: u64 = all.as_array().expect("array").iter().map(|s| s["seats_total"].as_u64().expect("total")).sum();
    assert_eq!(total - free, sold, "the sold tickets occupy seats");
    assert!(!f.ok(&["hall", "list"]).as_array().expect("halls").is_empty());
    // A second run does not add the demo twice.
    let again = f.ok(&["init", "--demo"]);
    assert_eq!(again["demo"], false);
    assert_eq!(f.ok(&["slot", "list", "--all"]).as_array().expect("array").len() as u64, slots);
}

#[test]
fn cinema_add_and_duplicate() {
    let f = Fixture::empty();
    let v = f.ok(&["cinema", "add", "--name", " Rex ", "--city", "Berlin"]);
    assert_keys(&v, &["id", "name", "city"]);
    assert_eq!(v["name"], "Rex");
    assert_eq!(v["city"], "Berlin");
    f.fails(&["cinema", "add", "--name", "Rex", "--city", "Bonn"], 4);
}

#[test]
fn hall_add_rectangle_with_premium_rows() {
    let f = Fixture::new();
    let v = f.ok(&["hall", "add", "--name", "Small", "--rows", "2", "--seats", "10", "--premium-rows", "B"]);
    assert_keys(&v, &["id", "name", "cinema", "seats"]);
    assert_eq!(v["seats"], 20);
    assert_eq!(v["cinema"], "Rex");
    let slot = f.add_slot("Avatar", START, END, "Small");
    let show = f.ok(&["slot", "show", &slot.to_string()]);
    let seats = show["seats"].as_array().expect("seats");
    assert_eq!(seats.len(), 20);
    for s in seats {
        assert_keys(s, &["seat", "category", "status", "price"]);
        let label = s["seat"].as_str().expect("label");
        let (category, price) = if label.starts_with('B') { ("Premium", PREMIUM) } else { ("Regular", REGULAR) };
        assert_eq!(s["category"], category, "{s}");
        assert_eq!(s["price"], price, "{s}");
        assert_eq!(s["status"], "available");
    }
}

#[test]
fn hall_add_from_the_grand_layout_file() {
    let f = Fixture::new();
    let path = asset("grand.layout");
    let text = std::fs::read_to_string(&path).expect("grand.layout");
    // Count the seats the file draws: the cells after "ROW:" that are not gaps.
    let expected = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| l.split_once(':'))
        .map(|(_, cells)| cells.chars().filter(|c| "RPAV".contains(*c)).count())
        .sum::<usize>();
    let v = f.ok(&["hall", "add", "--name", "Grand", "--layout", path.to_str().expect("utf-8 path")]);
    assert_eq!(v["seats"], expected as u64);
    let halls = f.ok(&["hall", "list"]);
    let halls = halls.as_array().expect("halls");
    assert_eq!(halls.len(), 1);
    assert_keys(&halls[0], &["id", "name", "cinema", "city", "seats"]);
    assert_eq!(halls[0]["name"], "Grand");
    // Every category of the file needs a price: VIP has none here, so the slot is refused...
    f.fails(
        &[
            "slot",
            "add",
            "--name",
            "Gala",
            "--start",
            START,
            "--end",
            END,
            "--hall",
            "Grand",
            "--price",
            "Regular=9.50",
        ],
        5,
    );
    // ...and with a base price for the rest it is accepted, Accessible and VIP at that price.
    let v = f.ok(&[
        "slot",
        "add",
        "--name",
        "Gala",
        "--start",
        START,
        "--end",
        END,
        "--hall",
        "Grand",
        "--price",
        "9.50",
        "--price",
        "Premium=12",
    ]);
    assert_eq!(v["prices"], serde_json::json!({"Regular": 950, "Premium": 1200, "Accessible": 950, "VIP": 950}));
    let show = f.ok(&["slot", "show", "--movie", "Gala", "--start", START]);
    let seats = show["seats"].as_array().expect("seats");
    assert_eq!(seats.len(), expected);
    let k1 = seats.iter().find(|s| s["seat"] == "K1").expect("seat K1");
    assert_eq!(k1["category"], "Accessible");
    let h1 = seats.iter().find(|s| s["seat"] == "H1").expect("seat H1");
    assert_eq!((h1["category"].as_str(), h1["price"].as_i64()), (Some("Premium"), Some(1200)));
}

#[test]
fn slot_add_prints_the_slot_with_prices() {
    let f = Fixture::with_hall();
    let v = f.ok(&[
        "slot",
        "add",
        "--name",
        "Avatar",
        "--start",
        START,
        "--end",
        END,
        "--hall",
        "small",
        "--description",
        "Blue people",
        "--type",
        "Movie",
        "--genre",
        "SciFi",
        "--price",
        "Regular=9.50",
        "--price",
        "Premium=12",
    ]);
    assert_keys(&v, &["id", "name", "start", "end", "genre", "type", "hall", "prices", "description"]);
    assert_eq!(v["start"], START);
    assert_eq!(v["end"], END);
    assert_eq!(v["hall"], "Small");
    assert_eq!(v["type"], "Movie");
    assert_eq!(v["prices"], serde_json::json!({"Regular": 950, "Premium": 1200}));
}

#[test]
fn slot_add_refuses_an_overlap_in_the_same_hall() {
    let (f, _) = Fixture::with_slot();
    let before = f.ok(&["slot", "list", "--all"]);
    f.fails(
        &[
            "slot",
            "add",
            "--name",
            "Other",
            "--start",
            "2026-11-23 21:00",
            "--end",
            "2026-11-23 23:00",
            "--hall",
            "Small",
            "--price",
            "9",
        ],
        4,
    );
    assert_eq!(f.ok(&["slot", "list", "--all"]), before);
    // Back to back is fine.
    f.add_slot("Other", END, "2026-11-23 23:30", "Small");
}

/// Three slots over two days and two genres, for the schedule's filters.
fn schedule() -> (Fixture, [i64; 3]) {
    let f = Fixture::with_hall();
    f.ok(&["hall", "add", "--name", "Big", "--rows", "3", "--seats", "4"]);
    let add = |name: &str, start: &str, end: &str, hall: &str, genre: &str| {
        let v = f.ok(&[
            "slot", "add", "--name", name, "--start", start, "--end", end, "--hall", hall, "--genre", genre, "--price",
            "9",
        ]);
        v["id"].as_i64().expect("id")
    };
    let a = add("Avatar", "2026-11-23 14:00", "2026-11-23 16:00", "Small", "SciFi");
    let b = add("Dune", "2026-11-23 14:00", "2026-11-23 17:00", "Big", "SciFi");
    let c = add("Amélie", "2026-11-24 18:00", "2026-11-24 20:00", "Small", "Romance");
    (f, [a, b, c])
}

fn ids(list: &serde_json::Value) -> Vec<i64> {
    list.as_array().expect("array").iter().map(|s| s["id"].as_i64().expect("id")).collect()
}

#[test]
fn slot_list_has_the_contract_keys_and_counts_free_seats() {
    let (f, [a, b, c]) = schedule();
    f.book(a, &["--count", "3"]);
    let list = f.ok(&["slot", "list"]);
    assert_eq!(ids(&list), vec![b, a, c], "ordered by start, then hall");
    for s in list.as_array().expect("array") {
        assert_keys(s, &["id", "name", "start", "end", "genre", "type", "hall", "seats_total", "seats_free"]);
    }
    assert_eq!((list[1]["seats_total"].as_u64(), list[1]["seats_free"].as_u64()), (Some(20), Some(17)));
    assert_eq!((list[0]["seats_total"].as_u64(), list[0]["seats_free"].as_u64()), (Some(12), Some(12)));
    assert_eq!(list[2]["name"], "Amélie");
}

#[test]
fn slot_list_filters_by_genre_date_and_search() {
    let (f, [a, b, c]) = schedule();
    assert_eq!(ids(&f.ok(&["slot", "list", "--genre", "scifi"])), vec![b, a]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--genre", "Romance"])), vec![c]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--genre", "Horror"])), Vec::<i64>::new());
    assert_eq!(ids(&f.ok(&["slot", "list", "--date", "2026-11-24"])), vec![c]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--date", "2026-11-23"])), vec![b, a]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--search", "VAT"])), vec![a]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--search", "méli"])), vec![c]);
    assert_eq!(ids(&f.ok(&["slot", "list", "--search", "%"])), Vec::<i64>::new(), "LIKE wildcards are literal");
    assert_eq!(ids(&f.ok(&["slot", "list", "--genre", "SciFi", "--search", "dune"])), vec![b]);
    // Ended slots drop off the default list but stay on their day's.
    let later = "2026-11-23 16:30";
    assert_eq!(ids(&f.ok_at(later, &["slot", "list"])), vec![b, c]);
    assert_eq!(ids(&f.ok_at(later, &["slot", "list", "--date", "2026-11-23"])), vec![b, a]);
}

#[test]
fn slot_show_by_id_and_by_movie_and_start() {
    let (f, id) = Fixture::with_slot();
    f.book(id, &["--seats", "A1,B2"]);
    let by_id = f.ok(&["slot", "show", &id.to_string()]);
    let by_name = f.ok(&["slot", "show", "--movie", "avatar", "--start", START]);
    assert_eq!(by_id, by_name);
    assert_eq!(by_id["slot"]["id"], id);
    assert_eq!(f.seats_in(id, "booked"), vec!["A1", "B2"]);
    assert_eq!(f.seats_in(id, "available").len(), 18);
    assert!(f.seat_statuses(id).iter().all(|(_, s)| ["available", "held", "booked"].contains(&s.as_str())));
}

#[test]
fn hall_add_right_after_init_makes_the_theatre_s_cinema_and_several_need_cinema() {
    let f = Fixture::empty();
    f.ok(&["init"]);
    let hall = f.ok(&["hall", "add", "--name", "H", "--rows", "5", "--seats", "8"]);
    assert_eq!(hall["seats"], 40);
    let cinemas = f.ok(&["cinema", "list"]);
    assert_eq!(cinemas.as_array().expect("cinemas").len(), 1, "{cinemas}");
    assert_eq!(cinemas[0]["name"], "Theatre");
    // With exactly one cinema, that one is used; with several, --cinema is needed and the error lists them.
    f.ok(&["hall", "add", "--name", "H2", "--rows", "2", "--seats", "2"]);
    f.ok(&["cinema", "add", "--name", "Odeon", "--city", "York"]);
    let line = f.fails(&["hall", "add", "--name", "H3", "--rows", "2", "--seats", "2"], 5);
    assert!(line.contains("several cinemas (Odeon, Theatre)"), "{line}");
    // A hall refused leaves no cinema behind on a new theatre either.
    let g = Fixture::empty();
    g.ok(&["init"]);
    g.fails(&["hall", "add", "--name", "Bad", "--rows", "0", "--seats", "8"], 5);
    assert_eq!(g.ok(&["cinema", "list"]), serde_json::json!([]));
}
