//! Drawing frames (issue 5, target 5): the 1,000-seat grid and the day's schedule of the 1M-ticket
//! database, each a whole frame drawn from scratch through ratatui's `TestBackend`.
//!
//! `cargo bench --bench render`.

mod support;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ticketly::store::Store;

fn frames(c: &mut Criterion) {
    let db = support::database();
    let raw = support::raw_connection(&db);
    let slot = support::big_hall_slots(&raw, 1)[0];
    let mut app = support::app(Store::open(&db).expect("store"));

    let mut group = c.benchmark_group("frame 160x50");
    group.sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    group.bench_function("schedule of the day", |b| b.iter(|| support::frame(&app)));
    support::open_seats(&mut app, slot);
    group.bench_function("seat grid, 1,000 seats", |b| b.iter(|| support::frame(&app)));
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
