//! The audit: facts read from the database alone that prove the box office's promises held,
//! whatever the counters did and however they died. Used by the stress tool and the tests.
//!
//! What a legal history looks like, from the code that writes it (sales.rs, holds.rs,
//! waitlist.rs, upkeep.rs):
//!
//! - A sale (`sell`) creates a booking, its booked tickets and one `sale` payment of their total
//!   with `tickets` = their number, in one transaction.
//! - A hold (`hold`, or a waiting-list offer) creates a booking whose tickets are `held`, all with
//!   the same deadline, and no payment. Confirming turns every still-held ticket into `booked`
//!   and records one `sale` payment of them; it refuses once any of them ran out, so a confirmed
//!   booking never holds a ticket that lapsed. Releasing, cancelling a held ticket or lapsing
//!   (`expired`) moves no money.
//! - Cancelling turns live tickets `canceled` and records one `refund` of the booked ones'
//!   prices, `tickets` = how many were booked.
//! - Rebooking archives a booked ticket (its booking keeps it and its payment) and issues the
//!   replacement, pointing back to it with `replaces_id`, under a NEW booking that records only
//!   the price difference (a `sale` or `refund` with `tickets` = 0, none when equal).
//! - Expiry turns booked tickets of long-ended slots `expired` and moves no money.
//!
//! So call a booking *sold* when it has a `sale` payment with tickets > 0 or a replacement
//! ticket, and a ticket *paid* when it is `booked` or `archived`, or `expired` in a sold booking
//! (a sold booking's expired tickets expired after being booked; an unsold one's are lapsed
//! holds). Then for every booking, in every legal history:
//!
//! ```text
//! sales − refunds + Σ price of the tickets its replacements replaced  =  Σ price of its paid tickets
//! sale tickets − refund tickets + number of its replacement tickets   =  number of its paid tickets
//! ```
//!
//! (Each rebooking adds the old price back on the new booking, where only the difference was
//! charged; a cancelled replacement's full refund is matched by that same term.) Summed over all
//! bookings the archived tickets cancel out, which gives the global identity the report checks:
//! all-time sales − refunds = Σ price of tickets booked now or expired after a sale.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::engine::args;
use super::{EngineKind, Result, Store};
use crate::domain::money::Cents;

/// What the audit found. [`Audit::ok`] says whether every invariant held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// `PRAGMA integrity_check` answered "ok".
    pub integrity_ok: bool,
    /// Its answer, first lines only.
    pub integrity: String,
    /// Rows `PRAGMA foreign_key_check` reports.
    pub foreign_key_violations: usize,
    /// (slot, seat) pairs with more than one live (held or booked) ticket.
    pub double_sold: usize,
    /// Bookings that are not all-or-nothing: no tickets, held tickets next to paid ones, or a
    /// ticket count the payments do not account for.
    pub partial_bookings: usize,
    /// Bookings whose payments do not match their paid tickets' prices (see the module docs).
    pub money_mismatch: usize,
    /// Archived tickets without exactly one replacement, or replacements of a ticket that is not
    /// archived.
    pub broken_rebookings: usize,
    /// Paid tickets expired before their show ended (their seats could be sold twice).
    pub expired_early: usize,
    /// All-time sales − refunds, from the payments.
    pub payments_net: Cents,
    /// Σ price of tickets booked now or expired after a sale.
    pub ticket_value: Cents,
    /// Σ over every day with a payment of `Store::report(day).net()`.
    pub report_net: Cents,
    /// `report_net == payments_net`.
    pub report_matches: bool,
    pub bookings: usize,
    pub tickets: usize,
    pub payments: usize,
    /// Tickets by status, e.g. `booked: 12`.
    pub tickets_by_status: BTreeMap<String, usize>,
}

impl Audit {
    /// Every invariant held.
    pub fn ok(&self) -> bool {
        self.problems().is_empty()
    }

    /// One line per broken invariant (empty when all held).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.integrity_ok {
            out.push(format!("integrity_check: {}", self.integrity));
        }
        let counts = [
            (self.foreign_key_violations, "foreign-key violations"),
            (self.double_sold, "seats with two live tickets"),
            (self.partial_bookings, "partial bookings"),
            (self.money_mismatch, "bookings whose money does not add up"),
            (self.broken_rebookings, "broken rebooking chains"),
            (self.expired_early, "paid tickets expired before their show ended"),
        ];
        for (n, what) in counts {
            if n > 0 {
                out.push(format!("{n} {what}"));
            }
        }
        if self.payments_net != self.ticket_value {
            out.push(format!(
                "sales − refunds is {} but the paid tickets are worth {}",
                self.payments_net, self.ticket_value
            ));
        }
        if !self.report_matches {
            out.push(format!("the reports add up to {} but the payments to {}", self.report_net, self.payments_net));
        }
        out
    }
}

/// One booking's tickets and payments, as the identities need them.
#[derive(Debug, Default)]
struct BookingFacts {
    tickets: i64,
    held: i64,
    /// Booked or archived: paid whatever the booking.
    settled: i64,
    settled_value: Cents,
    expired: i64,
    expired_value: Cents,
    replacements: i64,
    replaced_value: Cents,
    sales: Cents,
    refunds: Cents,
    sale_tickets: i64,
    refund_tickets: i64,
    sold_by_payment: bool,
}

impl BookingFacts {
    fn sold(&self) -> bool {
        self.sold_by_payment || self.replacements > 0
    }

    fn paid(&self) -> (i64, Cents) {
        if self.sold() {
            (self.settled + self.expired, self.settled_value + self.expired_value)
        } else {
            (self.settled, self.settled_value)
        }
    }

    fn partial(&self) -> bool {
        let (paid, _) = self.paid();
        self.tickets == 0
            || (self.held > 0 && (self.sold() || self.settled > 0))
            || self.sale_tickets - self.refund_tickets + self.replacements != paid
    }

    fn money_adds_up(&self) -> bool {
        let (_, value) = self.paid();
        self.sales - self.refunds + self.replaced_value == value
    }
}

impl Store {
    /// Checks the invariants against the database as it stands. Meant for a quiet database
    /// (after the counters stopped): the reports are read in their own transactions.
    pub fn audit(&mut self) -> Result<Audit> {
        let mut audit = self.read(|tx| {
            let (integrity_ok, integrity, foreign_key_violations) = tx.integrity()?;
            // On SQLite NOT INDEXED: count from the table itself, not from the unique index that
            // should make this impossible (a damaged index would hide what it failed to stop).
            let not_indexed = if tx.kind() == EngineKind::Sqlite { "NOT INDEXED" } else { "" };
            let double_sold: i64 = tx.value(
                &format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM ticket {not_indexed} WHERE status IN ('held', 'booked')
                      GROUP BY slot_id, seat_id HAVING COUNT(*) > 1) AS twice"
                ),
                args![],
            )?;
            let mut facts: BTreeMap<i64, BookingFacts> = BTreeMap::new();
            let rows = tx.query_vec(
                "SELECT b.id, COUNT(t.id),
                        COUNT(CASE WHEN t.status = 'held' THEN 1 END),
                        COUNT(CASE WHEN t.status IN ('booked', 'archived') THEN 1 END),
                        CAST(COALESCE(SUM(CASE WHEN t.status IN ('booked', 'archived') THEN t.price END), 0) AS BIGINT),
                        COUNT(CASE WHEN t.status = 'expired' THEN 1 END),
                        CAST(COALESCE(SUM(CASE WHEN t.status = 'expired' THEN t.price END), 0) AS BIGINT),
                        COUNT(t.replaces_id),
                        CAST(COALESCE(SUM(r.price), 0) AS BIGINT)
                   FROM booking b LEFT JOIN ticket t ON t.booking_id = b.id LEFT JOIN ticket r ON r.id = t.replaces_id
                  GROUP BY b.id",
                args![],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        BookingFacts {
                            tickets: r.get(1)?,
                            held: r.get(2)?,
                            settled: r.get(3)?,
                            settled_value: r.get(4)?,
                            expired: r.get(5)?,
                            expired_value: r.get(6)?,
                            replacements: r.get(7)?,
                            replaced_value: r.get(8)?,
                            ..BookingFacts::default()
                        },
                    ))
                },
            )?;
            for (id, f) in rows {
                facts.insert(id, f);
            }
            let rows = tx.query_vec(
                "SELECT booking_id,
                        CAST(COALESCE(SUM(CASE WHEN kind = 'sale' THEN amount END), 0) AS BIGINT),
                        CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount END), 0) AS BIGINT),
                        CAST(COALESCE(SUM(CASE WHEN kind = 'sale' THEN tickets END), 0) AS BIGINT),
                        CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN tickets END), 0) AS BIGINT),
                        COUNT(CASE WHEN kind = 'sale' AND tickets > 0 THEN 1 END),
                        COUNT(*)
                   FROM payment GROUP BY booking_id",
                args![],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        (r.get::<Cents>(1)?, r.get::<Cents>(2)?),
                        (r.get::<i64>(3)?, r.get::<i64>(4)?, r.get::<bool>(5)?),
                        r.get::<i64>(6)?,
                    ))
                },
            )?;
            let mut payments = 0;
            let mut payments_net = 0;
            let mut orphan_payments = 0;
            for (id, (sales, refunds), (sale_tickets, refund_tickets, sold), count) in rows {
                payments += count as usize;
                payments_net += sales - refunds;
                // A payment of a booking that does not exist (foreign keys were off) is money
                // nobody can account for.
                let Some(f) = facts.get_mut(&id) else {
                    orphan_payments += 1;
                    continue;
                };
                f.sales = sales;
                f.refunds = refunds;
                f.sale_tickets = sale_tickets;
                f.refund_tickets = refund_tickets;
                f.sold_by_payment = sold;
            }
            let partial_bookings = facts.values().filter(|f| f.partial()).count();
            let money_mismatch = orphan_payments + facts.values().filter(|f| !f.money_adds_up()).count();
            let ticket_value = facts
                .values()
                .map(|f| {
                    let (_, value) = f.paid();
                    value - f.replaced_value
                })
                .sum();
            let broken_rebookings: i64 = tx.value(
                "SELECT (SELECT COUNT(*) FROM ticket a WHERE a.status = 'archived'
                          AND (SELECT COUNT(*) FROM ticket n WHERE n.replaces_id = a.id) <> 1)
                      + (SELECT COUNT(*) FROM ticket n LEFT JOIN ticket a ON a.id = n.replaces_id
                          WHERE n.replaces_id IS NOT NULL AND (a.status IS NULL OR a.status <> 'archived'))",
                args![],
            )?;
            // Expired in a sold booking means booked, then expired (a lapsed hold is never sold).
            let expired_early: i64 = tx.value(
                "SELECT COUNT(*) FROM ticket t JOIN slot s ON s.id = t.slot_id
                  WHERE t.status = 'expired' AND t.changed_at < s.ends_at
                    AND (EXISTS (SELECT 1 FROM payment p WHERE p.booking_id = t.booking_id AND p.kind = 'sale' AND p.tickets > 0)
                         OR EXISTS (SELECT 1 FROM ticket r WHERE r.booking_id = t.booking_id AND r.replaces_id IS NOT NULL))",
                args![],
            )?;
            let mut tickets_by_status = BTreeMap::new();
            let counts: Vec<(String, usize)> =
                tx.query_vec("SELECT status, COUNT(*) FROM ticket GROUP BY status ORDER BY status", args![], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            tickets_by_status.extend(counts);
            let tickets = tickets_by_status.values().sum();
            Ok(Audit {
                integrity_ok,
                integrity,
                foreign_key_violations,
                double_sold: double_sold as usize,
                partial_bookings,
                money_mismatch,
                broken_rebookings: broken_rebookings as usize,
                expired_early: expired_early as usize,
                payments_net,
                ticket_value,
                report_net: 0,
                report_matches: false,
                bookings: facts.len(),
                tickets,
                payments,
                tickets_by_status,
            })
        })?;
        let days: Vec<String> =
            self.read(|tx| tx.column("SELECT DISTINCT substr(created_at, 1, 10) FROM payment ORDER BY 1", args![]))?;
        // Payments are stored by their UTC day; reports go by the theatre's days, each within a
        // day of it: so every theatre day around a payment day, each once.
        let mut local_days = std::collections::BTreeSet::new();
        let mut unreadable_day = false;
        for day in days {
            match NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                Ok(date) => local_days.extend(
                    [date.pred_opt(), Some(date), date.succ_opt()]
                        .into_iter()
                        .flatten()
                        .filter(|d| crate::domain::time::YEARS.contains(&chrono::Datelike::year(d))),
                ),
                Err(_) => unreadable_day = true,
            }
        }
        let mut report_net = 0;
        for date in local_days {
            report_net += self.report(date)?.net();
        }
        audit.report_net = report_net;
        audit.report_matches = !unreadable_day && report_net == audit.payments_net;
        Ok(audit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::HallLayout;
    use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
    use crate::domain::policy::Policy;
    use crate::domain::schedule::{NewSlot, PriceArg};
    use crate::domain::time::{Time, parse_time};
    use crate::store::RebookRequest;
    use crate::store::test_support::{TestDb, each_engine};

    fn t(s: &str) -> Time {
        parse_time(s).expect("time")
    }

    /// A 2 × 4 hall (row B Premium), two slots priced differently, on two days.
    fn fixture(db: &TestDb) -> (Store, SlotId, SlotId) {
        let mut store = db.open();
        store.add_cinema("Rex", "Leeds").expect("cinema");
        let layout = HallLayout::generate(2, 4, &["B".to_string()]).expect("layout");
        store.add_hall(None, "Small", &layout).expect("hall");
        let slot = |name: &str, start: &str, end: &str, regular: Cents, premium: Cents| NewSlot {
            name: name.into(),
            description: String::new(),
            kind: "Movie".into(),
            genre: String::new(),
            hall: "Small".into(),
            start: t(start),
            end: t(end),
            prices: vec![
                PriceArg::For(crate::domain::layout::Category::Regular, regular),
                PriceArg::For(crate::domain::layout::Category::Premium, premium),
            ],
            card: None,
        };
        let created = t("2026-11-23 08:00");
        let a =
            store.add_slot(slot("Early", "2026-11-23 20:00", "2026-11-23 22:00", 900, 1300), created).expect("slot");
        let b = store.add_slot(slot("Late", "2026-11-24 20:00", "2026-11-24 22:00", 700, 1600), created).expect("slot");
        (store, a, b)
    }

    fn sell(store: &mut Store, slot: SlotId, seats: SeatRequest, now: Time) -> crate::domain::model::Sale {
        let request = SaleRequest {
            slot,
            seats,
            customer: Customer::default(),
            payment: PaymentMethod::Card,
            operator: "audit".into(),
            types: Vec::new(),
            price_override: None,
        };
        store.sell(&request, now, &Policy::default()).expect("sale")
    }

    fn rebook(store: &mut Store, ticket: &str, slot: SlotId, now: Time) -> String {
        let request = RebookRequest {
            ticket: ticket.into(),
            slot,
            seat: None,
            operator: "audit".into(),
            force: false,
            method: None,
        };
        store.rebook(&request, now, &Policy::default()).expect("rebook").new.code
    }

    fn assert_clean(store: &mut Store) -> Audit {
        let audit = store.audit().expect("audit");
        assert!(audit.ok(), "{:?}\n{audit:#?}", audit.problems());
        audit
    }

    #[test]
    fn every_lifecycle_path_keeps_the_identities() {
        each_engine(|db| {
            let (mut store, early, late) = fixture(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            // A sale, one ticket cancelled, one rebooked (cheaper, then dearer, then cancelled).
            let sale = sell(&mut store, early, SeatRequest::Count(3), now);
            store.cancel(&sale.tickets[0].code, "audit", false, now, &p).expect("cancel");
            let moved = rebook(&mut store, &sale.tickets[1].code, late, now);
            let back = rebook(&mut store, &moved, early, now);
            let premium = sell(&mut store, late, SeatRequest::Seats(vec![("B".into(), 1)]), now);
            let upgraded = rebook(&mut store, &premium.tickets[0].code, early, now);
            store.cancel(&back, "audit", false, now, &p).expect("cancel rebooked");
            // A hold confirmed (its held seat cannot be cancelled meanwhile), one released, one lapsed.
            let hold = store.hold(late, &SeatRequest::Count(3), "audit", now, &p).expect("hold");
            let held = store.booking_tickets(&hold.booking).expect("tickets");
            assert!(store.cancel(&held[0].code, "audit", false, now, &p).is_err(), "a held seat is not sold");
            store
                .confirm_hold(&hold.booking, &Customer::default(), PaymentMethod::Cash, "audit", now)
                .expect("confirm");
            let released = store.hold(late, &SeatRequest::Count(1), "audit", now, &p).expect("hold");
            store.release_hold(&released.booking, now, &p).expect("release");
            store.hold(late, &SeatRequest::Count(2), "audit", now, &p).expect("hold");
            assert_clean(&mut store);
            // A waiting customer is offered seats when a sold-out show frees some, and pays.
            let free = store.seat_map(early, now).expect("map").free_count();
            let full = sell(&mut store, early, SeatRequest::Count(free), now);
            let entry = store.waitlist_add(early, "Wait", None, 1, now, &p).expect("waitlist");
            store.cancel(&full.tickets[0].code, "audit", false, now, &p).expect("cancel");
            store.waitlist_confirm(entry.id, PaymentMethod::Card, &[], "audit", now).expect("waitlist confirm");
            // The next morning: the lapsed hold is released, and the early show ended more than
            // the grace period ago, so its booked tickets expire (the upgraded one among them).
            store.expire(t("2026-11-24 09:00"), t("2026-11-24 09:00"), "cron", &p).expect("expire");
            let audit = assert_clean(&mut store);
            assert_eq!(store.ticket(&upgraded).expect("ticket").status.name(), "expired");
            assert!(audit.tickets_by_status.get("expired").is_some_and(|n| *n >= 4), "{audit:#?}");
            assert!(audit.payments_net > 0 && audit.report_net == audit.payments_net, "{audit:#?}");
            assert_eq!(audit.bookings, 10, "{audit:#?}");
        });
    }

    #[test]
    fn it_catches_a_paid_ticket_expired_before_its_show_ended() {
        each_engine(|db| {
            let (mut store, early, _) = fixture(db);
            sell(&mut store, early, SeatRequest::Count(2), t("2026-11-23 12:00"));
            assert_eq!(store.audit().expect("audit").expired_early, 0);
            // What `expire --at` a mistyped future day did before it was bounded by the clock.
            store.db.batch("UPDATE ticket SET status = 'expired', changed_at = '2026-11-23 12:30:00'").expect("tamper");
            let audit = store.audit().expect("audit");
            assert_eq!(audit.expired_early, 2, "{audit:#?}");
            assert!(!audit.ok());
        });
    }

    #[test]
    fn it_catches_a_sale_without_its_payment() {
        each_engine(|db| {
            let (mut store, early, _) = fixture(db);
            sell(&mut store, early, SeatRequest::Count(2), t("2026-11-23 12:00"));
            store.db.batch("DELETE FROM payment").expect("tamper");
            let audit = store.audit().expect("audit");
            assert_eq!((audit.partial_bookings, audit.money_mismatch), (1, 1), "{audit:#?}");
            assert_ne!(audit.payments_net, audit.ticket_value);
            assert!(!audit.ok());
        });
    }

    #[test]
    fn it_catches_a_half_written_booking_and_a_double_sale() {
        each_engine(|db| {
            let (mut store, early, _) = fixture(db);
            let sale = sell(&mut store, early, SeatRequest::Count(2), t("2026-11-23 12:00"));
            store
                .db
                .batch(
                    "DROP INDEX ticket_one_live_per_seat;
                     INSERT INTO booking (code, slot_id, method, total, operator, created_at)
                         VALUES ('BKG-EMPTY0', 1, 'cash', 0, 'x', '2026-11-23 12:00:00');
                     UPDATE ticket SET status = 'held', hold_expires_at = '2026-11-23 12:05:00'
                      WHERE id = (SELECT MIN(id) FROM ticket);
                     INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, created_at, changed_at)
                         SELECT 'TKT-TWICE0', booking_id, slot_id, seat_id, price, 'booked', created_at, changed_at
                           FROM ticket WHERE id = (SELECT MAX(id) FROM ticket);",
                )
                .expect("tamper");
            let audit = store.audit().expect("audit");
            assert_eq!(audit.double_sold, 1, "{audit:#?}");
            assert_eq!(audit.partial_bookings, 2, "the empty booking and the held-and-booked one: {audit:#?}");
            assert!(!audit.ok());
            let _ = sale;
        });
    }
}
