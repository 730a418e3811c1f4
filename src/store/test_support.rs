//! Fixtures shared by the store's unit tests, which run on both engines: [`each_engine`] runs
//! a test on a SQLite file, then on a fresh schema of the PostgreSQL test server.

use std::path::PathBuf;

use super::Store;
use crate::domain::layout::HallLayout;
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use crate::domain::schedule::{NewSlot, PriceArg};
use crate::domain::time::{Time, parse_time};

pub fn t(s: &str) -> Time {
    parse_time(s).expect("time")
}

/// A fresh, empty database of one engine for one test.
pub struct TestDb {
    _dir: tempfile::TempDir,
    pub target: PathBuf,
    pub postgres: bool,
}

impl TestDb {
    /// A new connection to it.
    pub fn open(&self) -> Store {
        Store::open(&self.target).expect("open the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.postgres {
            crate::testdb::drop_postgres_url(&self.target.to_string_lossy());
        }
    }
}

/// Runs `test` on a SQLite file, then on PostgreSQL (or says loudly that it skipped that half).
pub fn each_engine(test: impl Fn(&TestDb)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("t.db");
    test(&TestDb { _dir: dir, target, postgres: false });
    let Some(url) = crate::testdb::fresh_postgres_url() else {
        crate::testdb::warn_skipped(std::thread::current().name().unwrap_or("a store test"));
        return;
    };
    // Shown with the failure, if the PostgreSQL half fails.
    eprintln!("now on PostgreSQL");
    let dir = tempfile::tempdir().expect("temp dir");
    test(&TestDb { _dir: dir, target: PathBuf::from(url), postgres: true });
}

/// Cinema "Rex", hall "Small" of `rows` × `seats`, and the slot "Avatar" on 23 Nov 2026
/// 20:00-22:00 at 10.00 a seat, in `db`.
pub fn small_show(db: &TestDb, rows: u32, seats: u32) -> (Store, SlotId) {
    let mut store = db.open();
    store.add_cinema("Rex", "Leeds").expect("cinema");
    store.add_hall(None, "Small", &HallLayout::generate(rows, seats, &[]).expect("layout")).expect("hall");
    let slot = avatar_in_small(&mut store, "2026-11-23 20:00", "2026-11-23 22:00");
    (store, slot)
}

/// Another "Avatar" in hall Small from `start` to `end`, at 10.00 a seat.
pub fn avatar_in_small(store: &mut Store, start: &str, end: &str) -> SlotId {
    let show = NewSlot {
        name: "Avatar".into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: String::new(),
        hall: "Small".into(),
        start: t(start),
        end: t(end),
        prices: vec![PriceArg::All(1000)],
        card: None,
    };
    store.add_slot(show, t("2026-11-23 10:00")).expect("slot")
}

/// A cash sale to a walk-in by till1.
pub fn walk_in(slot: SlotId, seats: SeatRequest) -> SaleRequest {
    SaleRequest {
        slot,
        seats,
        customer: Customer::default(),
        payment: PaymentMethod::Cash,
        operator: "till1".into(),
        types: Vec::new(),
        price_override: None,
    }
}

/// The PostgreSQL backend serving `store`'s connection, for tests that cut it.
pub fn backend_pid(store: &mut Store) -> i64 {
    store.read(|tx| tx.value("SELECT CAST(pg_backend_pid() AS BIGINT)", super::engine::args![])).expect("backend pid")
}

/// Cuts the connection served by backend `pid` (from another connection), as a server restart
/// or a network drop would.
pub fn cut_connection(other: &mut Store, pid: i64) {
    let cut: bool = other
        .write(|tx| tx.value("SELECT pg_terminate_backend(CAST(?1 AS INTEGER))", super::engine::args![pid]))
        .expect("terminate");
    assert!(cut, "no backend {pid}");
}
