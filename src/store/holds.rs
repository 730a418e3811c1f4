//! Seat holds: while a customer pays, the seats a counter picked are held in the database (a
//! booking whose tickets are `held` until a deadline), so no other counter can sell them.
//! Confirming turns them into a sale in one transaction; releasing frees them at once; a
//! counter that dies leaves holds that every process treats as free once they run out.

use rusqlite::{Connection, OptionalExtension, params};

use super::sales::{insert_booking, insert_customer, insert_payment, insert_ticket, take_seats};
use super::slots::slot_by_id;
use super::waitlist::serve_waitlist;
use super::{Result, Store};
use crate::domain::codes::normalize_code;
use crate::domain::error::{conflict, not_found};
use crate::domain::model::{Customer, IssuedTicket, PaymentMethod, Sale, SeatRequest, Slot, SlotId};
use crate::domain::money::Cents;
use crate::domain::policy::Policy;
use crate::domain::seatmap::Seat;
use crate::domain::text::{clean_optional, clean_phone};
use crate::domain::time::{Time, format_time, read_store_time, store_time};

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
            for seat in &seats {
                insert_ticket(tx, booking_id, slot.id, seat, None, now, Some(expires))?;
            }
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
        let customer = Customer {
            name: clean_optional("customer name", customer.name.as_deref(), 100)?,
            phone: clean_phone(customer.phone.as_deref())?,
        };
        self.write(|tx| confirm_in(tx, booking, &customer, payment, operator, now))
    }

    /// Releases a hold at once (the customer walked away); returns how many seats were freed.
    /// The freed seats go to the slot's waiting list first.
    pub fn release_hold(&mut self, booking: &str, now: Time, policy: &Policy) -> Result<usize> {
        self.write(|tx| {
            let (booking_id, slot) = booking_by_code(tx, booking)?;
            let freed = tx.prepare_cached(RELEASE_HOLD)?.execute(params![booking_id, store_time(&now)])?;
            serve_waitlist(tx, slot, now, policy)?;
            Ok(freed)
        })
    }
}

/// The seats a hold keeps, given back at once.
pub(super) const RELEASE_HOLD: &str = "UPDATE ticket SET status = 'canceled', hold_expires_at = NULL, changed_at = ?2
  WHERE booking_id = ?1 AND status = 'held'";

pub(super) const BOOKING_BY_CODE: &str = "SELECT id, slot_id FROM booking WHERE code = ?1";

/// Sells the seats held under `booking`, inside the caller's transaction (the waiting list
/// marks its entry served in the same one). `customer` is already checked.
pub(super) fn confirm_in(
    tx: &Connection,
    booking: &str,
    customer: &Customer,
    payment: PaymentMethod,
    operator: &str,
    now: Time,
) -> Result<Sale> {
    let (booking_id, slot_id) = booking_by_code(tx, booking)?;
    let held = held_tickets(tx, booking_id)?;
    if held.is_empty() {
        return Err(conflict(format!("'{booking}' holds no seats (already sold or released)")).into());
    }
    if let Some(ran_out) = held.iter().map(|t| t.3).find(|until| *until <= now) {
        return Err(conflict(format!(
            "the hold on '{booking}' ran out at {}: hold the seats again",
            format_time(&ran_out)
        ))
        .into());
    }
    let slot = slot_by_id(tx, slot_id)?;
    if now >= slot.end {
        return Err(conflict(format!("sales closed: '{}' has ended", slot.name)).into());
    }
    let customer_id = insert_customer(tx, customer)?;
    let total: Cents = held.iter().map(|t| t.2).sum();
    tx.execute(
        "UPDATE booking SET customer_id = ?2, method = ?3, total = ?4, operator = ?5, created_at = ?6 WHERE id = ?1",
        params![booking_id, customer_id, payment.name(), total, operator, store_time(&now)],
    )?;
    tx.execute(
        "UPDATE ticket SET status = 'booked', hold_expires_at = NULL, changed_at = ?2
              WHERE booking_id = ?1 AND status = 'held'",
        params![booking_id, store_time(&now)],
    )?;
    insert_payment(tx, booking_id, "sale", payment, total, held.len(), operator, now)?;
    let tickets = held.into_iter().map(|(code, seat, price, _)| IssuedTicket { code, seat, price }).collect();
    let code = normalize_code(booking);
    Ok(Sale { booking: code, slot, tickets, total, customer: customer.clone(), payment })
}

fn booking_by_code(tx: &Connection, code: &str) -> Result<(i64, SlotId)> {
    let code = normalize_code(code);
    tx.query_row(BOOKING_BY_CODE, [&code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| not_found(format!("no booking '{code}'")).into())
}

/// (code, seat label, price, hold deadline) of a booking's held tickets.
fn held_tickets(tx: &Connection, booking: i64) -> Result<Vec<(String, String, Cents, Time)>> {
    let mut stmt = tx.prepare(
        "SELECT t.code, s.row_label || s.number, t.price, t.hold_expires_at
           FROM ticket t JOIN seat s ON s.id = t.seat_id
          WHERE t.booking_id = ?1 AND t.status = 'held' ORDER BY t.id",
    )?;
    let rows = stmt
        .query_map([booking], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|(code, seat, price, until)| Ok((code, seat, price, read_store_time(&until)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::seatmap::SeatStatus;
    use crate::store::test_support::{small_show, t};

    fn fixture() -> (Store, SlotId) {
        small_show(1, 4)
    }

    #[test]
    fn a_hold_blocks_other_counters_until_it_runs_out() {
        let (mut store, slot) = fixture();
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
    }

    #[test]
    fn confirming_sells_and_releasing_frees() {
        let (mut store, slot) = fixture();
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
    }
}
