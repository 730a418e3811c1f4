//! Issue 10's import figures: `slot import` of 50,000 shows into one hall, and how long a
//! counter selling into another hall meanwhile waits at worst (the write lock is held only for
//! the final insert; every check runs before it). On SQLite, and on PostgreSQL when a server is
//! at hand (a throwaway cluster from the machine's binaries, or `TICKETLY_TEST_PG`).
//!
//!     cargo bench --bench import

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::NaiveDateTime;
use ticketly::domain::layout::HallLayout;
use ticketly::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest};
use ticketly::domain::policy::Policy;
use ticketly::domain::schedule::{NewSlot, PriceArg};
use ticketly::store::Store;

const ROWS: usize = 50_000;

fn main() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("ticketly-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut targets = vec![("SQLite", dir.join("import.db"))];
    match ticketly::testdb::fresh_postgres_url() {
        Some(url) => targets.push(("PostgreSQL", PathBuf::from(url))),
        None => eprintln!("import: no PostgreSQL server; measuring SQLite only"),
    }
    println!("| engine | import {ROWS} shows into one hall | a counter's longest sale meanwhile | its median sale |");
    println!("| --- | --- | --- | --- |");
    for (name, target) in &targets {
        let (import, longest, median) = measure(target)?;
        println!("| {name} | {:.2} s | {:.0} ms | {:.1} ms |", import.as_secs_f64(), ms(longest), ms(median));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn now() -> NaiveDateTime {
    ticketly::domain::time::now()
}

fn show(name: &str, hall: &str, start: NaiveDateTime, minutes: i64) -> NewSlot {
    NewSlot {
        name: name.into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: String::new(),
        hall: hall.into(),
        start,
        end: start + chrono::Duration::minutes(minutes),
        prices: vec![PriceArg::All(950)],
        card: None,
    }
}

/// Imports `ROWS` shows (three a day, 2 h each) into hall "Big" while a counter sells one seat
/// at a time into a show in hall "Counter"; returns the import's time and the counter's
/// longest and median sale while it ran.
fn measure(target: &Path) -> Result<(Duration, Duration, Duration)> {
    let mut store = Store::open(target)?;
    store.add_cinema("Bench", "Leeds")?;
    store.add_hall(None, "Big", &HallLayout::generate(10, 10, &[])?)?;
    store.add_hall(None, "Counter", &HallLayout::generate(40, 50, &[])?)?;
    let tomorrow = now() + chrono::Duration::days(1);
    let selling = store.add_slot(show("Counter show", "Counter", tomorrow, 120), now())?;
    let first = tomorrow + chrono::Duration::days(1);
    let rows: Vec<(usize, NewSlot)> = (0..ROWS)
        .map(|i| {
            let start = first + chrono::Duration::hours(8 * i as i64);
            (i + 2, show(&format!("Show {i}"), "Big", start, 120))
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let counter = {
        let (stop, waits, target) = (stop.clone(), waits.clone(), target.to_path_buf());
        std::thread::spawn(move || -> Result<()> {
            let mut store = Store::open(&target)?;
            let policy = Policy::default();
            while !stop.load(Ordering::Relaxed) {
                let request = SaleRequest {
                    slot: selling,
                    seats: SeatRequest::Count(1),
                    customer: Customer::default(),
                    payment: PaymentMethod::Cash,
                    operator: "bench".into(),
                    types: Vec::new(),
                    price_override: None,
                };
                let began = Instant::now();
                match store.sell(&request, now(), &policy) {
                    Ok(_) => {}
                    // A slow import can outlast the counter's show: it sold out, stop there.
                    Err(ticketly::store::Error::Domain(_)) => break,
                    Err(e) => return Err(e.into()),
                }
                waits.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.push(began.elapsed());
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(())
        })
    };
    let began = Instant::now();
    let imported = store.import_slots(&rows, now(), false, &mut |_| {})?;
    let took = began.elapsed();
    stop.store(true, Ordering::Relaxed);
    counter.join().map_err(|_| anyhow::anyhow!("the counter thread panicked"))??;
    anyhow::ensure!(imported == Ok(ROWS), "the import did not take every row: {imported:?}");
    let mut waits = waits.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone();
    waits.sort();
    let longest = waits.last().copied().unwrap_or_default();
    let median = waits.get(waits.len() / 2).copied().unwrap_or_default();
    Ok((took, longest, median))
}
