//! Looking tickets up: by code, with their slot, customer and history; and a slot's live tickets.

use super::engine::{Engine, args};

use super::slots::slot_by_id;
use super::{Result, Store};
use crate::domain::codes::{TICKET_PREFIX, normalize_code};
use crate::domain::error::{invalid, not_found};
use crate::domain::layout::Category;
use crate::domain::model::{Customer, PaymentMethod, SlotId, TicketDetails, TicketStatus};
use crate::domain::seatmap::seat_label;
use crate::domain::text::excerpt;
use crate::domain::time::read_store_time;

impl Store {
    /// One ticket by its code (`TKT-7F3K9Q`; case, spaces and the prefix are forgiven).
    pub fn ticket(&mut self, code: &str) -> Result<TicketDetails> {
        self.read(|tx| {
            let id = find_ticket_id(tx, code)?;
            ticket_by_id(tx, id)
        })
    }

    /// The tickets of a booking (`BKG-…`), live or not, in the order they were issued.
    pub fn booking_tickets(&mut self, code: &str) -> Result<Vec<TicketDetails>> {
        let code = normalize_code(code);
        self.read(|tx| {
            let ids: Vec<i64> = tx.column(
                "SELECT t.id FROM ticket t JOIN booking b ON b.id = t.booking_id WHERE b.code = ?1 ORDER BY t.id",
                args![code],
            )?;
            if ids.is_empty() {
                return Err(not_found(format!("no booking '{code}'")).into());
            }
            ids.into_iter().map(|id| ticket_by_id(tx, id)).collect()
        })
    }

    /// Every live (held or booked) ticket of a slot, by seat.
    pub fn slot_tickets(&mut self, slot: SlotId) -> Result<Vec<TicketDetails>> {
        self.read(|tx| {
            slot_by_id(tx, slot)?;
            let ids: Vec<i64> = tx.column(
                "SELECT t.id FROM ticket t JOIN seat s ON s.id = t.seat_id
                  WHERE t.slot_id = ?1 AND t.status IN ('held', 'booked')
                  ORDER BY s.grid_row, s.grid_col",
                args![slot],
            )?;
            ids.into_iter().map(|id| ticket_by_id(tx, id)).collect()
        })
    }
}

/// The id of the ticket a typed code names.
pub(super) fn find_ticket_id(tx: &dyn Engine, code: &str) -> Result<i64> {
    let code = normalize_code(code);
    if code.is_empty() || code.len() > 20 {
        return Err(invalid(format!("invalid ticket code '{}': it looks like TKT-7F3K9Q", excerpt(&code))).into());
    }
    for candidate in [code.clone(), format!("{TICKET_PREFIX}-{code}")] {
        if let Some(id) = tx.query_opt(TICKET_BY_CODE, args![candidate], |r| r.get(0))? {
            return Ok(id);
        }
    }
    Err(not_found(format!("no ticket '{code}'")).into())
}

pub(super) const TICKET_BY_CODE: &str = "SELECT id FROM ticket WHERE code = ?1";

/// A ticket with its booking, seat, customer and the tickets it replaced or was replaced by.
pub(super) const TICKET_DETAILS: &str =
    "SELECT t.code, b.code, t.status, s.row_label, s.number, s.category, t.price, t.slot_id,
            c.name, c.phone, b.method, b.operator, t.created_at, t.changed_at,
            (SELECT r.code FROM ticket r WHERE r.id = t.replaces_id),
            (SELECT n.code FROM ticket n WHERE n.replaces_id = t.id), t.ticket_type,
            (SELECT c.at FROM checkin c WHERE c.ticket_id = t.id AND c.undone_at IS NULL)
       FROM ticket t
       JOIN booking b ON b.id = t.booking_id
       JOIN seat s ON s.id = t.seat_id
       LEFT JOIN customer c ON c.id = b.customer_id
      WHERE t.id = ?1";

pub(super) fn ticket_by_id(tx: &dyn Engine, id: i64) -> Result<TicketDetails> {
    let row = tx.query_row(TICKET_DETAILS, args![id], |r| {
        Ok((
            (r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?),
            (r.get::<String>(3)?, r.get::<u32>(4)?, r.get::<String>(5)?, r.get::<i64>(6)?),
            r.get::<SlotId>(7)?,
            Customer { name: r.get(8)?, phone: r.get(9)? },
            (r.get::<String>(10)?, r.get::<String>(11)?, r.get::<String>(12)?, r.get::<String>(13)?),
            (r.get::<Option<String>>(14)?, r.get::<Option<String>>(15)?),
            r.get::<String>(16)?,
            r.get::<Option<String>>(17)?,
        ))
    })?;
    let (
        (code, booking, status),
        (row_label, number, category, price),
        slot,
        customer,
        paid,
        (replaces, replaced_by),
        ticket_type,
        checked_in,
    ) = row;
    let (method, operator, created, changed) = paid;
    Ok(TicketDetails {
        code,
        booking,
        status: TicketStatus::parse(&status).unwrap_or(TicketStatus::Canceled),
        seat: seat_label(&row_label, number),
        category: Category::parse(&category).unwrap_or(Category::Regular),
        ticket_type,
        price,
        slot: slot_by_id(tx, slot)?,
        customer,
        payment: PaymentMethod::parse(&method).unwrap_or(PaymentMethod::Cash),
        operator,
        created: read_store_time(&created)?,
        changed: read_store_time(&changed)?,
        replaces,
        replaced_by,
        checked_in: checked_in.map(|at| read_store_time(&at)).transpose()?,
    })
}

impl Store {
    /// Bookings whose customer matches `query` (part of the name, any case and accents
    /// ignored, or of the phone), newest first, at most `limit`.
    pub fn find_bookings(&mut self, query: &str, limit: usize) -> Result<Vec<String>> {
        let query = crate::domain::text::clean("search", query, 100)?;
        let search = crate::domain::text::CustomerSearch::new(&query);
        self.read(|tx| {
            let mut found = Vec::new();
            tx.query(
                "SELECT b.code, c.name, c.phone FROM booking b JOIN customer c ON c.id = b.customer_id
                  ORDER BY b.id DESC",
                args![],
                &mut |r| {
                    if found.len() < limit {
                        let (name, phone): (Option<String>, Option<String>) = (r.get(1)?, r.get(2)?);
                        if search.matches(name.as_deref(), phone.as_deref()) {
                            found.push(r.get::<String>(0)?);
                        }
                    }
                    Ok(())
                },
            )?;
            Ok(found)
        })
    }
}
