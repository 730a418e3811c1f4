//! In-process store benchmarks on the 1M-ticket database (issue 5, targets 1, 3 and 4), each
//! beside its raw-SQLite floor: a sale vs the bare INSERT transaction, the seat map vs one
//! indexed SELECT of the same rows, and the day's schedule.
//!
//! `cargo bench --bench store`. The database is `$TICKETLY_BENCH_DB`, or generated once under
//! `target/bench-data/`; the sale benches write to a temporary copy of it.

mod support;

use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use ticketly::store::{SlotFilter, Store};

/// Sales per show before moving to the next: a show a third full, as in benches/compare.sh
/// (a seat map costs a little more per seat already sold).
const SALES_PER_SHOW: usize = 150;

fn selling(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("sell.db");
    support::copy_database(&support::database(), &copy);
    let mut raw = support::raw_connection(&copy);
    let slots = support::big_hall_slots(&raw, 600);
    // The store sells into the even slots, the raw baseline inserts into the odd ones.
    let mut store = Store::open(&copy).expect("store");
    let mut store_slots = slots.iter().step_by(2).copied();
    let mut current = store_slots.next().expect("a slot to sell into");
    let mut sold_here = 0;
    let mut pairs = slots
        .iter()
        .skip(1)
        .step_by(2)
        .flat_map(|slot| {
            let free = support::free_seats(&raw, *slot);
            free.chunks_exact(2).take(SALES_PER_SHOW).map(|p| (*slot, p.to_vec())).collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter();

    let mut group = c.benchmark_group("sell");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("ticketly: 2 seats by count, best available (Store::sell)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if sold_here == SALES_PER_SHOW {
                    current = store_slots.next().expect("enough shows to sell into");
                    sold_here = 0;
                }
                let start = Instant::now();
                support::sell(&mut store, current, 2).expect("sale");
                total += start.elapsed();
                sold_here += 1;
            }
            total
        })
    });
    group.bench_function("raw: BEGIN IMMEDIATE + the same 4 INSERTs (rusqlite)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (slot, pair) = pairs.next().expect("enough free seats for the raw inserts");
                let start = Instant::now();
                support::raw_sale(&mut raw, slot, &pair).expect("raw sale");
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
}

fn reading(c: &mut Criterion) {
    let db = support::database();
    let mut store = Store::open(&db).expect("store");
    let raw = support::raw_connection(&db);
    let slot = support::big_hall_slots(&raw, 1)[0];
    let hall = support::hall_of(&raw, slot);
    let now = support::now();

    let mut group = c.benchmark_group("seat map, 1,000 seats");
    group.sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    group.bench_function("ticketly: Store::seat_map", |b| b.iter(|| store.seat_map(slot, now).expect("seat map")));
    group.bench_function("raw: one indexed SELECT of the same rows", |b| {
        b.iter(|| support::raw_seat_rows(&raw, slot, hall))
    });
    group.finish();

    let mut group = c.benchmark_group("schedule");
    group.sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    let filter = SlotFilter { date: Some(now.date()), ..SlotFilter::default() };
    group.bench_function("ticketly: a day with availability (Store::slots)", |b| {
        b.iter_batched(|| filter.clone(), |f| store.slots(&f, now).expect("slots"), BatchSize::SmallInput)
    });
    group.finish();
}

criterion_group!(benches, selling, reading);
criterion_main!(benches);
