//! The theatre's selling rules: how many seats a sale may take, when sales close, when a
//! refund is due, and when old tickets expire. Every check takes the clock as an argument.

use chrono::Duration;

use super::error::{Result, conflict, invalid};
use super::model::Slot;
use super::time::{Time, format_time};

/// The most seats one sale may take (the design documents' limit against abuse).
pub const MAX_SEATS_PER_SALE: usize = 10;

/// Tunable rules; `Policy::default()` is what a theatre gets out of the box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Minutes after a slot's start during which late-comers may still buy.
    pub late_sale_minutes: i64,
    /// Hours after a slot's end before its booked tickets expire (the seed's 8 hours).
    pub expiry_grace_hours: i64,
    /// Minutes a counter's seat hold lasts while the customer pays.
    pub hold_minutes: i64,
    /// Minutes seats offered to a waiting customer stay held for them.
    pub offer_minutes: i64,
    /// Refunds stop this many minutes before the start (0: at the start).
    pub refund_cutoff_minutes: i64,
    /// The door opens for check-in this many minutes before a show starts (and closes at its end).
    pub door_open_minutes: i64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            late_sale_minutes: 15,
            expiry_grace_hours: 8,
            hold_minutes: 5,
            offer_minutes: 30,
            refund_cutoff_minutes: 0,
            door_open_minutes: 60,
        }
    }
}

impl Policy {
    /// Refuses a seat count outside 1..=10.
    pub fn check_count(&self, count: usize) -> Result<()> {
        if count == 0 || count > MAX_SEATS_PER_SALE {
            return Err(invalid(format!("a sale takes 1 to {MAX_SEATS_PER_SALE} seats, not {count}")));
        }
        Ok(())
    }

    /// Sales close at the end of the late window after the start, and always at the end.
    pub fn check_sellable(&self, slot: &Slot, now: Time) -> Result<()> {
        if now >= slot.end {
            return Err(conflict(format!("sales closed: '{}' ended at {}", slot.name, format_time(&slot.end))));
        }
        if now > self.sales_close(slot) {
            return Err(conflict(format!(
                "sales closed: '{}' started at {} (late sales end {} minutes after the start)",
                slot.name,
                format_time(&slot.start),
                self.late_sale_minutes
            )));
        }
        Ok(())
    }

    /// The last moment a seat of `slot` can be sold.
    pub fn sales_close(&self, slot: &Slot) -> Time {
        (slot.start + Duration::minutes(self.late_sale_minutes)).min(slot.end)
    }

    /// Full refund until the cut-off (the start, by default); after it only when an admin
    /// forces it.
    pub fn check_refundable(&self, slot: &Slot, now: Time, force: bool) -> Result<()> {
        let cutoff = slot.start - Duration::minutes(self.refund_cutoff_minutes);
        if now >= cutoff && !force {
            let when = if self.refund_cutoff_minutes == 0 {
                format!("started at {}", format_time(&slot.start))
            } else {
                format!(
                    "starts at {}; refunds end {} minutes before",
                    format_time(&slot.start),
                    self.refund_cutoff_minutes
                )
            };
            return Err(conflict(format!("no refund: '{}' {when}; a manager can approve it with --force", slot.name)));
        }
        Ok(())
    }

    /// Booked tickets of slots that ended at or before this moment are due to expire at `at`.
    pub fn expiry_cutoff(&self, at: Time) -> Time {
        at - Duration::hours(self.expiry_grace_hours)
    }

    /// When a hold taken at `now` runs out.
    pub fn hold_until(&self, now: Time) -> Time {
        now + Duration::minutes(self.hold_minutes)
    }
}
