//! The SQLite store: the only code that speaks SQL. One `Store` is one connection, set up for
//! several processes sharing one file (WAL, `busy_timeout`, `synchronous=FULL`, foreign keys),
//! and every change is one `BEGIN IMMEDIATE` transaction, so a failed command writes nothing.

mod audit;
mod bulk;
mod error;
mod export;
mod halls;
mod holds;
mod migrate;
mod plans;
mod sales;
mod slots;
#[cfg(test)]
mod test_support;
mod tickets;
mod till;
mod upkeep;
mod waitlist;

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use audit::Audit;
pub use bulk::{BulkSpec, BulkSummary};
pub use error::{Error, Result};
pub use export::{PaymentRow, TicketRow};
pub use halls::HallSummary;
pub use holds::Hold;
pub use sales::RebookRequest;
pub use slots::{NewSlot, SlotFilter};
pub use waitlist::{WaitStatus, WaitlistEntry};

/// How long a write waits for another counter's transaction before giving up as busy.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection to a Ticketly database.
pub struct Store {
    conn: Connection,
    /// How long a write waits for the write lock (see [`Store::begin_write`]).
    busy_timeout: Duration,
    /// Seats of the halls read so far: a seat map then reads only the slot's live tickets.
    halls: slots::HallSeats,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with_timeout(path, BUSY_TIMEOUT)
    }

    /// Like [`Store::open`], waiting at most `busy_timeout` for another writer's lock.
    pub fn open_with_timeout(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::open(path, e))?;
        Store::setup(conn, busy_timeout).map_err(|e| e.at(path))
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, BUSY_TIMEOUT)
    }

    fn setup(conn: Connection, busy_timeout: Duration) -> Result<Store> {
        conn.busy_timeout(busy_timeout)?;
        // Every statement of a sale stays prepared between sales (rusqlite keeps 16 by default).
        conn.set_prepared_statement_cache_capacity(64);
        // journal_mode answers with a row; WAL lets counters read while another one writes.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let mut store = Store { conn, busy_timeout, halls: slots::HallSeats::default() };
        migrate::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction: all of it commits, or none of it.
    /// Immediate, because in WAL a deferred transaction that reads then writes fails as busy
    /// instead of waiting for the lock. Inside [`Store::all_or_nothing`] it is a savepoint of
    /// the batch's transaction instead.
    fn write<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let outcome = if self.conn.is_autocommit() {
            let tx = self.begin_write()?;
            work(&tx).and_then(|value| Ok(tx.commit().map(|()| value)?))
        } else {
            let savepoint = self.conn.savepoint()?;
            work(&savepoint).and_then(|value| Ok(savepoint.commit().map(|()| value)?))
        };
        if outcome.is_err() {
            // A rolled-back hall may have been cached; its id can come back with other seats.
            self.halls = slots::HallSeats::default();
        }
        outcome
    }

    /// Runs `work` (several store calls) as one transaction: every change it makes commits
    /// together, or (when it fails, or the process dies) none does. For loads like the demo.
    pub fn all_or_nothing<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.begin_write()?.set_drop_behavior(rusqlite::DropBehavior::Ignore);
        match work(self) {
            Ok(value) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.halls = slots::HallSeats::default();
                Err(e)
            }
        }
    }

    /// `BEGIN IMMEDIATE`, trying again every millisecond or so (with jitter) until the busy
    /// timeout. Not with SQLite's own wait: it sleeps up to 100 ms between tries, so when
    /// counters write back to back a waiting one loses every try to writers that come back
    /// within microseconds, and starves past the timeout (the stress tool saw 5-second waits
    /// end as busy at 8 processes).
    fn begin_write(&self) -> Result<Transaction<'_>> {
        let deadline = Instant::now() + self.busy_timeout;
        self.conn.busy_timeout(Duration::ZERO)?;
        let began = loop {
            match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
                Err(e) if is_busy(&e) && Instant::now() < deadline => {
                    let jitter = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos() % 1000);
                    std::thread::sleep(Duration::from_micros(500 + u64::from(jitter)));
                }
                other => break other,
            }
        };
        self.conn.busy_timeout(self.busy_timeout)?;
        Ok(began?)
    }

    /// Runs `work` in one read transaction, so that its queries see one moment.
    /// (Inside [`Store::all_or_nothing`] it reads within the batch's transaction.)
    fn read<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return work(&self.conn);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// A number that changes whenever another connection commits: cheap to poll, for live
    /// screens (`PRAGMA data_version`).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

impl Store {
    /// For bulk loads (demo data): skip the per-commit fsync until turned off again.
    /// A large page cache meanwhile keeps index pages of a big load in memory.
    pub fn set_bulk_load(&mut self, on: bool) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", if on { "OFF" } else { "FULL" })?;
        self.conn.pragma_update(None, "cache_size", if on { -262_144 } else { -2_000 })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::HallLayout;

    #[test]
    fn a_batch_that_fails_half_way_leaves_nothing_and_one_that_succeeds_keeps_everything() {
        let mut store = Store::open_in_memory().expect("store");
        let failed = store.all_or_nothing(|s| {
            s.add_cinema("Rex", "Leeds")?;
            s.add_hall(None, "One", &HallLayout::generate(2, 2, &[])?)?;
            // A refused step inside the batch: the hall name is taken.
            s.add_hall(None, "One", &HallLayout::generate(2, 2, &[])?)
        });
        assert!(failed.is_err());
        assert!(store.is_empty().expect("read"), "the cinema went with the failed batch");
        store
            .all_or_nothing(|s| {
                s.add_cinema("Rex", "Leeds")?;
                s.add_hall(None, "One", &HallLayout::generate(2, 2, &[])?)
            })
            .expect("batch");
        assert_eq!(store.halls().expect("halls").len(), 1);
        // After a batch, writes are their own transactions again.
        store.add_hall(None, "Two", &HallLayout::generate(1, 1, &[]).expect("layout")).expect("hall");
        assert_eq!(store.halls().expect("halls").len(), 2);
    }
}
