//! One stress worker: a counter in its own process, looping through random actions.

use std::path::Path;

use anyhow::bail;
use chrono::Duration;

use super::{Rng, WorkerReport};
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use crate::domain::policy::Policy;
use crate::domain::time::Time;
use crate::store::{RebookRequest, Store};

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
pub(super) fn now() -> Time {
    crate::domain::time::now()
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
            types: Vec::new(),
            price_override: None,
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
            method: None,
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
        let result = self.store.expire(at, now(), "stress", &self.policy);
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
                let result = self.store.waitlist_confirm(id, payment, &[], &self.operator, now());
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
