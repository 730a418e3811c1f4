//! The store: the only code that speaks SQL. One `Store` is one connection to a Ticketly
//! database on SQLite (a file) or PostgreSQL (a server), chosen by the target's form (see
//! [`Target`]). The operations, by aggregate (`sales`, `holds`, `waitlist`, `slots`, …), are
//! written once against the small seam in `engine/`; what they share (writing a booking, a
//! ticket, a payment; releasing holds) sits below them in `records`, so they never import
//! each other in a circle. Every change is one transaction, so a failed command writes nothing.

mod audit;
mod bulk;
mod cards;
mod copy;
mod door;
pub(crate) mod engine;
mod error;
mod export;
mod halls;
mod holds;
mod import;
mod instants;
mod journal;
mod journal_tables;
mod migrate;
mod plans;
mod rebook_together;
mod records;
mod sales;
mod slots;
mod staff;
#[cfg(test)]
pub(crate) mod test_support;
mod tickets;
mod till;
mod upkeep;
mod waitlist;

use std::path::Path;
use std::time::{Duration, Instant};

use engine::{Begin, Engine};

pub use audit::Audit;
pub use bulk::{BulkSpec, BulkSummary};
pub use cards::{CardPrice, TicketType};
pub use copy::CopySummary;
pub use door::Door;
pub use engine::{Changes, mask_password};
pub(crate) use engine::{Kind as EngineKind, Target};
pub use error::{Error, Result};
pub use export::{PaymentRow, TicketRow};
pub use halls::{CinemaSummary, HallSummary};
pub use holds::Hold;
pub use journal::Chain;
pub use rebook_together::BookingRebooking;
pub use sales::RebookRequest;
pub use slots::{NewSlot, SlotFilter};
pub use staff::{JournalEntry, OperatorInfo};
pub use waitlist::WaitlistEntry;

/// How long a write waits for another counter's transaction before giving up as busy.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest busy timeout: an hour. The CLI refuses longer ones; a store opened with one
/// waits this long instead, because SQLite takes at most i32::MAX milliseconds (rusqlite panics
/// past that) and a deadline far enough ahead overflows `Instant`.
pub const MAX_BUSY_TIMEOUT: Duration = Duration::from_secs(3600);

/// A connection to a Ticketly database.
pub struct Store {
    db: Box<dyn Engine>,
    /// Where it is, to reconnect after the connection was lost.
    target: Option<Target>,
    /// How long a write waits for a lock.
    busy_timeout: Duration,
    /// Inside [`Store::all_or_nothing`]: writes are savepoints of its transaction.
    in_batch: bool,
    /// Seats of the halls read so far: a seat map then reads only the slot's live tickets.
    halls: slots::HallSeats,
    /// An approval to journal in the next write transaction, with the action it approved.
    approval: Option<staff::Approval>,
}

impl Store {
    /// Opens the database at `target`, a SQLite path (created if needed) or a `postgres://`
    /// URL, and brings its schema up to date.
    pub fn open(target: impl AsRef<Path>) -> Result<Store> {
        Store::open_with_timeout(target, BUSY_TIMEOUT)
    }

    /// Like [`Store::open`], waiting at most `busy_timeout` for another writer's lock.
    pub fn open_with_timeout(target: impl AsRef<Path>, busy_timeout: Duration) -> Result<Store> {
        Store::connect(Target::from_path(target.as_ref()), busy_timeout, false)
    }

    /// Like [`Store::open_with_timeout`], for a caller that only reads: a SQLite file that
    /// cannot be written (read-only, or on a full disk) is opened read-only instead of refused.
    pub fn open_for_reading(target: impl AsRef<Path>, busy_timeout: Duration) -> Result<Store> {
        Store::connect(Target::from_path(target.as_ref()), busy_timeout, true)
    }

    fn connect(target: Target, busy_timeout: Duration, reading: bool) -> Result<Store> {
        let busy_timeout = busy_timeout.min(MAX_BUSY_TIMEOUT);
        let db = engine::connect(&target, busy_timeout, reading)?;
        let mut store = Store {
            db,
            target: Some(target),
            busy_timeout,
            in_batch: false,
            halls: slots::HallSeats::default(),
            approval: None,
        };
        store.convert_to_instants().map_err(|e| store.named(e))?;
        Ok(store)
    }

    /// A private in-memory SQLite database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let db = engine::in_memory()?;
        Ok(Store {
            db,
            target: None,
            busy_timeout: BUSY_TIMEOUT,
            in_batch: false,
            halls: slots::HallSeats::default(),
            approval: None,
        })
    }

    /// Connects again after the connection was lost (a server restart, a network drop).
    pub fn reconnect(&mut self) -> Result<()> {
        if let Some(target) = &self.target {
            self.db = engine::connect(target, self.busy_timeout, false)?;
            self.in_batch = false;
            self.halls = slots::HallSeats::default();
        }
        Ok(())
    }

    /// Runs `work` in one write transaction: all of it commits, or none of it. Inside
    /// [`Store::all_or_nothing`] it is a savepoint of the batch's transaction instead. When
    /// PostgreSQL gives a transaction up to break a deadlock, it runs again, until the busy
    /// timeout.
    fn write<T>(&mut self, mut work: impl FnMut(&dyn Engine) -> Result<T>) -> Result<T> {
        let deadline = Instant::now() + self.busy_timeout;
        loop {
            self.db.begin(Begin::Write)?;
            // An approval given for this action is journalled in its transaction: both or neither.
            let approval = self.approval.clone();
            let done = work(&*self.db).and_then(|value| match &approval {
                Some(a) => staff::journal_approval(&*self.db, a).map(|()| value),
                None => Ok(value),
            });
            let outcome = match done {
                Ok(value) => self.db.commit().map(|()| value),
                Err(e) => {
                    let _ = self.db.rollback();
                    Err(e)
                }
            };
            match outcome {
                Ok(value) => {
                    self.approval = None;
                    return Ok(value);
                }
                Err(e) => {
                    // A rolled-back hall may have been cached; its id can come back with other seats.
                    self.halls = slots::HallSeats::default();
                    if matches!(e, Error::Collision) && !self.in_batch && Instant::now() < deadline {
                        continue;
                    }
                    // The approved action failed: its approval goes with it, never to a later write.
                    self.approval = None;
                    return Err(match e {
                        Error::Collision => Error::Busy,
                        other => self.named(other),
                    });
                }
            }
        }
    }

    /// Runs `work` (several store calls) as one transaction: every change it makes commits
    /// together, or (when it fails, or the process dies) none does. For loads like the demo.
    pub fn all_or_nothing<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.batch(|store| Ok((work(store)?, true)))
    }

    /// Like [`Store::all_or_nothing`], but `work` also says whether to keep what it did: a
    /// batch that went through but is not to be kept (a dry run, refused rows) rolls back.
    fn batch<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<(T, bool)>) -> Result<T> {
        self.db.begin(Begin::Write)?;
        self.in_batch = true;
        let outcome = work(self);
        self.in_batch = false;
        match outcome {
            Ok((value, true)) => {
                self.db.commit()?;
                Ok(value)
            }
            Ok((value, false)) => {
                self.db.rollback()?;
                self.halls = slots::HallSeats::default();
                Ok(value)
            }
            Err(e) => {
                let _ = self.db.rollback();
                self.halls = slots::HallSeats::default();
                Err(match e {
                    Error::Collision => Error::Busy,
                    other => other,
                })
            }
        }
    }

    /// Runs `work` in one read transaction, so that its queries see one moment.
    /// (Inside [`Store::all_or_nothing`] it reads within the batch's transaction.)
    fn read<T>(&mut self, work: impl FnOnce(&dyn Engine) -> Result<T>) -> Result<T> {
        if self.in_batch {
            return work(&*self.db);
        }
        self.db.begin(Begin::Read)?;
        match work(&*self.db) {
            Ok(value) => {
                self.db.commit()?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.db.rollback();
                Err(self.named(e))
            }
        }
    }

    /// Says which file, and what is wrong with it, when SQLite finds fault with the file itself
    /// (read-only, disk full) in the middle of an operation.
    fn named(&self, e: Error) -> Error {
        match (&self.target, e) {
            (Some(Target::Sqlite(path)), file @ Error::File(..)) => file.at(path),
            (_, other) => other,
        }
    }

    /// What was committed since the last call, for live screens: the shows touched (on
    /// PostgreSQL, from notifications, without a query), or only that something changed (on
    /// SQLite, from `PRAGMA data_version`).
    pub fn changes(&self) -> Result<Changes> {
        self.db.changes()
    }

    /// For bulk loads (demo data): skip the per-commit flush until turned off again.
    pub fn set_bulk_load(&mut self, on: bool) -> Result<()> {
        self.db.set_bulk_load(on)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::layout::HallLayout;
    use crate::store::test_support::each_engine;

    #[test]
    fn a_batch_that_fails_half_way_leaves_nothing_and_one_that_succeeds_keeps_everything() {
        each_engine(|db| {
            let mut store = db.open();
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
        });
    }

    #[test]
    fn live_screens_learn_which_shows_another_counter_changed() {
        use crate::domain::model::SeatRequest;
        use crate::domain::policy::Policy;
        use crate::store::Changes;
        use crate::store::test_support::{small_show, t, walk_in};
        each_engine(|db| {
            let (counter, slot) = small_show(db, 1, 4);
            let mut other = db.open();
            // Whatever was committed before (the set-up) is told first; then nothing until a sale.
            let quiet = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while counter.changes().expect("baseline").any() {
                assert!(std::time::Instant::now() < quiet, "changes never stop");
            }
            other.sell(&walk_in(slot, SeatRequest::Count(1)), t("2026-11-23 12:00"), &Policy::default()).expect("sale");
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            let seen = loop {
                let changes = counter.changes().expect("changes");
                if changes.any() || std::time::Instant::now() > deadline {
                    break changes;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            };
            let expected = if db.postgres { Changes::Shows([slot].into()) } else { Changes::Unknown };
            assert_eq!(seen, expected);
            assert!(seen.touches(slot) && (!db.postgres || !seen.touches(slot + 1)));
            assert_eq!(counter.changes().expect("changes"), Changes::Nothing, "each change is told once");
        });
    }
}
