//! The stress scenario: many counters, one small hall, one database file. `run` sets up the hall
//! (3 rows × 8 seats) and a few slots, starts `procs` OS processes of this program (the hidden
//! `stress-worker` subcommand, one connection each), lets each loop through `attempts` random
//! counter actions (book by count, book named seats, cancel, rebook, hold then confirm, release
//! or abandon, expire now or as a later cron, the waiting list), then audits the database.
//!
//! Every attempt is classified by the exit code the CLI would give it: 0 (ok), 4 (conflict: the
//! seat was taken, sold out, the hold ran out…) or anything else, which fails the run, as does an
//! audit that finds a broken invariant ([`crate::store::Store::audit`]). No SQL here: the
//! workers use the same store API as the counters.
//!
//! The workers use the real clock: the slots are scheduled from tomorrow on, so every sale is
//! open; holds last the policy's five minutes, and a "later cron" (`expire` as of six minutes
//! from now) plays the part of time passing for holds left by counters that walked away.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, bail};
use chrono::Duration;

use crate::domain::layout::{Category, HallLayout};
use crate::domain::model::SlotId;
use crate::domain::money::Cents;
use crate::domain::schedule::{NewSlot, PriceArg};
use crate::domain::time::Time;
use crate::store::{SlotFilter, Store};

mod figures;
mod worker;

pub use crate::domain::rng::Rng;
pub use figures::{ACTIONS, Figures, Tally, WorkerReport};
use worker::now;
pub use worker::work;

/// The cinema and hall the scenario sells in; a database holding anything else is refused.
pub const CINEMA: &str = "Stress Cinema";
pub const HALL: &str = "Stress";
/// The hall: 3 rows of 8 seats, row C Premium.
pub const ROWS: u32 = 3;
pub const SEATS_PER_ROW: u32 = 8;
/// Slots each run schedules.
pub const SLOTS: usize = 3;

/// What `run` needs.
#[derive(Debug, Clone)]
pub struct Options {
    pub db: PathBuf,
    /// The `ticketly` executable the workers run (`std::env::current_exe()` from the CLI).
    pub program: PathBuf,
    pub procs: usize,
    /// Attempts per process.
    pub attempts: u64,
    pub seed: u64,
}

/// Prepares `store` for a run: the stress cinema and hall (if the database is empty) and
/// `slots` new slots from tomorrow on (after any earlier run's). Refuses a database that holds
/// anything but the stress hall, so that a real box office is never used for this.
pub fn setup(store: &mut Store, now: Time, slots: usize) -> anyhow::Result<Vec<SlotId>> {
    if store.is_empty()? {
        store.add_cinema(CINEMA, "Nowhere")?;
        let layout = HallLayout::generate(ROWS, SEATS_PER_ROW, &["C".to_string()])?;
        store.add_hall(Some(CINEMA), HALL, &layout)?;
    }
    let halls = store.halls()?;
    if halls.len() != 1 || halls[0].name != HALL || halls[0].cinema != CINEMA {
        bail!(crate::domain::Error::Invalid(
            "this database holds a real box office: the stress tool only runs on a new file or one it made".into()
        ));
    }
    let tomorrow = (now.date() + Duration::days(1)).and_hms_opt(10, 0, 0).unwrap_or(now);
    let latest =
        store.slots(&SlotFilter::default(), now)?.into_iter().filter(|s| s.slot.hall == HALL).map(|s| s.slot.end).max();
    let mut start = latest.map_or(tomorrow, |end| end.max(tomorrow));
    let mut ids = Vec::new();
    for i in 0..slots {
        let end = start + Duration::hours(2);
        // Prices differ by slot, so that rebookings charge and refund differences.
        let step = i as Cents;
        let slot = NewSlot {
            name: format!("Stress {}", i + 1),
            description: String::new(),
            kind: "Movie".into(),
            genre: "Test".into(),
            hall: HALL.into(),
            start,
            end,
            prices: vec![
                PriceArg::For(Category::Regular, 800 + 150 * step),
                PriceArg::For(Category::Premium, 1500 - 200 * step),
            ],
            card: None,
        };
        ids.push(store.add_slot(slot, now)?);
        start = end;
    }
    Ok(ids)
}

/// The whole scenario: set up, start the workers, wait for them, audit.
pub fn run(opts: &Options) -> anyhow::Result<Figures> {
    let mut store = Store::open(&opts.db)?;
    let slots = setup(&mut store, now(), SLOTS)?;
    drop(store);
    let slot_list = slots.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
    let started = Instant::now();
    let mut children = Vec::new();
    for id in 0..opts.procs as u64 {
        let child = Command::new(&opts.program)
            .arg("--db")
            .arg(&opts.db)
            .args(["stress-worker", "--slots", &slot_list])
            .args(["--attempts", &opts.attempts.to_string()])
            .args(["--seed", &opts.seed.to_string(), "--id", &id.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start worker {id} ({})", opts.program.display()))?;
        children.push((id, child));
    }
    let mut reports = Vec::new();
    let mut failed_workers = Vec::new();
    for (id, child) in children {
        let out = child.wait_with_output().with_context(|| format!("waiting for worker {id}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let report = text.lines().rev().find_map(|l| serde_json::from_str::<WorkerReport>(l).ok());
        match report {
            Some(r) if out.status.success() => reports.push(r),
            _ => failed_workers.push(format!("worker {id} ended with {} and no report", out.status)),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let audit = Store::open(&opts.db)?.audit()?;
    let mut actions: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut sales, mut tickets_sold, mut schema_refusals, mut errors) = (0, 0, 0, Vec::new());
    for r in &reports {
        for (name, t) in &r.actions {
            actions.entry(name.clone()).or_default().add(t);
        }
        sales += r.sales;
        tickets_sold += r.tickets_sold;
        schema_refusals += r.schema_refusals;
        errors.extend(r.errors.iter().map(|e| format!("worker {}: {e}", r.id)));
    }
    let mut total = Tally::default();
    for t in actions.values() {
        total.add(t);
    }
    let per_sec = |n: u64| if elapsed > 0.0 { n as f64 / elapsed } else { 0.0 };
    let mut figures = Figures {
        db: opts.db.display().to_string(),
        procs: opts.procs,
        attempts_per_proc: opts.attempts,
        seed: opts.seed,
        attempts: total.attempts(),
        ok: total.ok,
        conflict: total.conflict,
        other: total.other,
        actions,
        sales,
        tickets_sold,
        schema_refusals,
        elapsed_secs: elapsed,
        sales_per_sec: per_sec(sales),
        attempts_per_sec: per_sec(total.attempts()),
        failed_workers,
        errors,
        audit,
        passed: false,
    };
    figures.passed = figures.failures().is_empty();
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_reproducible_and_spread() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!((0..10).all(|d| xs.contains(&d)), "{xs:?}");
        assert!((0..1000).map(|_| a.between(1, 4)).all(|n| (1..=4).contains(&n)));
    }

    #[test]
    fn one_worker_alone_never_fails_and_leaves_a_clean_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("s.db");
        let slots = setup(&mut Store::open(&db).expect("open"), now(), SLOTS).expect("setup");
        let report = work(&db, &slots, 300, 1, 0).expect("work");
        let attempts: u64 = report.actions.values().map(Tally::attempts).sum();
        assert_eq!(attempts, 300);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(report.sales > 0, "{report:?}");
        let audit = Store::open(&db).expect("open").audit().expect("audit");
        assert!(audit.ok(), "{:?}", audit.problems());
        // A second run on the same file schedules later slots.
        let more = setup(&mut Store::open(&db).expect("open"), now(), SLOTS).expect("setup again");
        assert!(more.iter().all(|s| !slots.contains(s)));
    }

    #[test]
    fn a_real_box_office_is_refused() {
        let mut store = Store::open_in_memory().expect("store");
        store.add_cinema("Rex", "Leeds").expect("cinema");
        store.add_hall(None, "Main", &HallLayout::generate(2, 2, &[]).expect("layout")).expect("hall");
        assert!(setup(&mut store, now(), 1).is_err());
    }
}
