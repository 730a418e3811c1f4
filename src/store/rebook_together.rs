//! Rebooking a whole booking together: a couple moving to another show keeps sitting side by
//! side. Every booked ticket of the booking moves at once, to the best seats together in the
//! target show, under one new booking; the price difference is charged or refunded once.

use super::door::refuse_if_inside;
use super::engine::args;
use super::journal_tables::ticket_states;
use super::records::{
    Money, Settlement, booking_by_code, insert_booking, insert_ticket, lock_slots, release_expired_holds, settle,
};
use super::slots::{seat_map, slot_by_id};
use super::tickets::ticket_by_id;
use super::waitlist::serve_waitlist;
use super::{RebookRequest, Result, Store};
use crate::domain::best::best_seats;
use crate::domain::codes::normalize_code;
use crate::domain::error::{conflict, invalid};
use crate::domain::model::{PaymentMethod, TicketDetails};
use crate::domain::money::Cents;
use crate::domain::policy::Policy;
use crate::domain::time::{Time, store_time};

/// The outcome of rebooking a booking: its old tickets (archived) and the new ones, in the
/// same order, and the difference (positive charged, negative refunded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRebooking {
    pub old: Vec<TicketDetails>,
    pub new: Vec<TicketDetails>,
    pub difference: Cents,
}

impl Store {
    /// Moves every booked ticket of booking `code` to `slot`, together, as one new booking.
    pub fn rebook_booking(&mut self, request: &RebookRequest, now: Time, policy: &Policy) -> Result<BookingRebooking> {
        if request.seat.is_some() {
            return Err(invalid("a whole booking moves to the best seats together: a seat is for one ticket").into());
        }
        let (code, slot, operator, force) = (&request.ticket, request.slot, &request.operator, request.force);
        self.write(|tx| {
            let (booking_id, old_slot) = booking_by_code(tx, code)?;
            lock_slots(tx, &[old_slot, slot])?;
            let old_ids: Vec<i64> = tx.column(
                "SELECT id FROM ticket WHERE booking_id = ?1 AND status = 'booked' ORDER BY id",
                args![booking_id],
            )?;
            let old = old_ids.iter().map(|id| ticket_by_id(tx, *id)).collect::<Result<Vec<_>>>()?;
            let Some(first) = old.first() else {
                return Err(
                    conflict(format!("booking '{}' has no booked tickets to rebook", normalize_code(code))).into()
                );
            };
            policy.check_refundable(&first.slot, now, force)?;
            for (id, t) in old_ids.iter().zip(&old) {
                refuse_if_inside(tx, *id, &t.code, force)?;
            }
            let target = slot_by_id(tx, slot)?;
            policy.check_sellable(&target, now)?;
            release_expired_holds(tx, target.id, now)?;
            // Freed seats go to the target show's waiting list before this party takes any.
            serve_waitlist(tx, target.id, now, policy)?;
            for id in &old_ids {
                tx.execute(
                    "UPDATE ticket SET status = 'archived', changed_at = ?2 WHERE id = ?1",
                    args![id, store_time(&now)],
                )?;
            }
            let map = seat_map(tx, target.id, now)?;
            let ids = best_seats(&map, old.len())
                .ok_or_else(|| conflict(format!("'{}' has not {} seats free for the party", target.name, old.len())))?;
            let mut seats: Vec<_> = map.seats.iter().filter(|s| ids.contains(&s.id)).cloned().collect();
            // Each ticket keeps its type, at the new show's price for it.
            let types: Vec<String> =
                old.iter().map(|t| target.priced_type(&t.ticket_type)).collect::<Result<_, _>>()?;
            for (seat, ticket_type) in seats.iter_mut().zip(&types) {
                seat.price = target.price_for(ticket_type, seat)?;
            }
            let (customer_id, method): (Option<i64>, String) =
                tx.query_row("SELECT customer_id, method FROM booking WHERE id = ?1", args![booking_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let paid = PaymentMethod::parse(&method).unwrap_or(PaymentMethod::Cash);
            let total: Cents = seats.iter().map(|s| s.price).sum();
            let booking = insert_booking(tx, target.id, customer_id, paid, total, operator, now)?;
            let mut new_ids = Vec::new();
            for ((seat, old_id), ticket_type) in seats.iter().zip(&old_ids).zip(&types) {
                new_ids.push(insert_ticket(tx, booking.0, target.id, seat, ticket_type, Some(*old_id), now, None)?.0);
            }
            let difference = total - old.iter().map(|t| t.price).sum::<Cents>();
            let lines: Vec<(String, Cents, usize)> =
                seats.iter().zip(&old).zip(&types).map(|((s, o), t)| (t.clone(), s.price - o.price, 0)).collect();
            let tickets = ticket_states(tx, &[old_ids.as_slice(), new_ids.as_slice()].concat())?;
            let method = request.method.unwrap_or(paid);
            let settlement = Settlement { booking: booking.0, money: Money::Difference, method, lines, tickets };
            settle(tx, &settlement, operator, now)?;
            serve_waitlist(tx, old_slot, now, policy)?;
            Ok(BookingRebooking {
                old: old_ids.iter().map(|id| ticket_by_id(tx, *id)).collect::<Result<_>>()?,
                new: new_ids.iter().map(|id| ticket_by_id(tx, *id)).collect::<Result<_>>()?,
                difference,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::SeatRequest;
    use crate::domain::schedule::{NewSlot, PriceArg};
    use crate::store::test_support::{each_engine, small_show, t, walk_in};

    #[test]
    fn a_booking_moves_together_to_seats_side_by_side_as_one_new_booking() {
        each_engine(|db| {
            let (mut store, tonight) = small_show(db, 2, 6);
            let later = store
                .add_slot(
                    NewSlot {
                        name: "Late".into(),
                        description: String::new(),
                        kind: "Movie".into(),
                        genre: String::new(),
                        hall: "Small".into(),
                        start: t("2026-11-23 22:30"),
                        end: t("2026-11-24 00:30"),
                        prices: vec![PriceArg::All(1200)],
                        card: None,
                    },
                    t("2026-11-23 10:00"),
                )
                .expect("slot");
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let sale = store.sell(&walk_in(tonight, SeatRequest::Count(3)), now, &p).expect("sale");
            // Paid in cash; the difference is settled by card.
            let request = RebookRequest {
                ticket: sale.booking.clone(),
                slot: later,
                seat: None,
                operator: "till1".into(),
                force: false,
                method: Some(PaymentMethod::Card),
            };
            let moved = store.rebook_booking(&request, now, &p).expect("rebook");
            assert_eq!((moved.old.len(), moved.new.len()), (3, 3));
            assert_eq!(moved.difference, 3 * (1200 - 1000));
            assert!(moved.old.iter().all(|t| t.status.name() == "archived"));
            let booking = &moved.new[0].booking;
            assert!(moved.new.iter().all(|t| &t.booking == booking && t.slot.id == later), "one new booking");
            let map = store.seat_map(later, now).expect("map");
            let mut cols: Vec<u32> = map
                .seats
                .iter()
                .filter(|s| moved.new.iter().any(|t| t.seat == s.label()))
                .map(|s| s.grid_col)
                .collect();
            cols.sort();
            assert!(cols.windows(2).all(|w| w[1] == w[0] + 1), "side by side: {cols:?}");
            assert!(store.audit().expect("audit").ok());
            let report = store.report(now.date()).expect("report");
            let by = |m: PaymentMethod| report.methods.iter().find(|t| t.method == m).expect("method").sales;
            assert_eq!((by(PaymentMethod::Cash), by(PaymentMethod::Card)), (3000, 600), "the difference by card");
            // Again: the old booking has nothing booked left.
            assert_eq!(store.rebook_booking(&request, now, &p).expect_err("empty").exit_code(), 4);
            // A seat is for one ticket, not a whole booking.
            let one_seat = RebookRequest { seat: Some(("A".into(), 1)), ..request };
            assert_eq!(store.rebook_booking(&one_seat, now, &p).expect_err("seat").exit_code(), 5);
        });
    }
}
