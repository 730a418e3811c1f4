//! The records every selling operation writes, below them all: a customer, a booking under a
//! fresh code, tickets, payments; releasing holds that ran out; and selling a held booking.
//! Sales, holds and the waiting list build on these and never on each other in a circle.

use super::engine::{Arg, Engine, args};
use super::journal_tables::{JournalTicket, PaymentLine, money_detail};
use super::slots::slot_by_id;
use super::{Error, Result};
use crate::domain::codes::{BOOKING_PREFIX, TICKET_PREFIX, new_code, normalize_code};
use crate::domain::error::{conflict, not_found};
use crate::domain::layout::Category;
use crate::domain::model::{Customer, IssuedTicket, PaymentMethod, Sale, SlotId};
use crate::domain::money::Cents;
use crate::domain::seatmap::{Seat, SeatStatus};
use crate::domain::text::excerpt;
use crate::domain::time::{Time, format_time, read_store_time, store_time};

/// Holds that ran out in one slot (every sale and hold): found through the slot's tickets, not
/// by walking every stale hold of the theatre.
pub(super) const RELEASE_EXPIRED_HOLDS_OF_SLOT: &str =
    "UPDATE ticket SET status = 'expired', hold_expires_at = NULL, changed_at = ?1
  WHERE slot_id = ?2 AND status = 'held' AND hold_expires_at <= ?1";

/// Marks the holds of `slot` past their expiry as expired, so their seats can be sold. The
/// caller has locked the slot.
pub(super) fn release_expired_holds(tx: &dyn Engine, slot: SlotId, now: Time) -> Result<usize> {
    tx.execute(RELEASE_EXPIRED_HOLDS_OF_SLOT, args![store_time(&now), slot])
}

/// Locks several shows, in id order so that two transactions never wait for each other.
pub(super) fn lock_slots(tx: &dyn Engine, slots: &[SlotId]) -> Result<()> {
    let mut slots = slots.to_vec();
    slots.sort_unstable();
    slots.dedup();
    slots.into_iter().try_for_each(|slot| tx.lock_slot(slot))
}

pub(super) fn insert_customer(tx: &dyn Engine, customer: &Customer) -> Result<Option<i64>> {
    if customer.name.is_none() && customer.phone.is_none() {
        return Ok(None);
    }
    let id = tx.insert(
        "INSERT INTO customer (name, phone) VALUES (?1, ?2) RETURNING id",
        args![customer.name, customer.phone],
    )?;
    Ok(Some(id))
}

/// Inserts a row under a fresh random code, drawing again in the rare case that the code is
/// taken: `insert` runs an `INSERT … ON CONFLICT (code) DO NOTHING RETURNING id`, which
/// returns no row then (where the seed's six-digit ids silently overwrote). Cheaper than
/// looking every code up first, and it leaves a PostgreSQL transaction usable.
pub(super) fn insert_with_code(
    prefix: &str,
    mut insert: impl FnMut(&str) -> Result<Option<i64>>,
) -> Result<(i64, String)> {
    for _ in 0..100 {
        let code = new_code(prefix);
        if let Some(id) = insert(&code)? {
            return Ok((id, code));
        }
    }
    Err(Error::Database(format!("no free {prefix} code after 100 draws")))
}

pub(super) fn insert_booking(
    tx: &dyn Engine,
    slot: SlotId,
    customer: Option<i64>,
    method: PaymentMethod,
    total: Cents,
    operator: &str,
    now: Time,
) -> Result<(i64, String)> {
    let at = store_time(&now);
    insert_with_code(BOOKING_PREFIX, |code| {
        tx.query_opt(
            "INSERT INTO booking (code, slot_id, customer_id, method, total, operator, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO NOTHING RETURNING id",
            args![code, slot, customer, method.name(), total, operator, at],
            |r| r.get(0),
        )
    })
}

/// Issues a ticket of `ticket_type` at the seat's price: booked, or held until `hold_until`.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert_ticket(
    tx: &dyn Engine,
    booking: i64,
    slot: SlotId,
    seat: &Seat,
    ticket_type: &str,
    replaces: Option<i64>,
    now: Time,
    hold_until: Option<Time>,
) -> Result<(i64, String)> {
    let status = if hold_until.is_some() { "held" } else { "booked" };
    let (until, at) = (hold_until.as_ref().map(store_time), store_time(&now));
    insert_with_code(TICKET_PREFIX, |code| {
        tx.query_opt(
            "INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, hold_expires_at, created_at, changed_at, replaces_id, ticket_type)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10) ON CONFLICT (code) DO NOTHING RETURNING id",
            args![code, booking, slot, seat.id, seat.price, status, until, at, replaces, ticket_type],
            |r| r.get(0),
        )
    })
}

/// Issues tickets for several seats in one statement (a sale's or a hold's, a round trip for
/// all of them): each `(seat, ticket type)` at the seat's price, booked or held until
/// `hold_until`. A code that is taken already is drawn again for its seat alone. In the
/// order of `seats`.
pub(super) fn insert_tickets(
    tx: &dyn Engine,
    (booking, slot): (i64, SlotId),
    seats: &[(&Seat, &str)],
    now: Time,
    hold_until: Option<Time>,
) -> Result<Vec<(i64, String)>> {
    let codes = seats.iter().map(|_| new_code(TICKET_PREFIX)).collect();
    insert_tickets_coded(tx, (booking, slot), seats, codes, now, hold_until)
}

/// [`insert_tickets`] with the codes drawn already.
pub(super) fn insert_tickets_coded(
    tx: &dyn Engine,
    (booking, slot): (i64, SlotId),
    seats: &[(&Seat, &str)],
    codes: Vec<String>,
    now: Time,
    hold_until: Option<Time>,
) -> Result<Vec<(i64, String)>> {
    let status = if hold_until.is_some() { "held" } else { "booked" };
    let (until, at) = (hold_until.as_ref().map(store_time), store_time(&now));
    let mut sql = String::from(
        "INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, hold_expires_at, created_at, changed_at, ticket_type) VALUES ",
    );
    let mut args: Vec<&dyn Arg> = vec![&booking, &slot, &status, &until, &at];
    for (i, ((seat, ticket_type), code)) in seats.iter().zip(&codes).enumerate() {
        let n = args.len() + 1;
        let sep = if i == 0 { "" } else { ", " };
        sql.push_str(&format!("{sep}(?{n}, ?1, ?2, ?{}, ?{}, ?3, ?4, ?5, ?5, ?{})", n + 1, n + 2, n + 3));
        args.extend([code as &dyn Arg, &seat.id, &seat.price, ticket_type]);
    }
    sql.push_str(" ON CONFLICT (code) DO NOTHING RETURNING id, code");
    let mut inserted: Vec<(i64, String)> = tx.query_vec(&sql, &args, |r| Ok((r.get(0)?, r.get(1)?)))?;
    // Each inserted row goes to one seat only: a code drawn twice in the batch was inserted once,
    // and the second seat draws again like one whose code was taken already.
    seats
        .iter()
        .zip(codes)
        .map(|((seat, ticket_type), code)| match inserted.iter().position(|(_, c)| *c == code) {
            Some(i) => Ok(inserted.swap_remove(i)),
            None => insert_ticket(tx, booking, slot, seat, ticket_type, None, now, hold_until),
        })
        .collect()
}

/// Which way money moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Money {
    Sale,
    Refund,
    /// A rebooking's difference: charged where positive, refunded where negative.
    Difference,
}

/// What a sale, refund or rebooking settles: the payment of `lines` (ticket type, amount,
/// tickets) and the tickets it touched, as they now stand, for the journal.
pub(super) struct Settlement {
    pub booking: i64,
    pub money: Money,
    pub method: PaymentMethod,
    pub lines: Vec<(String, Cents, usize)>,
    pub tickets: Vec<JournalTicket>,
}

/// Writes a settlement's payment: one row per type, its amounts and tickets summed, so reports
/// can count takings by type. A difference writes a sale row for a type whose sum is positive,
/// a refund row where it is negative, and none where zero. The journal gets one entry with the
/// payment rows and the tickets, so that any of them edited by hand later is caught.
pub(super) fn settle(tx: &dyn Engine, s: &Settlement, operator: &str, now: Time) -> Result<()> {
    let mut by_type: Vec<(&str, Cents, usize)> = Vec::new();
    for (ticket_type, amount, tickets) in &s.lines {
        match by_type.iter_mut().find(|(t, _, _)| t == ticket_type) {
            Some(line) => (line.1, line.2) = (line.1 + amount, line.2 + tickets),
            None => by_type.push((ticket_type, *amount, *tickets)),
        }
    }
    let mut written: Vec<PaymentLine> = Vec::new();
    for (ticket_type, amount, tickets) in by_type {
        let kind = match s.money {
            Money::Sale => "sale",
            Money::Refund => "refund",
            Money::Difference if amount > 0 => "sale",
            Money::Difference if amount < 0 => "refund",
            Money::Difference => continue,
        };
        tx.execute(
            "INSERT INTO payment (booking_id, kind, method, amount, tickets, operator, created_at, ticket_type)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![s.booking, kind, s.method.name(), amount.abs(), tickets, operator, store_time(&now), ticket_type],
        )?;
        written.push((kind, amount.abs(), tickets, ticket_type));
    }
    let action = match s.money {
        Money::Sale => "sale",
        Money::Refund => "refund",
        Money::Difference => "rebooking",
    };
    let detail = money_detail(s.booking, s.method.name(), &written, &s.tickets);
    super::journal::record(tx, now, operator, action, &detail)
}

/// The seats a hold keeps, given back at once.
pub(super) const RELEASE_HOLD: &str = "UPDATE ticket SET status = 'canceled', hold_expires_at = NULL, changed_at = ?2
  WHERE booking_id = ?1 AND status = 'held'";

pub(super) const BOOKING_BY_CODE: &str = "SELECT id, slot_id FROM booking WHERE code = ?1";

/// (booking id, slot) of a booking code.
pub(super) fn booking_by_code(tx: &dyn Engine, code: &str) -> Result<(i64, SlotId)> {
    let code = normalize_code(code);
    tx.query_opt(BOOKING_BY_CODE, args![code], |r| Ok((r.get(0)?, r.get(1)?)))?
        .ok_or_else(|| not_found(format!("no booking '{}'", excerpt(&code))).into())
}

/// Sells the seats held under `booking` as tickets of the types named in `types` (the rest the
/// show's default type), inside the caller's transaction (the waiting list marks its entry
/// served in the same one). `customer` is already checked. The caller has locked the
/// booking's slot.
#[allow(clippy::too_many_arguments)]
pub(super) fn confirm_in(
    tx: &dyn Engine,
    booking: &str,
    customer: &Customer,
    payment: PaymentMethod,
    types: &[(String, usize)],
    price_override: Option<Cents>,
    operator: &str,
    now: Time,
) -> Result<Sale> {
    let (booking_id, slot_id) = booking_by_code(tx, booking)?;
    let held = held_tickets(tx, booking_id)?;
    if held.is_empty() {
        return Err(conflict(format!("'{booking}' holds no seats (already sold or released)")).into());
    }
    // All or nothing: every seat the hold took must still be held, or the customer would pay
    // the total they were shown for fewer seats.
    let lost: Vec<String> = tx.column(
        "SELECT s.row_label || s.number FROM ticket t JOIN seat s ON s.id = t.seat_id
          WHERE t.booking_id = ?1 AND t.status <> 'held' ORDER BY s.grid_row, s.grid_col",
        args![booking_id],
    )?;
    if !lost.is_empty() {
        return Err(conflict(format!(
            "seats no longer held for '{booking}': {}; nothing was sold, pick the seats again",
            lost.join(" ")
        ))
        .into());
    }
    if let Some(ran_out) = held.iter().map(|t| t.until).find(|until| *until <= now) {
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
    let seats: Vec<Seat> = held.iter().map(|t| t.seat.clone()).collect();
    let priced = slot.price_sale(&seats, types, price_override)?;
    let customer_id = insert_customer(tx, customer)?;
    let total: Cents = priced.iter().map(|(_, price)| price).sum();
    tx.execute(
        "UPDATE booking SET customer_id = ?2, method = ?3, total = ?4, operator = ?5, created_at = ?6 WHERE id = ?1",
        args![booking_id, customer_id, payment.name(), total, operator, store_time(&now)],
    )?;
    let at = store_time(&now);
    let mut sold = 0;
    if held.iter().zip(&priced).all(|(t, (ticket_type, price))| t.ticket_type == *ticket_type && t.seat.price == *price)
    {
        sold = tx.execute(
            "UPDATE ticket SET status = 'booked', hold_expires_at = NULL, changed_at = ?2
              WHERE booking_id = ?1 AND status = 'held'",
            args![booking_id, at],
        )?;
    } else {
        for (t, (ticket_type, price)) in held.iter().zip(&priced) {
            sold += tx.execute(
                "UPDATE ticket SET status = 'booked', hold_expires_at = NULL, changed_at = ?2, ticket_type = ?3, price = ?4
                  WHERE id = ?1 AND status = 'held'",
                args![t.id, at, ticket_type, price],
            )?;
        }
    }
    // The caller holds the show's lock, so nothing can release a seat in between; should that
    // ever fail, the sale is refused whole rather than paid for seats it did not get.
    if sold != held.len() {
        return Err(
            conflict(format!("seats no longer held for '{booking}'; nothing was sold, pick the seats again")).into()
        );
    }
    let lines = priced.iter().map(|(t, price)| (t.clone(), *price, 1)).collect();
    let journalled = held
        .iter()
        .zip(&priced)
        .map(|(t, (ticket_type, price))| JournalTicket {
            code: t.code.clone(),
            slot_id,
            booking_id,
            seat_id: t.seat.id,
            ticket_type: ticket_type.clone(),
            price: *price,
            status: "booked".into(),
        })
        .collect();
    let settlement =
        Settlement { booking: booking_id, money: Money::Sale, method: payment, lines, tickets: journalled };
    settle(tx, &settlement, operator, now)?;
    let tickets = held
        .into_iter()
        .zip(priced)
        .map(|(t, (ticket_type, price))| IssuedTicket {
            code: t.code,
            seat: t.seat.label(),
            category: t.seat.category,
            ticket_type,
            price,
        })
        .collect();
    let code = normalize_code(booking);
    Ok(Sale { booking: code, slot, tickets, total, customer: customer.clone(), payment })
}

/// A ticket a hold keeps: its seat (at the ticket's price), type and deadline.
struct HeldTicket {
    id: i64,
    code: String,
    seat: Seat,
    ticket_type: String,
    until: Time,
}

/// A booking's held tickets, in the order they were taken.
fn held_tickets(tx: &dyn Engine, booking: i64) -> Result<Vec<HeldTicket>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, Seat, String, String)> = tx.query_vec(
        "SELECT t.id, t.code, s.id, s.row_label, s.number, s.category, s.grid_row, s.grid_col, t.price,
                t.ticket_type, t.hold_expires_at
           FROM ticket t JOIN seat s ON s.id = t.seat_id
          WHERE t.booking_id = ?1 AND t.status = 'held' ORDER BY t.id",
        args![booking],
        |r| {
            let category: String = r.get(5)?;
            let seat = Seat {
                id: r.get(2)?,
                row_label: r.get(3)?,
                number: r.get(4)?,
                category: Category::parse(&category).unwrap_or(Category::Regular),
                grid_row: r.get(6)?,
                grid_col: r.get(7)?,
                price: r.get(8)?,
                status: SeatStatus::Held,
            };
            Ok((r.get(0)?, r.get(1)?, seat, r.get(9)?, r.get(10)?))
        },
    )?;
    rows.into_iter()
        .map(|(id, code, seat, ticket_type, until)| {
            Ok(HeldTicket { id, code, seat, ticket_type, until: read_store_time(&until)? })
        })
        .collect()
}

/// Writes what was done outside the everyday rules to the journal, in the caller's transaction
/// (so the entry and the change commit together or not at all), and seals the chain.
pub(super) fn journal(tx: &dyn Engine, now: Time, operator: &str, action: &str, detail: &str) -> Result<()> {
    super::journal::append(tx, now, operator, action, detail)
}
