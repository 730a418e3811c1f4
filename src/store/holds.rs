//! Seat holds: while a customer pays, the seats a counter picked are held in the database (a
//! booking whose tickets are `held` until a deadline), so no other counter can sell them.
//! Confirming turns them into a sale in one transaction; releasing frees them at once; a
//! counter that dies leaves holds that every process treats as free once they run out.

use super::engine::args;
use super::records::{RELEASE_HOLD, booking_by_code, confirm_in, insert_booking, insert_tickets};
use super::sales::take_seats;
use super::waitlist::serve_waitlist;
use super::{Result, Store};
use crate::domain::model::{Customer, PaymentMethod, Sale, SeatRequest, Slot, SlotId};
use crate::domain::money::Cents;
use crate::domain::policy::Policy;
use crate::domain::seatmap::Seat;
use crate::domain::text::{clean_optional, clean_phone};
use crate::domain::time::{Time, store_time};

/// Seats held for a sale in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// The booking the seats are held under; confirming sells it.
    pub booking: String,
    pub slot: Slot,
    pub seats: Vec<Seat>,
    pub expires: Time,
}

impl Hold {
    pub fn total(&self) -> Cents {
        self.seats.iter().map(|s| s.price).sum()
    }
}

impl Store {
    /// Holds seats (by count or by label) for `policy.hold_minutes`: all of them or none.
    pub fn hold(
        &mut self,
        slot: SlotId,
        seats: &SeatRequest,
        operator: &str,
        now: Time,
        policy: &Policy,
    ) -> Result<Hold> {
        let count = match seats {
            SeatRequest::Count(n) => *n,
            SeatRequest::Seats(list) => list.len(),
        };
        policy.check_count(count)?;
        let expires = policy.hold_until(now);
        let halls = self.halls.clone();
        self.write(|tx| {
            let (slot, seats) = take_seats(tx, &halls, slot, seats, now, policy)?;
            let total = seats.iter().map(|s| s.price).sum();
            // The payment method is settled on confirmation; the booking row only reserves a code.
            let (booking_id, booking) = insert_booking(tx, slot.id, None, PaymentMethod::Cash, total, operator, now)?;
            let typed: Vec<(&Seat, &str)> = seats.iter().map(|s| (s, slot.default_type.as_str())).collect();
            insert_tickets(tx, (booking_id, slot.id), &typed, now, Some(expires))?;
            Ok(Hold { booking, slot, seats, expires })
        })
    }

    /// Sells held seats: refused when the hold ran out (hold again) or is not a hold.
    pub fn confirm_hold(
        &mut self,
        booking: &str,
        customer: &Customer,
        payment: PaymentMethod,
        operator: &str,
        now: Time,
    ) -> Result<Sale> {
        self.confirm_hold_as(booking, customer, payment, (&[], None), operator, now)
    }

    /// Like [`Store::confirm_hold`], selling the seats as tickets of the types named in
    /// `types` (the rest the show's default type), each at its type's price, or every one at
    /// `price_override` (a manager's override; see [`Slot::price_sale`]).
    pub fn confirm_hold_as(
        &mut self,
        booking: &str,
        customer: &Customer,
        payment: PaymentMethod,
        (types, price_override): (&[(String, usize)], Option<Cents>),
        operator: &str,
        now: Time,
    ) -> Result<Sale> {
        let customer = Customer {
            name: clean_optional("customer name", customer.name.as_deref(), 100)?,
            phone: clean_phone(customer.phone.as_deref())?,
        };
        self.write(|tx| {
            let (_, slot) = booking_by_code(tx, booking)?;
            tx.lock_slot(slot)?;
            confirm_in(tx, booking, &customer, payment, types, price_override, operator, now)
        })
    }

    /// Releases a hold at once (the customer walked away); returns how many seats were freed.
    /// The freed seats go to the slot's waiting list first.
    pub fn release_hold(&mut self, booking: &str, now: Time, policy: &Policy) -> Result<usize> {
        self.write(|tx| {
            let (booking_id, slot) = booking_by_code(tx, booking)?;
            tx.lock_slot(slot)?;
            let freed = tx.execute(RELEASE_HOLD, args![booking_id, store_time(&now)])?;
            serve_waitlist(tx, slot, now, policy)?;
            Ok(freed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::seatmap::SeatStatus;
    use crate::store::test_support::{TestDb, each_engine, small_show, t};

    fn fixture(db: &TestDb) -> (Store, SlotId) {
        small_show(db, 1, 4)
    }

    #[test]
    fn a_hold_blocks_other_counters_until_it_runs_out() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let hold = store.hold(slot, &SeatRequest::Count(3), "till1", now, &p).expect("hold");
            assert_eq!(hold.expires, t("2026-11-23 12:05"));
            let map = store.seat_map(slot, now).expect("map");
            assert_eq!(map.seats.iter().filter(|s| s.status == SeatStatus::Held).count(), 3);
            assert!(store.hold(slot, &SeatRequest::Count(2), "till2", now, &p).is_err(), "only one seat is free");
            // Five minutes later the hold is as good as gone: another counter takes the seats.
            let later = t("2026-11-23 12:05");
            store.hold(slot, &SeatRequest::Count(4), "till2", later, &p).expect("expired hold is free");
            let late = store.confirm_hold(&hold.booking, &Customer::default(), PaymentMethod::Cash, "till1", later);
            assert!(late.is_err(), "a hold that ran out cannot be sold");
        });
    }

    #[test]
    fn confirming_sells_and_releasing_frees() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let hold = store.hold(slot, &SeatRequest::Count(2), "till1", now, &p).expect("hold");
            let customer = Customer { name: Some("Ann".into()), phone: None };
            let sale = store.confirm_hold(&hold.booking, &customer, PaymentMethod::Card, "till1", now).expect("sale");
            assert_eq!(sale.total, 2000);
            assert_eq!(store.report(now.date()).expect("report").methods[1].sales, 2000);
            assert!(store.confirm_hold(&hold.booking, &customer, PaymentMethod::Card, "till1", now).is_err());
            let other = store.hold(slot, &SeatRequest::Count(2), "till2", now, &p).expect("hold");
            assert_eq!(store.release_hold(&other.booking, now, &p).expect("release"), 2);
            assert_eq!(store.seat_map(slot, now).expect("map").free_count(), 2);
            assert_eq!(store.report(now.date()).expect("report").sales(), 2000, "a released hold costs nothing");
        });
    }

    #[test]
    fn a_held_seat_cannot_be_cancelled_and_a_hold_that_lost_a_seat_sells_nothing() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let hold = store.hold(slot, &SeatRequest::Count(3), "till1", now, &p).expect("hold");
            let held = store.booking_tickets(&hold.booking).expect("tickets");
            let refused = store.cancel(&held[0].code, "till2", false, now, &p).expect_err("held, not sold");
            assert_eq!(refused.exit_code(), 4);
            assert!(refused.to_string().contains("held by a counter, not sold"), "{refused}");
            assert!(store.cancel(&hold.booking, "till2", true, now, &p).is_err(), "nor the whole hold, even forced");
            // Should a seat be lost anyway (here by hand), confirming sells none of them.
            store
                .db
                .batch(&format!(
                    "UPDATE ticket SET status = 'canceled', hold_expires_at = NULL WHERE code = '{}'",
                    held[0].code
                ))
                .expect("tamper");
            let lost = store
                .confirm_hold(&hold.booking, &Customer::default(), PaymentMethod::Cash, "till1", now)
                .expect_err("a seat was lost");
            assert!(lost.to_string().contains("seats no longer held"), "{lost}");
            assert_eq!(store.report(now.date()).expect("report").sales(), 0, "no money taken");
            let map = store.seat_map(slot, now).expect("map");
            assert_eq!(map.seats.iter().filter(|s| s.status == SeatStatus::Booked).count(), 0);
        });
    }
}
