//! The cron side and the cash-up: expiring old tickets and stale holds, and the day's report.

use chrono::{Duration, NaiveDate};
use rusqlite::params;

use super::sales::release_expired_holds;
use super::waitlist::serve_waitlist;
use super::{Result, Store};
use crate::domain::model::{DayReport, ExpiryOutcome, MethodTotals, PaymentMethod};
use crate::domain::policy::Policy;
use crate::domain::time::{Time, store_time};

impl Store {
    /// Expires booked tickets of slots that ended more than the grace period before `at`, and
    /// releases holds that ran out. Idempotent, and one short transaction, so it is safe to run
    /// from cron while counters sell.
    pub fn expire(&mut self, at: Time, policy: &Policy) -> Result<ExpiryOutcome> {
        let cutoff = policy.expiry_cutoff(at);
        self.write(|tx| {
            let holds_released = release_expired_holds(tx, None, at)?;
            let expired = tx.execute(
                "UPDATE ticket SET status = 'expired', changed_at = ?1
                  WHERE status = 'booked' AND slot_id IN (SELECT id FROM slot WHERE ends_at <= ?2)",
                params![store_time(&at), store_time(&cutoff)],
            )?;
            let waiting: Vec<i64> = tx
                .prepare("SELECT DISTINCT slot_id FROM waitlist WHERE status IN ('waiting', 'offered')")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for slot in waiting {
                serve_waitlist(tx, slot, at, policy)?;
            }
            Ok(ExpiryOutcome { expired, holds_released })
        })
    }

    /// Sales and refunds of one day, by payment method (both methods always listed).
    pub fn report(&mut self, date: NaiveDate) -> Result<DayReport> {
        let from = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let to = from + Duration::days(1);
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT method, kind, SUM(amount), SUM(tickets) FROM payment
                  WHERE created_at >= ?1 AND created_at < ?2 GROUP BY method, kind",
            )?;
            let rows = stmt
                .query_map(params![store_time(&from), store_time(&to)], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)? as usize,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let methods = [PaymentMethod::Cash, PaymentMethod::Card]
                .into_iter()
                .map(|method| {
                    let mut totals =
                        MethodTotals { method, sales: 0, refunds: 0, net: 0, tickets_sold: 0, tickets_refunded: 0 };
                    for (m, kind, amount, tickets) in &rows {
                        if m != method.name() {
                            continue;
                        }
                        if kind == "sale" {
                            totals.sales += amount;
                            totals.tickets_sold += tickets;
                        } else {
                            totals.refunds += amount;
                            totals.tickets_refunded += tickets;
                        }
                    }
                    totals.net = totals.sales - totals.refunds;
                    totals
                })
                .collect();
            Ok(DayReport { date, methods })
        })
    }
}
