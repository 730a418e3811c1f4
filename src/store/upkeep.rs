//! The cron side and the cash-up: expiring old tickets and stale holds, and the day's report.

use super::engine::args;
use super::records::{journal, lock_slots, release_expired_holds};
use super::waitlist::serve_waitlist;
use super::{Result, Store};
use crate::domain::cashup::Takings;
use crate::domain::model::{DayReport, ExpiryOutcome, MethodTotals, PaymentMethod};
use crate::domain::policy::Policy;
use crate::domain::time::{Time, day_span, format_time, store_time};
use chrono::NaiveDate;

/// Where the last `expire` got to: every slot ending before it has no booked tickets left.
pub(super) const EXPIRY_MARK: &str = "SELECT done_through FROM expiry_mark WHERE id = 1";

/// Booked tickets of slots that ended from the mark (?3) up to the cutoff (?2).
pub(super) const EXPIRE_BOOKED: &str = "UPDATE ticket SET status = 'expired', changed_at = ?1
  WHERE status = 'booked' AND slot_id IN (SELECT id FROM slot WHERE ends_at >= ?3 AND ends_at <= ?2)";

const MOVE_EXPIRY_MARK: &str = "UPDATE expiry_mark SET done_through = ?1 WHERE id = 1 AND done_through < ?1";

/// The slot of each held ticket that ran out by ?1, through the partial index of live holds
/// (not DISTINCT: SQLite would then walk a whole index in slot order instead).
pub(super) const LAPSED_HOLD_SLOTS: &str = "SELECT slot_id FROM ticket WHERE status = 'held' AND hold_expires_at <= ?1";

/// A payment of the cinema named ?3 (any case), or any payment when ?3 is NULL: through its
/// booking's show and hall.
pub(super) const OF_CINEMA: &str = "(CAST(?3 AS TEXT) IS NULL OR booking_id IN (
    SELECT b.id FROM booking b JOIN slot s ON s.id = b.slot_id JOIN hall h ON h.id = s.hall_id
      JOIN cinema c ON c.id = h.cinema_id WHERE lower(c.name) = lower(?3)))";

/// Slots with a live waiting list, which expiry may have changed.
pub(super) const WAITING_SLOTS: &str = "SELECT DISTINCT slot_id FROM waitlist WHERE status IN ('waiting', 'offered')";

impl Store {
    /// Expires booked tickets of slots that ended more than the grace period before `at`, and
    /// releases holds that ran out by then. Idempotent, and one short transaction, so it is safe
    /// to run from cron while counters sell.
    ///
    /// `now` is the real clock, and it bounds what a mistyped `at` can do: no ticket of a show
    /// that had not ended more than the grace period before `now` is ever expired (its seats
    /// would be sold twice), and seats that come free are offered to the waiting lists from
    /// `now`, never from a past `at` (an offer made in the past is dead on arrival). The caller
    /// refuses an `at` later than `now` unless forced; a forced one is written to the journal.
    pub fn expire(&mut self, at: Time, now: Time, operator: &str, policy: &Policy) -> Result<ExpiryOutcome> {
        let cutoff = store_time(&policy.expiry_cutoff(at.min(now)));
        self.write(|tx| {
            // The shows whose waiting lists expiry may serve are locked first, in id order,
            // like every sale locks its show before reading its seats.
            // So are the shows whose holds ran out: a counter confirming one of those holds
            // holds its show's lock, and must not see its seats released half-way through.
            let waiting: Vec<i64> = tx.column(WAITING_SLOTS, args![])?;
            let mut lapsed: Vec<i64> = tx.column(LAPSED_HOLD_SLOTS, args![store_time(&at)])?;
            lapsed.sort_unstable();
            lapsed.dedup();
            lock_slots(tx, &[waiting.as_slice(), lapsed.as_slice()].concat())?;
            let mut holds_released = 0;
            for slot in &lapsed {
                holds_released += release_expired_holds(tx, *slot, at)?;
            }
            // Only shows that ended since the last run (see migrations/004_hot_paths.sql).
            let mark: String = tx.value(EXPIRY_MARK, args![])?;
            let expired = tx.execute(EXPIRE_BOOKED, args![store_time(&now), cutoff.as_str(), mark])?;
            tx.execute(MOVE_EXPIRY_MARK, args![cutoff.as_str()])?;
            for slot in &waiting {
                serve_waitlist(tx, *slot, now, policy)?;
            }
            if at > now {
                let detail =
                    format!("as of {}: {expired} tickets expired, {holds_released} holds released", format_time(&at));
                journal(tx, now, operator, "expire --force", &detail)?;
            }
            Ok(ExpiryOutcome { expired, holds_released })
        })
        .inspect(|_| {
            // Cron's quarter-hourly run also chains the journal's new entries, so a sale's entry
            // waits at most that long for the chain. A busy journal is chained next time.
            let _ = self.seal_journal();
        })
    }

    /// Sales and refunds of one day, by payment method (both methods always listed).
    pub fn report(&mut self, date: NaiveDate) -> Result<DayReport> {
        self.report_for(date, None)
    }

    /// Like [`Store::report`], of one cinema's shows only (`None`: the whole chain).
    pub fn report_for(&mut self, date: NaiveDate, cinema: Option<&str>) -> Result<DayReport> {
        let (from, to) = day_span(date)?;
        self.read(|tx| {
            let rows: Vec<(String, String, i64, usize, String)> = tx.query_vec(
                &format!(
                    "SELECT method, kind, CAST(SUM(amount) AS BIGINT), CAST(SUM(tickets) AS BIGINT), ticket_type
                       FROM payment
                      WHERE created_at >= ?1 AND created_at < ?2 AND {OF_CINEMA} GROUP BY method, kind, ticket_type"
                ),
                args![store_time(&from), store_time(&to), cinema],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let order: Vec<String> = tx.column("SELECT name FROM ticket_type ORDER BY position, name", args![])?;
            let mut types: Vec<(String, Takings)> = Vec::new();
            for (_, kind, amount, tickets, ticket_type) in &rows {
                let at = match types.iter().position(|(t, _)| t == ticket_type) {
                    Some(at) => at,
                    None => {
                        types.push((ticket_type.clone(), Takings::default()));
                        types.len() - 1
                    }
                };
                types[at].1.add(kind == "sale", *amount, *tickets);
            }
            types.sort_by_key(|(t, _)| order.iter().position(|o| o == t).unwrap_or(usize::MAX));
            let methods = [PaymentMethod::Cash, PaymentMethod::Card]
                .into_iter()
                .map(|method| {
                    let mut t = Takings::default();
                    for (_, kind, amount, tickets, _) in rows.iter().filter(|r| r.0 == method.name()) {
                        t.add(kind == "sale", *amount, *tickets);
                    }
                    MethodTotals {
                        method,
                        sales: t.sales,
                        refunds: t.refunds,
                        net: t.net,
                        tickets_sold: t.tickets_sold,
                        tickets_refunded: t.tickets_refunded,
                    }
                })
                .collect();
            Ok(DayReport { date, methods, types })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{SeatRequest, TicketStatus};
    use crate::store::test_support::{each_engine, small_show, t, walk_in};

    #[test]
    fn expiry_skips_shows_it_already_did_but_not_tickets_booked_behind_its_mark() {
        each_engine(|db| {
            let (mut store, slot) = small_show(db, 1, 4);
            let p = Policy::default();
            let first = store.sell(&walk_in(slot, SeatRequest::Count(1)), t("2026-11-23 12:00"), &p).expect("sale");
            let done = store.expire(t("2026-11-24 12:00"), t("2026-11-24 12:00"), "cron", &p).expect("expire");
            assert_eq!(done.expired, 1);
            assert_eq!(
                store.expire(t("2026-11-24 12:00"), t("2026-11-24 12:00"), "cron", &p).expect("again").expired,
                0,
                "nothing left to do"
            );
            // The day is replayed (a clock set back): a sale into the show the mark has passed.
            let late = store.sell(&walk_in(slot, SeatRequest::Count(1)), t("2026-11-23 13:00"), &p).expect("sale");
            assert_eq!(
                store.expire(t("2026-11-24 12:30"), t("2026-11-24 12:30"), "cron", &p).expect("expire").expired,
                1,
                "the mark was pulled back"
            );
            for code in [&first.tickets[0].code, &late.tickets[0].code] {
                assert_eq!(store.ticket(code).expect("ticket").status, TicketStatus::Expired);
            }
        });
    }

    #[test]
    fn crons_expire_chains_the_journal_entries_of_the_sales_since_its_last_run() {
        each_engine(|db| {
            let (mut store, slot) = small_show(db, 1, 4);
            let (p, now) = (Policy::default(), t("2026-11-23 12:00"));
            store.sell(&walk_in(slot, SeatRequest::Count(2)), now, &p).expect("sale");
            let unsealed = |store: &mut Store| {
                store.read(|tx| tx.value::<i64>("SELECT COUNT(*) FROM journal WHERE hash = ''", args![]))
            };
            assert_eq!(unsealed(&mut store).expect("count"), 1, "a sale's entry waits for the chain");
            store.expire(now, now, "cron", &p).expect("expire");
            assert_eq!(unsealed(&mut store).expect("count"), 0, "cron chained it");
        });
    }

    #[test]
    fn a_mistyped_future_at_never_expires_a_show_that_has_not_ended_by_the_clock() {
        each_engine(|db| {
            let (mut store, slot) = small_show(db, 1, 4);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let sale = store.sell(&walk_in(slot, SeatRequest::Count(2)), now, &p).expect("sale");
            // `--at 2026-12-31` meant for 2026-11-23, forced: the show is tonight, so nothing expires.
            let done = store.expire(t("2026-12-31 09:00"), now, "ann", &p).expect("expire");
            assert_eq!(done.expired, 0);
            for ticket in &sale.tickets {
                assert_eq!(store.ticket(&ticket.code).expect("ticket").status, TicketStatus::Booked);
            }
            assert!(store.sell(&walk_in(slot, SeatRequest::Count(3)), now, &p).is_err(), "the paid seats stay sold");
            let journal: Vec<(String, String)> = store
                .read(|tx| {
                    // Sales and payments are journalled too; the overrides are what this looks at.
                    tx.query_vec("SELECT operator, action FROM journal WHERE action NOT IN ('payment', 'sale', 'refund', 'rebooking')", args![], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                })
                .expect("journal");
            assert_eq!(journal, vec![("ann".to_string(), "expire --force".to_string())], "the forced run is recorded");
            // The next day, by the real clock, they expire as usual (and a normal run is not journalled).
            let next_day = t("2026-11-24 12:00");
            assert_eq!(store.expire(next_day, next_day, "cron", &p).expect("expire").expired, 2);
            assert!(store.audit().expect("audit").ok());
            let entries: i64 = store
                .read(|tx| {
                    tx.value(
                        "SELECT COUNT(*) FROM journal WHERE action NOT IN ('payment', 'sale', 'refund', 'rebooking')",
                        args![],
                    )
                })
                .expect("count");
            assert_eq!(entries, 1);
        });
    }
}
