//! Shared by the benches: the 1M-ticket database, the fixed clock, and the raw-SQLite baselines
//! the program is measured against (same file, same pragmas, the same rows).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rusqlite::{Connection, TransactionBehavior, params};
use ticketly::app::seats::{Purpose, SeatPicker};
use ticketly::app::{App, Screen};
use ticketly::domain::codes::sequence_code;
use ticketly::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use ticketly::domain::policy::Policy;
use ticketly::domain::time::{Time, parse_time, store_time};
use ticketly::store::{BulkSpec, Store};

/// The benchmark's "now": the middle of the generated year of shows.
pub const NOW: &str = "2026-11-23 12:00";
pub const SEED: u64 = 1;
pub const TICKETS: u64 = 1_000_000;
/// The hall with exactly 1,000 seats (25 rows × 40).
pub const BIG_HALL: &str = "Screen 01";
/// The terminal the render benches draw into: wide enough for the whole 1,000-seat grid.
pub const WIDTH: u16 = 160;
pub const HEIGHT: u16 = 50;

pub fn now() -> Time {
    parse_time(NOW).expect("NOW is a valid time")
}

/// The benchmark database: `$TICKETLY_BENCH_DB` (what benches/compare.sh passes), or else one
/// generated on first use under `target/bench-data/` and reused afterwards.
pub fn database() -> PathBuf {
    if let Some(path) = std::env::var_os("TICKETLY_BENCH_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    let path = dir.join(format!("ticketly-{TICKETS}-seed{SEED}-{}.db", &NOW[..10]));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("create target/bench-data");
        let partial = path.with_extension("partial");
        for stale in [partial.clone(), wal(&partial), shm(&partial)] {
            let _ = std::fs::remove_file(stale);
        }
        eprintln!("generating {} (1M tickets, once; about 20 s)", path.display());
        let mut store = Store::open(&partial).expect("open the new benchmark database");
        store
            .bulk_generate(BulkSpec { tickets: TICKETS, seed: SEED, today: now().date() })
            .expect("generate the benchmark database");
        drop(store);
        checkpoint(&partial);
        std::fs::rename(&partial, &path).expect("move the benchmark database in place");
    }
    path
}

fn wal(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

fn shm(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-shm", path.display()))
}

/// Moves everything in the WAL into the main file, so that copying the file copies all of it.
pub fn checkpoint(path: &Path) {
    let conn = Connection::open(path).expect("open for checkpoint");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
}

/// A fresh copy of `from` at `to` (benches that write never touch the shared file).
pub fn copy_database(from: &Path, to: &Path) {
    checkpoint(from);
    for stale in [wal(to), shm(to)] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::copy(from, to).expect("copy the benchmark database");
    // On disk before anything is timed: a commit's fsync must not pay for flushing the copy.
    std::fs::File::open(to).and_then(|f| f.sync_all()).expect("sync the copy");
}

/// A plain rusqlite connection set up exactly as `Store` sets up its own.
pub fn raw_connection(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("open raw connection");
    conn.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).expect("wal");
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").expect("pragmas");
    conn
}

/// The next `n` slots of the 1,000-seat hall that are on sale at [`NOW`], by start.
pub fn big_hall_slots(conn: &Connection, n: usize) -> Vec<SlotId> {
    let mut stmt = conn
        .prepare(
            "SELECT sl.id FROM slot sl JOIN hall h ON h.id = sl.hall_id
              WHERE h.name = ?1 AND sl.starts_at > ?2 ORDER BY sl.starts_at LIMIT ?3",
        )
        .expect("prepare slots");
    stmt.query_map(params![BIG_HALL, store_time(&now()), n as i64], |r| r.get(0))
        .expect("query slots")
        .collect::<rusqlite::Result<Vec<SlotId>>>()
        .expect("read slots")
}

/// The hall of a slot.
pub fn hall_of(conn: &Connection, slot: SlotId) -> i64 {
    conn.query_row("SELECT hall_id FROM slot WHERE id = ?1", [slot], |r| r.get(0)).expect("hall of slot")
}

/// A walk-in buying `count` best-available seats for cash: the common sale.
pub fn walk_in(slot: SlotId, count: usize) -> SaleRequest {
    SaleRequest {
        slot,
        seats: SeatRequest::Count(count),
        customer: Customer::default(),
        payment: PaymentMethod::Cash,
        operator: "bench".into(),
        types: Vec::new(),
        price_override: None,
    }
}

pub fn sell(store: &mut Store, slot: SlotId, count: usize) -> ticketly::store::Result<usize> {
    Ok(store.sell(&walk_in(slot, count), now(), &Policy::default())?.tickets.len())
}

/// Free seats of a slot with their prices, front row first: what the raw baseline inserts.
pub fn free_seats(conn: &Connection, slot: SlotId) -> Vec<(i64, i64)> {
    let mut stmt = conn
        .prepare(
            "SELECT s.id, COALESCE(p.amount, 0) FROM slot sl
               JOIN seat s ON s.hall_id = sl.hall_id
               LEFT JOIN slot_price p ON p.slot_id = sl.id AND p.category = s.category
              WHERE sl.id = ?1 AND NOT EXISTS (SELECT 1 FROM ticket t WHERE t.slot_id = sl.id
                    AND t.seat_id = s.id AND t.status IN ('held', 'booked'))
              ORDER BY s.grid_row, s.grid_col",
        )
        .expect("prepare free seats");
    stmt.query_map([slot], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query free seats")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("read free seats")
}

/// The physical limit of a sale: one `BEGIN IMMEDIATE` transaction inserting the rows a walk-in
/// sale writes (a booking, its tickets, the payment), with nothing decided in between. Its codes
/// come from a sequence with prefixes of their own, so they never collide with the million
/// already there nor with each other (the store checks each code; the raw baseline does not).
pub fn raw_sale(conn: &mut Connection, slot: SlotId, seats: &[(i64, i64)]) -> rusqlite::Result<()> {
    let at = store_time(&now());
    let total: i64 = seats.iter().map(|s| s.1).sum();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.prepare_cached(
        "INSERT INTO booking (code, slot_id, customer_id, method, total, operator, created_at)
         VALUES (?1, ?2, NULL, 'cash', ?3, 'bench', ?4)",
    )?
    .execute(params![raw_code("BKR"), slot, total, at])?;
    let booking = tx.last_insert_rowid();
    for (seat, price) in seats {
        tx.prepare_cached(
            "INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, hold_expires_at, created_at, changed_at, replaces_id)
             VALUES (?1, ?2, ?3, ?4, ?5, 'booked', NULL, ?6, ?6, NULL)",
        )?
        .execute(params![raw_code("TKR"), booking, slot, seat, price, at])?;
    }
    tx.prepare_cached(
        "INSERT INTO payment (booking_id, kind, method, amount, tickets, operator, created_at)
         VALUES (?1, 'sale', 'cash', ?2, ?3, 'bench', ?4)",
    )?
    .execute(params![booking, total, seats.len() as i64, at])?;
    tx.commit()
}

/// The next code of the raw baseline's own sequence (one per process and database copy).
fn raw_code(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    sequence_code(prefix, NEXT.fetch_add(1, Ordering::Relaxed), SEED)
}

/// One seat of a raw seat-map read.
pub type RawSeat = (i64, String, i64, String, i64, i64, Option<String>, Option<String>);

/// The floor of a seat map: one indexed query for the same rows (the hall's seats with their
/// live tickets), read into plain values.
pub fn raw_seat_rows(conn: &Connection, slot: SlotId, hall: i64) -> Vec<RawSeat> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT s.id, s.row_label, s.number, s.category, s.grid_row, s.grid_col, t.status, t.hold_expires_at
               FROM seat s
               LEFT JOIN ticket t ON t.slot_id = ?1 AND t.seat_id = s.id AND t.status IN ('held', 'booked')
              WHERE s.hall_id = ?2",
        )
        .expect("prepare raw seat map");
    stmt.query_map(params![slot, hall], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
    })
    .expect("query raw seat map")
    .collect::<rusqlite::Result<Vec<_>>>()
    .expect("read raw seat map")
}

/// The counter app on `store` at [`NOW`], colours on, as `ticketly` opens it.
pub fn app(store: Store) -> App {
    let mut app = App::new(store, Policy::default(), "bench".into(), now());
    app.size = (WIDTH, HEIGHT);
    app
}

/// Opens the seat picker of `slot` on top of the schedule, as Enter on the schedule does.
pub fn open_seats(app: &mut App, slot: SlotId) {
    let slot = app.store.slot(slot).expect("slot");
    let map = app.store.seat_map(slot.id, app.now).expect("seat map");
    let cursor = map.seats.len() / 2;
    app.screens.push(Screen::Seats(SeatPicker { slot, map, cursor, selected: Vec::new(), purpose: Purpose::Sale }));
}

/// One frame, drawn from scratch through ratatui's `TestBackend`.
pub fn frame(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    terminal.draw(|f| ticketly::ui::draw(app, f)).expect("draw");
    terminal
}
