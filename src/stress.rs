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
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, bail};
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::domain::layout::{Category, HallLayout};
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use crate::domain::money::{Cents, format_amount};
use crate::domain::policy::Policy;
use crate::domain::schedule::{NewSlot, PriceArg};
use crate::domain::time::Time;
use crate::store::{Audit, RebookRequest, SlotFilter, Store};

/// The cinema and hall the scenario sells in; a database holding anything else is refused.
pub const CINEMA: &str = "Stress Cinema";
pub const HALL: &str = "Stress";
/// The hall: 3 rows of 8 seats, row C Premium.
pub const ROWS: u32 = 3;
pub const SEATS_PER_ROW: u32 = 8;
/// Slots each run schedules.
pub const SLOTS: usize = 3;

/// A small seeded generator (SplitMix64): reproducible choices without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of `items`, if any.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// How attempts of one kind turned out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub ok: u64,
    /// Refused with the conflict code (4): a legal outcome under contention.
    pub conflict: u64,
    /// Anything else: a failure of the run.
    pub other: u64,
}

impl Tally {
    pub fn attempts(&self) -> u64 {
        self.ok + self.conflict + self.other
    }

    fn add(&mut self, other: &Tally) {
        self.ok += other.ok;
        self.conflict += other.conflict;
        self.other += other.other;
    }
}

/// The kinds of attempt, in the order the figures list them.
pub const ACTIONS: [&str; 11] = [
    "book by count",
    "book seats",
    "cancel ticket",
    "cancel booking",
    "rebook",
    "hold+confirm",
    "hold+release",
    "hold+abandon",
    "expire",
    "waitlist add",
    "waitlist confirm/remove",
];

/// What one worker did: its tallies per kind of attempt, printed as one JSON line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerReport {
    pub id: u64,
    pub actions: BTreeMap<String, Tally>,
    /// Sales made (bookings paid: by count, by seat, confirmed holds and offers).
    pub sales: u64,
    pub tickets_sold: u64,
    /// Conflicts raised by the schema's constraints rather than by the code's checks: each is
    /// a race the checks missed (the writes are serialized, so there should be none).
    #[serde(default)]
    pub schema_refusals: u64,
    /// The first few failures that were not conflicts (or were schema refusals).
    pub errors: Vec<String>,
}

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

/// The figures of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub db: String,
    pub procs: usize,
    pub attempts_per_proc: u64,
    pub seed: u64,
    pub attempts: u64,
    pub ok: u64,
    pub conflict: u64,
    pub other: u64,
    pub actions: BTreeMap<String, Tally>,
    pub sales: u64,
    pub tickets_sold: u64,
    pub schema_refusals: u64,
    pub elapsed_secs: f64,
    pub sales_per_sec: f64,
    pub attempts_per_sec: f64,
    /// Workers that did not finish or report (exit status, message).
    pub failed_workers: Vec<String>,
    pub errors: Vec<String>,
    pub audit: Audit,
    pub passed: bool,
}

impl Figures {
    /// Why the run failed (empty when it passed).
    pub fn failures(&self) -> Vec<String> {
        let mut out = self.failed_workers.clone();
        if self.other > 0 {
            out.push(format!("{} attempts ended neither ok nor in conflict", self.other));
        }
        if self.schema_refusals > 0 {
            out.push(format!("{} conflicts were caught only by the schema's constraints", self.schema_refusals));
        }
        if self.attempts != self.procs as u64 * self.attempts_per_proc {
            out.push(format!(
                "{} attempts reported, {} expected",
                self.attempts,
                self.procs as u64 * self.attempts_per_proc
            ));
        }
        out.extend(self.audit.problems());
        out
    }

    /// The figures as a table for people.
    pub fn table(&self) -> String {
        let mut out = format!(
            "ticketly stress: {} processes × {} attempts, seed {}, database {}\n\n",
            self.procs, self.attempts_per_proc, self.seed, self.db
        );
        out.push_str(&format!("{:<24}{:>10}{:>10}{:>10}{:>8}\n", "attempt", "count", "ok", "conflict", "other"));
        let mut names: Vec<&str> = ACTIONS.to_vec();
        names.extend(self.actions.keys().map(String::as_str).filter(|k| !ACTIONS.contains(k)));
        for name in names {
            let t = self.actions.get(name).copied().unwrap_or_default();
            out.push_str(&format!("{name:<24}{:>10}{:>10}{:>10}{:>8}\n", t.attempts(), t.ok, t.conflict, t.other));
        }
        out.push_str(&format!(
            "{:<24}{:>10}{:>10}{:>10}{:>8}\n\n",
            "total", self.attempts, self.ok, self.conflict, self.other
        ));
        let a = &self.audit;
        let rows = [
            ("sales", format!("{} ({} tickets)", self.sales, self.tickets_sold)),
            ("refused by the schema", self.schema_refusals.to_string()),
            ("elapsed", format!("{:.2} s", self.elapsed_secs)),
            ("sales/s", format!("{:.1}", self.sales_per_sec)),
            ("attempts/s", format!("{:.1}", self.attempts_per_sec)),
            ("integrity_check", a.integrity.clone()),
            ("double-sold seats", a.double_sold.to_string()),
            ("partial bookings", a.partial_bookings.to_string()),
            ("money mismatches", a.money_mismatch.to_string()),
            ("broken rebookings", a.broken_rebookings.to_string()),
            ("sales − refunds", format_amount(a.payments_net)),
            ("paid tickets' value", format_amount(a.ticket_value)),
            ("reports' net", format_amount(a.report_net)),
            ("bookings/tickets/payments", format!("{}/{}/{}", a.bookings, a.tickets, a.payments)),
            (
                "tickets by status",
                a.tickets_by_status.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", "),
            ),
        ];
        for (name, value) in rows {
            out.push_str(&format!("{name:<27}{value}\n"));
        }
        for e in &self.errors {
            out.push_str(&format!("error: {e}\n"));
        }
        let failures = self.failures();
        if failures.is_empty() {
            out.push_str("result: PASS (every attempt ok or conflict; every invariant holds)\n");
        } else {
            out.push_str(&format!("result: FAIL: {}\n", failures.join("; ")));
        }
        out
    }
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

/// One worker: `attempts` random counter actions on `slots` of the database at `db`.
pub fn work(db: &Path, slots: &[SlotId], attempts: u64, seed: u64, id: u64) -> anyhow::Result<WorkerReport> {
    if slots.is_empty() {
        bail!(crate::domain::Error::Invalid("a worker needs --slots".into()));
    }
    let mut store = Store::open(db)?;
    let labels = store.seat_map(slots[0], now())?.seats.iter().map(|s| (s.row_label.clone(), s.number)).collect();
    let mut counter = Counter {
        store,
        policy: Policy::default(),
        rng: Rng::new(seed.wrapping_mul(0x1000_0000_01B3) ^ id.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        slots: slots.to_vec(),
        labels,
        operator: format!("stress-{id}"),
        tickets: Vec::new(),
        bookings: Vec::new(),
        waiting: None,
        report: WorkerReport { id, ..WorkerReport::default() },
    };
    for _ in 0..attempts {
        counter.attempt();
    }
    Ok(counter.report)
}

/// The clock every worker reads: the real one.
fn now() -> Time {
    chrono::Local::now().naive_local()
}

/// How many of a worker's own tickets it remembers for cancelling and rebooking.
const REMEMBERED: usize = 64;

/// One counter's connection, choices and memory of what it sold.
struct Counter {
    store: Store,
    policy: Policy,
    rng: Rng,
    slots: Vec<SlotId>,
    labels: Vec<(String, u32)>,
    operator: String,
    tickets: Vec<String>,
    bookings: Vec<String>,
    /// Its waiting-list entry, if any.
    waiting: Option<i64>,
    report: WorkerReport,
}

impl Counter {
    fn attempt(&mut self) {
        let roll = self.rng.below(100);
        match roll {
            0..17 => self.book_count(),
            17..29 => self.book_seats(),
            29..62 if self.tickets.is_empty() => self.book_count(),
            29..44 => self.cancel_ticket(),
            44..62 => self.cancel_booking(),
            62..70 if self.tickets.is_empty() => self.book_seats(),
            62..70 => self.rebook(),
            70..86 => self.hold(),
            86..92 => self.expire(),
            _ => self.waitlist(),
        }
    }

    /// Counts an attempt by the exit code it would have had.
    fn record<T>(&mut self, action: &str, result: &crate::store::Result<T>) {
        let tally = self.report.actions.entry(action.to_string()).or_default();
        match result {
            Ok(_) => tally.ok += 1,
            Err(e) if e.exit_code() == 4 => {
                tally.conflict += 1;
                let message = e.to_string();
                if message.starts_with("refused by the database") {
                    self.report.schema_refusals += 1;
                    if self.report.errors.len() < 5 {
                        self.report.errors.push(format!("{action}: {message}"));
                    }
                }
            }
            Err(e) => {
                tally.other += 1;
                if self.report.errors.len() < 5 {
                    self.report.errors.push(format!("{action}: exit {}: {e}", e.exit_code()));
                }
            }
        }
    }

    fn slot(&mut self) -> SlotId {
        self.slots[self.rng.below(self.slots.len() as u64) as usize]
    }

    /// `n` distinct seats of the hall, at random (free or not).
    fn seats(&mut self, n: usize) -> Vec<(String, u32)> {
        let mut picked: Vec<(String, u32)> = Vec::new();
        while picked.len() < n.min(self.labels.len()) {
            if let Some(seat) = self.rng.pick(&self.labels).cloned()
                && !picked.contains(&seat)
            {
                picked.push(seat);
            }
        }
        picked
    }

    fn payment(&mut self) -> PaymentMethod {
        if self.rng.chance(50) { PaymentMethod::Cash } else { PaymentMethod::Card }
    }

    fn remember(&mut self, booking: String, tickets: impl IntoIterator<Item = String>) {
        self.bookings.push(booking);
        self.tickets.extend(tickets);
        for list in [&mut self.bookings, &mut self.tickets] {
            if list.len() > REMEMBERED {
                list.drain(..list.len() - REMEMBERED);
            }
        }
    }

    fn sold(&mut self, sale: &crate::domain::model::Sale) {
        self.report.sales += 1;
        self.report.tickets_sold += sale.tickets.len() as u64;
        self.remember(sale.booking.clone(), sale.tickets.iter().map(|t| t.code.clone()));
    }

    fn sell(&mut self, action: &str, seats: SeatRequest) {
        let request = SaleRequest {
            slot: self.slot(),
            seats,
            customer: Customer::default(),
            payment: self.payment(),
            operator: self.operator.clone(),
        };
        let result = self.store.sell(&request, now(), &self.policy);
        self.record(action, &result);
        if let Ok(sale) = result {
            self.sold(&sale);
        }
    }

    fn book_count(&mut self) {
        let n = self.rng.between(1, 4) as usize;
        self.sell("book by count", SeatRequest::Count(n));
    }

    fn book_seats(&mut self) {
        let n = self.rng.between(1, 3) as usize;
        let seats = self.seats(n);
        self.sell("book seats", SeatRequest::Seats(seats));
    }

    fn cancel_ticket(&mut self) {
        let i = self.rng.below(self.tickets.len() as u64) as usize;
        let code = self.tickets.swap_remove(i);
        let result = self.store.cancel(&code, &self.operator, false, now(), &self.policy);
        self.record("cancel ticket", &result);
    }

    fn cancel_booking(&mut self) {
        let Some(code) = self.rng.pick(&self.bookings).cloned() else {
            return self.cancel_ticket();
        };
        self.bookings.retain(|b| *b != code);
        let result = self.store.cancel(&code, &self.operator, false, now(), &self.policy);
        self.record("cancel booking", &result);
        if let Ok(c) = result {
            self.tickets.retain(|t| !c.canceled.contains(t));
        }
    }

    fn rebook(&mut self) {
        let i = self.rng.below(self.tickets.len() as u64) as usize;
        let seat = if self.rng.chance(50) { self.seats(1).pop() } else { None };
        let request = RebookRequest {
            ticket: self.tickets[i].clone(),
            slot: self.slot(),
            seat,
            operator: self.operator.clone(),
            force: false,
        };
        let result = self.store.rebook(&request, now(), &self.policy);
        self.record("rebook", &result);
        if let Ok(r) = result {
            self.tickets[i] = r.new.code;
            self.bookings.push(r.new.booking);
        }
    }

    /// Holds seats, then (like a cashier whose customer pays, walks away, or whose counter
    /// dies) confirms, releases, or leaves the hold to run out.
    fn hold(&mut self) {
        let (action, roll) = match self.rng.below(100) {
            0..65 => ("hold+confirm", 0),
            65..90 => ("hold+release", 1),
            _ => ("hold+abandon", 2),
        };
        let seats = if self.rng.chance(50) {
            SeatRequest::Count(self.rng.between(1, 3) as usize)
        } else {
            let n = self.rng.between(1, 2) as usize;
            SeatRequest::Seats(self.seats(n))
        };
        let slot = self.slot();
        let hold = match self.store.hold(slot, &seats, &self.operator, now(), &self.policy) {
            Ok(hold) => hold,
            Err(e) => return self.record(action, &Err::<(), _>(e)),
        };
        match roll {
            0 => {
                let payment = self.payment();
                let result =
                    self.store.confirm_hold(&hold.booking, &Customer::default(), payment, &self.operator, now());
                self.record(action, &result);
                if let Ok(sale) = result {
                    self.sold(&sale);
                }
            }
            1 => {
                let result = self.store.release_hold(&hold.booking, now(), &self.policy);
                self.record(action, &result);
            }
            _ => self.record(action, &Ok::<_, crate::store::Error>(())),
        }
    }

    /// The cron job: as of now, or as of a later run that finds this moment's holds ran out.
    fn expire(&mut self) {
        let at = if self.rng.chance(50) { now() } else { now() + Duration::minutes(self.policy.hold_minutes + 1) };
        let result = self.store.expire(at, &self.policy);
        self.record("expire", &result);
    }

    /// Joins a waiting list, or, already on one, pays for the seats offered (a conflict while
    /// still waiting) or leaves it.
    fn waitlist(&mut self) {
        match self.waiting {
            None => {
                let slot = self.slot();
                let seats = self.rng.between(1, 2) as usize;
                let name = self.operator.clone();
                let result = self.store.waitlist_add(slot, &name, None, seats, now(), &self.policy);
                self.record("waitlist add", &result);
                if let Ok(entry) = result {
                    self.waiting = Some(entry.id);
                }
            }
            Some(id) if self.rng.chance(75) => {
                let payment = self.payment();
                let result = self.store.waitlist_confirm(id, payment, &self.operator, now());
                self.record("waitlist confirm/remove", &result);
                if let Ok(sale) = result {
                    self.waiting = None;
                    self.sold(&sale);
                }
            }
            Some(id) => {
                self.waiting = None;
                let result = self.store.waitlist_remove(id, now(), &self.policy);
                self.record("waitlist confirm/remove", &result);
            }
        }
    }
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
