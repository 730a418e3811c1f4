mod support;
use std::time::Instant;
use ticketly::domain::best::best_seats;
use ticketly::store::Store;
fn main() {
    if !std::env::args().any(|a| a == "--scratch") {
        return;
    }
    let db = std::path::PathBuf::from("/tmp/bench/big.db");
    let raw = support::raw_connection(&db);
    let slots = support::big_hall_slots(&raw, 3);
    let mut store = Store::open(&db).expect("s");
    let now = support::now();
    let map = store.seat_map(slots[0], now).expect("m");
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        let _ = best_seats(&map, 2);
    }
    println!("best_seats: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        let _ = store.slot(slots[0]).expect("slot");
    }
    println!("slot: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        let _ = store.seat_map(slots[0], now).expect("m");
    }
    println!("seat_map: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        let _ = support::raw_seat_rows(&raw, slots[0], 1);
    }
    println!("raw seat rows: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let mut st = raw
        .prepare(
            "SELECT seat_id, status, hold_expires_at FROM ticket WHERE slot_id = ?1 AND status IN ('held','booked')",
        )
        .expect("p");
    let t = Instant::now();
    for _ in 0..n {
        let v: Vec<(i64, String, Option<String>)> = st
            .query_map([slots[0]], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("q")
            .collect::<Result<_, _>>()
            .expect("c");
        std::hint::black_box(v);
    }
    println!("live tickets of slot: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n as f64);
}
