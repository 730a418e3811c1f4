//! Selling, rebooking and cancelling: each one transaction that checks the rules against the
//! database as it stands under the write lock, then writes tickets and payments together.

use super::door::refuse_if_inside;
use super::engine::{Engine, args};
use super::journal_tables::{JournalTicket, ticket_states};
use super::records::{
    Money, Settlement, insert_booking, insert_customer, insert_ticket, insert_tickets, lock_slots,
    release_expired_holds, settle,
};
use super::slots::{HallSeats, seat_map, show_for_sale, slot_by_id, with_sale_map};
use super::tickets::{find_ticket_id, ticket_by_id};
use super::waitlist::serve_waitlist;
use super::{Result, Store};
use crate::domain::best::{best_seats, best_seats_in};
use crate::domain::codes::{BOOKING_PREFIX, normalize_code};
use crate::domain::error::{conflict, invalid};
use crate::domain::model::{
    Cancellation, Customer, IssuedTicket, PaymentMethod, Rebooking, Sale, SaleRequest, SeatRequest, SlotId,
};
use crate::domain::money::Cents;
use crate::domain::policy::Policy;
use crate::domain::seatmap::{Seat, SeatMap, SeatStatus, seat_label};
use crate::domain::text::{clean_optional, clean_phone, excerpt};
use crate::domain::time::{Time, store_time};

/// Where a rebooking goes: another slot (or the same one), and optionally a named seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebookRequest {
    pub ticket: String,
    pub slot: SlotId,
    pub seat: Option<(String, u32)>,
    pub operator: String,
    /// Allow it after the original show started (an admin's override).
    pub force: bool,
    /// How the price difference is settled; `None`: the way the booking was paid.
    pub method: Option<PaymentMethod>,
}

impl Store {
    /// Sells seats: all of them or none. By count the best available seats are chosen.
    pub fn sell(&mut self, request: &SaleRequest, now: Time, policy: &Policy) -> Result<Sale> {
        let customer = Customer {
            name: clean_optional("customer name", request.customer.name.as_deref(), 100)?,
            phone: clean_phone(request.customer.phone.as_deref())?,
        };
        let count = match &request.seats {
            SeatRequest::Count(n) => *n,
            SeatRequest::Seats(list) => list.len(),
        };
        policy.check_count(count)?;
        let halls = self.halls.clone();
        self.write(|tx| {
            let (slot, mut seats) = take_seats(tx, &halls, request.slot, &request.seats, now, policy)?;
            let priced = slot.price_sale(&seats, &request.types, request.price_override)?;
            let customer_id = insert_customer(tx, &customer)?;
            let total: Cents = priced.iter().map(|(_, price)| price).sum();
            let booking = insert_booking(tx, slot.id, customer_id, request.payment, total, &request.operator, now)?;
            for (seat, (_, price)) in seats.iter_mut().zip(&priced) {
                seat.price = *price;
            }
            let typed: Vec<(&Seat, &str)> = seats.iter().zip(&priced).map(|(s, (t, _))| (s, t.as_str())).collect();
            let codes = insert_tickets(tx, (booking.0, slot.id), &typed, now, None)?;
            let (mut tickets, mut journalled) = (Vec::new(), Vec::new());
            for ((seat, (ticket_type, price)), (_, code)) in seats.iter().zip(&priced).zip(codes) {
                journalled.push(JournalTicket {
                    code: code.clone(),
                    slot_id: slot.id,
                    booking_id: booking.0,
                    seat_id: seat.id,
                    ticket_type: ticket_type.clone(),
                    price: *price,
                    status: "booked".into(),
                });
                let (seat, category, ticket_type) = (seat.label(), seat.category, ticket_type.clone());
                tickets.push(IssuedTicket { code, seat, category, ticket_type, price: *price });
            }
            let lines = priced.iter().map(|(t, price)| (t.clone(), *price, 1)).collect();
            let settlement = Settlement {
                booking: booking.0,
                money: Money::Sale,
                method: request.payment,
                lines,
                tickets: journalled,
            };
            settle(tx, &settlement, &request.operator, now)?;
            Ok(Sale { booking: booking.1, slot, tickets, total, customer: customer.clone(), payment: request.payment })
        })
    }

    /// Moves a booked ticket to another slot or seat: the old ticket is archived, a new one
    /// issued that points back to it, and the price difference charged or refunded.
    pub fn rebook(&mut self, request: &RebookRequest, now: Time, policy: &Policy) -> Result<Rebooking> {
        self.write(|tx| {
            let old_id = find_ticket_id(tx, &request.ticket)?;
            let old_slot: SlotId = tx.value("SELECT slot_id FROM ticket WHERE id = ?1", args![old_id])?;
            lock_slots(tx, &[old_slot, request.slot])?;
            let old = ticket_by_id(tx, old_id)?;
            if old.status != crate::domain::model::TicketStatus::Booked {
                return Err(conflict(format!(
                    "ticket '{}' is {}: only a booked ticket can be rebooked",
                    old.code,
                    old.status.name()
                ))
                .into());
            }
            policy.check_refundable(&old.slot, now, request.force)?;
            refuse_if_inside(tx, old_id, &old.code, request.force)?;
            let target = slot_by_id(tx, request.slot)?;
            policy.check_sellable(&target, now)?;
            release_expired_holds(tx, target.id, now)?;
            // Freed seats go to the target show's waiting list before this ticket takes one.
            serve_waitlist(tx, target.id, now, policy)?;
            // Archive first: rebooking to the same seat of the same slot is a no-op exchange.
            tx.execute(
                "UPDATE ticket SET status = 'archived', changed_at = ?2 WHERE id = ?1 AND status = 'booked'",
                args![old_id, store_time(&now)],
            )?;
            let map = seat_map(tx, target.id, now)?;
            let seat = match &request.seat {
                Some(label) => choose_seats(&map, &SeatRequest::Seats(vec![label.clone()]))?,
                None => {
                    let ids = best_seats_in(&map, 1, Some(old.category))
                        .or_else(|| best_seats(&map, 1))
                        .ok_or_else(|| conflict(format!("'{}' is sold out", target.name)))?;
                    ids.iter().filter_map(|id| map.by_id(*id).cloned()).collect()
                }
            };
            let mut seat = seat.into_iter().next().ok_or_else(|| conflict("no seat available"))?;
            // The ticket keeps its type, at the new show's price for it.
            let ticket_type = target.priced_type(&old.ticket_type)?;
            seat.price = target.price_for(&ticket_type, &seat)?;
            let (customer_id, method): (Option<i64>, String) = tx.query_row(
                "SELECT b.customer_id, b.method FROM ticket t JOIN booking b ON b.id = t.booking_id WHERE t.id = ?1",
                args![old_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let paid = PaymentMethod::parse(&method).unwrap_or(PaymentMethod::Cash);
            let booking = insert_booking(tx, target.id, customer_id, paid, seat.price, &request.operator, now)?;
            let (new_id, _) = insert_ticket(tx, booking.0, target.id, &seat, &ticket_type, Some(old_id), now, None)?;
            let difference = seat.price - old.price;
            let method = request.method.unwrap_or(paid);
            let lines = vec![(ticket_type, difference, 0)];
            let tickets = ticket_states(tx, &[old_id, new_id])?;
            let settlement = Settlement { booking: booking.0, money: Money::Difference, method, lines, tickets };
            settle(tx, &settlement, &request.operator, now)?;
            serve_waitlist(tx, old.slot.id, now, policy)?;
            Ok(Rebooking { old: ticket_by_id(tx, old_id)?, new: ticket_by_id(tx, new_id)?, difference })
        })
    }

    /// Cancels a ticket, or every live ticket of a booking, and records the refund.
    pub fn cancel(
        &mut self,
        code: &str,
        operator: &str,
        force: bool,
        now: Time,
        policy: &Policy,
    ) -> Result<Cancellation> {
        self.write(|tx| {
            // The tickets are read again once their show is locked: another counter may have
            // changed them meanwhile.
            let unlocked = live_tickets_of(tx, code)?;
            let slot: SlotId = tx.value("SELECT slot_id FROM ticket WHERE id = ?1", args![unlocked[0]])?;
            tx.lock_slot(slot)?;
            let ids = live_tickets_of(tx, code)?;
            let first = ticket_by_id(tx, ids[0])?;
            policy.check_refundable(&first.slot, now, force)?;
            let booking_id: i64 = tx.value("SELECT booking_id FROM ticket WHERE id = ?1", args![ids[0]])?;
            let mut tickets = Vec::new();
            for id in &ids {
                let (code, price, status, ticket_type): (String, Cents, String, String) = tx.query_row(
                    "SELECT code, price, status, ticket_type FROM ticket WHERE id = ?1",
                    args![id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                // A held seat belongs to a sale in progress at a counter (or an offer to a
                // waiting party): cancelling it would shrink that sale behind the cashier's back.
                if status == "held" {
                    return Err(conflict(format!(
                        "ticket '{code}' is held by a counter, not sold: nothing to cancel (the hold runs out by itself)"
                    ))
                    .into());
                }
                refuse_if_inside(tx, *id, &code, force)?;
                tickets.push((*id, code, price, ticket_type));
            }
            let mut canceled = Vec::new();
            let mut refund: Cents = 0;
            let mut lines = Vec::new();
            for (id, code, price, ticket_type) in tickets {
                tx.execute(
                    "UPDATE ticket SET status = 'canceled', hold_expires_at = NULL, changed_at = ?2 WHERE id = ?1",
                    args![id, store_time(&now)],
                )?;
                refund += price;
                lines.push((ticket_type, price, 1));
                canceled.push(code);
            }
            let tickets = ticket_states(tx, &ids)?;
            let settlement = Settlement { booking: booking_id, money: Money::Refund, method: first.payment, lines, tickets };
            settle(tx, &settlement, operator, now)?;
            serve_waitlist(tx, first.slot.id, now, policy)?;
            Ok(Cancellation { canceled, refund, payment: first.payment })
        })
    }
}

/// The live tickets a code names: one ticket, or all of a booking's. Refuses codes that name
/// nothing live, so that cancelling twice gives nothing back the second time.
fn live_tickets_of(tx: &dyn Engine, code: &str) -> Result<Vec<i64>> {
    let code = normalize_code(code);
    let mut booking: Option<i64> = None;
    for c in [code.clone(), format!("{BOOKING_PREFIX}-{code}")] {
        if booking.is_none() {
            booking = tx.query_opt("SELECT id FROM booking WHERE code = ?1", args![c], |r| r.get(0))?;
        }
    }
    let (ids, what): (Vec<i64>, String) = match booking {
        Some(b) => (
            tx.column(
                "SELECT id FROM ticket WHERE booking_id = ?1 AND status IN ('held', 'booked') ORDER BY id",
                args![b],
            )?,
            format!("booking '{code}' has no live tickets"),
        ),
        None if code.starts_with(BOOKING_PREFIX) => {
            return Err(crate::domain::error::not_found(format!("no booking '{}'", excerpt(&code))).into());
        }
        None => {
            let id = find_ticket_id(tx, &code)?;
            let status: String = tx.value("SELECT status FROM ticket WHERE id = ?1", args![id])?;
            let live = status == "booked" || status == "held";
            (if live { vec![id] } else { vec![] }, format!("ticket '{code}' is already {status}"))
        }
    };
    if ids.is_empty() {
        return Err(conflict(format!("{what}: nothing to cancel")).into());
    }
    Ok(ids)
}

/// Checks the slot is on sale and picks the requested seats from what is free now (holds that
/// ran out count as free). The start of every sale and hold.
pub(super) fn take_seats(
    tx: &dyn Engine,
    halls: &HallSeats,
    slot: SlotId,
    seats: &SeatRequest,
    now: Time,
    policy: &Policy,
) -> Result<(crate::domain::model::Slot, Vec<Seat>)> {
    tx.lock_slot(slot)?;
    let show = show_for_sale(tx, slot)?;
    policy.check_sellable(&show.slot, now)?;
    if show.waiting {
        // Seats that came free go to the waiting list first: it was there before this customer.
        release_expired_holds(tx, show.slot.id, now)?;
        serve_waitlist(tx, show.slot.id, now, policy)?;
    }
    let (seats, lapsed) = with_sale_map(tx, halls, &show, now, |map| choose_seats(map, seats))?;
    let seats = seats?;
    if lapsed {
        // A hold that ran out still stands on a seat: give it back before that seat is sold.
        release_expired_holds(tx, show.slot.id, now)?;
    }
    Ok((show.slot, seats))
}

/// The seats a request asks for, all free, or the reason it cannot be met.
fn choose_seats(map: &SeatMap, request: &SeatRequest) -> Result<Vec<Seat>> {
    match request {
        SeatRequest::Count(n) => {
            let free = map.free_count();
            let ids = best_seats(map, *n).ok_or_else(|| {
                if free == 0 {
                    conflict("sold out: no seats left")
                } else {
                    conflict(format!("not enough seats: {n} wanted, {free} left"))
                }
            })?;
            Ok(ids.iter().filter_map(|id| map.by_id(*id).cloned()).collect())
        }
        SeatRequest::Seats(labels) => {
            let mut seats = Vec::new();
            for (row, number) in labels {
                let label = seat_label(row, *number);
                let seat = map.find(row, *number).ok_or_else(|| invalid(format!("this hall has no seat '{label}'")))?;
                match seat.status {
                    SeatStatus::Available => seats.push(seat.clone()),
                    SeatStatus::Held => {
                        return Err(conflict(format!("seat '{label}' is held by another counter")).into());
                    }
                    SeatStatus::Booked => return Err(conflict(format!("seat '{label}' is already sold")).into()),
                }
            }
            Ok(seats)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::Error as Refusal;
    use crate::store::Error;
    use crate::store::test_support::{TestDb, each_engine, small_show, t};

    fn fixture(db: &TestDb) -> (Store, SlotId) {
        small_show(db, 2, 5)
    }

    fn sale(slot: SlotId, seats: SeatRequest) -> SaleRequest {
        SaleRequest {
            slot,
            seats,
            customer: Customer { name: Some("Ann".into()), phone: None },
            payment: PaymentMethod::Cash,
            operator: "till1".into(),
            types: Vec::new(),
            price_override: None,
        }
    }

    #[test]
    fn a_code_already_taken_is_drawn_again_not_overwritten() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let now = t("2026-11-23 12:00");
            let first = store.sell(&sale(slot, SeatRequest::Count(1)), now, &Policy::default()).expect("sale");
            let mut tries = 0;
            let (_, code) = crate::store::records::insert_with_code(BOOKING_PREFIX, |code| {
                tries += 1;
                // The first draw "collides" with the booking that already has this code.
                let code = if tries == 1 { first.booking.as_str() } else { code };
                store.db.query_opt(
                    "INSERT INTO booking (code, slot_id, method, total, operator, created_at)
                     VALUES (?1, ?2, 'cash', 0, 'test', '2026-11-23 12:00:00') ON CONFLICT (code) DO NOTHING RETURNING id",
                    args![code, slot],
                    |r| r.get(0),
                )
            })
            .expect("a fresh code");
            assert_eq!(tries, 2);
            assert_ne!(code, first.booking);
            let n: i64 = store.db.value("SELECT COUNT(*) FROM booking", args![]).expect("count");
            assert_eq!(n, 2, "the first booking is still there");
        });
    }

    #[test]
    fn several_tickets_go_in_one_statement_and_a_taken_code_is_drawn_again_for_its_seat() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let now = t("2026-11-23 12:00");
            let first = store.sell(&sale(slot, SeatRequest::Count(1)), now, &Policy::default()).expect("sale");
            let taken = first.tickets[0].code.clone();
            let booking: i64 = store.db.value("SELECT booking_id FROM ticket", args![]).expect("booking");
            let map = store.seat_map(slot, now).expect("map");
            let free: Vec<&Seat> = map.seats.iter().filter(|s| s.status == SeatStatus::Available).take(2).collect();
            let typed: Vec<(&Seat, &str)> = free.iter().map(|s| (*s, "Adult")).collect();
            let codes = vec![taken.clone(), "TKT-NEW001".to_string()];
            let issued = store
                .write(|tx| {
                    crate::store::records::insert_tickets_coded(tx, (booking, slot), &typed, codes.clone(), now, None)
                })
                .expect("issued");
            assert_eq!(issued.len(), 2);
            assert_ne!(issued[0].1, taken, "the taken code was drawn again");
            assert_eq!(issued[1].1, "TKT-NEW001");
            let seats: Vec<i64> = store
                .db
                .column("SELECT seat_id FROM ticket WHERE booking_id = ?1 ORDER BY id", args![booking])
                .expect("seats");
            assert_eq!(seats.len(), 3, "the first ticket is still there, and both seats were issued");
            assert!(seats.contains(&free[0].id) && seats.contains(&free[1].id));
            // The same code drawn twice in one batch: each seat still gets its own ticket.
            let map = store.seat_map(slot, now).expect("map");
            let free: Vec<&Seat> = map.seats.iter().filter(|s| s.status == SeatStatus::Available).take(2).collect();
            let typed: Vec<(&Seat, &str)> = free.iter().map(|s| (*s, "Adult")).collect();
            let twice = vec!["TKT-TWICE1".to_string(), "TKT-TWICE1".to_string()];
            let issued = store
                .write(|tx| {
                    crate::store::records::insert_tickets_coded(tx, (booking, slot), &typed, twice.clone(), now, None)
                })
                .expect("issued");
            assert_eq!(issued[0].1, "TKT-TWICE1");
            assert_ne!(issued[1].1, "TKT-TWICE1", "the second seat drew again");
            let n: i64 =
                store.db.value("SELECT COUNT(*) FROM ticket WHERE booking_id = ?1", args![booking]).expect("n");
            assert_eq!(n, 5);
        });
    }

    #[test]
    fn a_seat_sells_once() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let now = t("2026-11-23 12:00");
            let p = Policy::default();
            store.sell(&sale(slot, SeatRequest::Seats(vec![("A".into(), 1)])), now, &p).expect("first sale");
            let again = store.sell(&sale(slot, SeatRequest::Seats(vec![("A".into(), 1), ("A".into(), 2)])), now, &p);
            assert!(matches!(again, Err(Error::Domain(Refusal::Conflict(_)))), "{again:?}");
            assert_eq!(store.seat_map(slot, now).expect("map").free_count(), 9, "the failed sale wrote nothing");
        });
    }

    #[test]
    fn cancelling_twice_refunds_once() {
        each_engine(|db| {
            let (mut store, slot) = fixture(db);
            let now = t("2026-11-23 12:00");
            let p = Policy::default();
            let s = store.sell(&sale(slot, SeatRequest::Count(2)), now, &p).expect("sale");
            let c = store.cancel(&s.tickets[0].code, "till1", false, now, &p).expect("cancel");
            assert_eq!(c.refund, 1000);
            assert!(store.cancel(&s.tickets[0].code, "till1", false, now, &p).is_err());
            let rest = store.cancel(&s.booking, "till1", false, now, &p).expect("cancel booking");
            assert_eq!(rest.canceled, vec![s.tickets[1].code.clone()]);
            assert_eq!(store.seat_map(slot, now).expect("map").free_count(), 10);
        });
    }
}
