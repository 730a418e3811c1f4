//! The cron side and the cash-up: expiring old tickets and stale holds, and the day's report.

use super::engine::args;
use super::records::{lock_slots, release_expired_holds};
use super::waitlist::serve_waitlist;
use super::{Result, Store};
use crate::domain::cashup::Takings;
use crate::domain::model::{DayReport, ExpiryOutcome, MethodTotals, PaymentMethod};
use crate::domain::policy::Policy;
use crate::domain::time::{Time, day_span, store_time};
use chrono::NaiveDate;

/// Where the last `expire` got to: every slot ending before it has no booked tickets left.
pub(super) const EXPIRY_MARK: &str = "SELECT done_through FROM expiry_mark WHERE id = 1";

/// Booked tickets of slots that ended from the mark (?3) up to the cutoff (?2).
pub(super) const EXPIRE_BOOKED: &str = "UPDATE ticket SET status = 'expired', changed_at = ?1
  WHERE status = 'booked' AND slot_id IN (SELECT id FROM slot WHERE ends_at >= ?3 AND ends_at <= ?2)";

const MOVE_EXPIRY_MARK: &str = "UPDATE expiry_mark SET done_through = ?1 WHERE id = 1 AND done_through < ?1";

/// Slots with a live waiting list, which expiry may have changed.
pub(super) const WAITING_SLOTS: &str = "SELECT DISTINCT slot_id FROM waitlist WHERE status IN ('waiting', 'offered')";

impl Store {
    /// Expires booked tickets of slots that ended more than the grace period before `at`, and
    /// releases holds that ran out. Idempotent, and one short transaction, so it is safe to run
    /// from cron while counters sell.
    pub fn expire(&mut self, at: Time, policy: &Policy) -> Result<ExpiryOutcome> {
        let cutoff = policy.expiry_cutoff(at);
        self.write(|tx| {
            // The shows whose waiting lists expiry may serve are locked first, in id order,
            // like every sale locks its show before reading its seats.
            let waiting: Vec<i64> = tx.column(WAITING_SLOTS, args![])?;
            lock_slots(tx, &waiting)?;
            let holds_released = release_expired_holds(tx, None, at)?;
            // Only shows that ended since the last run (see migrations/004_hot_paths.sql).
            let mark: String = tx.value(EXPIRY_MARK, args![])?;
            let cutoff = store_time(&cutoff);
            let expired = tx.execute(EXPIRE_BOOKED, args![store_time(&at), cutoff, mark])?;
            tx.execute(MOVE_EXPIRY_MARK, args![cutoff])?;
            for slot in &waiting {
                serve_waitlist(tx, *slot, at, policy)?;
            }
            Ok(ExpiryOutcome { expired, holds_released })
        })
    }

    /// Sales and refunds of one day, by payment method (both methods always listed).
    pub fn report(&mut self, date: NaiveDate) -> Result<DayReport> {
        let (from, to) = day_span(date)?;
        self.read(|tx| {
            let rows: Vec<(String, String, i64, usize)> = tx.query_vec(
                "SELECT method, kind, CAST(SUM(amount) AS BIGINT), CAST(SUM(tickets) AS BIGINT) FROM payment
                  WHERE created_at >= ?1 AND created_at < ?2 GROUP BY method, kind",
                args![store_time(&from), store_time(&to)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let methods = [PaymentMethod::Cash, PaymentMethod::Card]
                .into_iter()
                .map(|method| {
                    let mut t = Takings::default();
                    for (_, kind, amount, tickets) in rows.iter().filter(|r| r.0 == method.name()) {
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
            Ok(DayReport { date, methods })
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
            let done = store.expire(t("2026-11-24 12:00"), &p).expect("expire");
            assert_eq!(done.expired, 1);
            assert_eq!(store.expire(t("2026-11-24 12:00"), &p).expect("again").expired, 0, "nothing left to do");
            // The day is replayed (a clock set back): a sale into the show the mark has passed.
            let late = store.sell(&walk_in(slot, SeatRequest::Count(1)), t("2026-11-23 13:00"), &p).expect("sale");
            assert_eq!(store.expire(t("2026-11-24 12:30"), &p).expect("expire").expired, 1, "the mark was pulled back");
            for code in [&first.tickets[0].code, &late.tickets[0].code] {
                assert_eq!(store.ticket(code).expect("ticket").status, TicketStatus::Expired);
            }
        });
    }
}
