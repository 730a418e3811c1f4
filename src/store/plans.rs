//! The query plans of the hot queries, for the test that pins them to indexes: a later schema or
//! query change that turns one into a scan of a million tickets fails that test, not a counter.

use super::{Result, Store, records, slots, tickets, upkeep, waitlist};
use crate::domain::time::Time;
use crate::store::SlotFilter;

impl Store {
    /// (name, `EXPLAIN QUERY PLAN` lines) of each hot query, built from the SQL the store runs.
    #[doc(hidden)]
    pub fn explain_hot_queries(&mut self) -> Result<Vec<(String, String)>> {
        let now = Time::default();
        let (schedule, _) = slots::schedule_query(
            &SlotFilter { date: Some(crate::domain::time::local(&now).date()), ..SlotFilter::default() },
            now,
        )?;
        let queries: [(&str, &str); 13] = [
            ("sale: the show, its hall and whether it has a waiting list", &slots::SLOT_FOR_SALE),
            ("seat map: seats of a hall", slots::HALL_SEATS),
            ("seat map: live tickets of a slot", slots::LIVE_TICKETS),
            ("schedule of a day", &schedule),
            ("ticket by code", tickets::TICKET_BY_CODE),
            ("ticket details", tickets::TICKET_DETAILS),
            ("booking by code", records::BOOKING_BY_CODE),
            ("hold release", records::RELEASE_HOLD),
            ("expired holds of a slot (a sale past a lapsed hold)", records::RELEASE_EXPIRED_HOLDS_OF_SLOT),
            ("waiting list of a slot (a sale into a show with one)", waitlist::WAITLIST_QUEUE),
            ("expiry: holds that ran out", upkeep::LAPSED_HOLD_SLOTS),
            ("expiry: booked tickets of ended shows", upkeep::EXPIRE_BOOKED),
            ("expiry: slots with a waiting list", upkeep::WAITING_SLOTS),
        ];
        let mut plans = Vec::new();
        for (name, sql) in queries {
            plans.push((name.to_string(), self.db.explain(sql)?));
        }
        Ok(plans)
    }
}
