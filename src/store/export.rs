//! Rows for accounting exports: every ticket with its show and customer, and every payment.

use chrono::NaiveDate;

use super::engine::args;
use super::{Result, Store};
use crate::domain::money::Cents;
use crate::domain::time::{day_span, store_time};

/// One ticket as `export tickets` writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TicketRow {
    pub ticket: String,
    pub booking: String,
    pub status: String,
    pub slot_id: i64,
    pub slot: String,
    pub start: String,
    pub hall: String,
    pub seat: String,
    pub category: String,
    pub price: Cents,
    pub customer: Option<String>,
    pub phone: Option<String>,
    pub payment: String,
    pub operator: String,
    pub created: String,
    pub changed: String,
    /// Adult, Child, …
    #[serde(rename = "type")]
    pub ticket_type: String,
}

/// One payment as `export sales` writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentRow {
    pub booking: String,
    pub slot_id: i64,
    pub slot: String,
    pub start: String,
    pub kind: String,
    pub method: String,
    pub amount: Cents,
    pub tickets: i64,
    pub operator: String,
    pub created: String,
    /// The ticket type the amount is for.
    #[serde(rename = "type")]
    pub ticket_type: String,
}

/// `[from, to)` of a day, or everything.
fn day_bounds(date: Option<NaiveDate>) -> Result<(String, String)> {
    Ok(match date {
        Some(date) => {
            let (from, to) = day_span(date)?;
            (store_time(&from), store_time(&to))
        }
        None => (String::new(), "9999".into()),
    })
}

impl Store {
    /// Tickets of the slots starting on `date` (all tickets without one), by show and seat.
    pub fn export_tickets(&mut self, date: Option<NaiveDate>) -> Result<Vec<TicketRow>> {
        let (from, to) = day_bounds(date)?;
        self.read(|tx| {
            tx.query_vec(
                "SELECT t.code, b.code, t.status, sl.id, sl.name, substr(sl.starts_at, 1, 16), h.name,
                        s.row_label || s.number, s.category, t.price, c.name, c.phone, b.method, b.operator,
                        substr(t.created_at, 1, 16), substr(t.changed_at, 1, 16), t.ticket_type
                   FROM slot sl
                   JOIN hall h ON h.id = sl.hall_id
                   JOIN ticket t ON t.slot_id = sl.id
                   JOIN seat s ON s.id = t.seat_id
                   JOIN booking b ON b.id = t.booking_id
                   LEFT JOIN customer c ON c.id = b.customer_id
                  WHERE sl.starts_at >= ?1 AND sl.starts_at < ?2
                  ORDER BY sl.starts_at, sl.id, s.grid_row, s.grid_col, t.id",
                args![from, to],
                |r| {
                    Ok(TicketRow {
                        ticket: r.get(0)?,
                        booking: r.get(1)?,
                        status: r.get(2)?,
                        slot_id: r.get(3)?,
                        slot: r.get(4)?,
                        start: r.get(5)?,
                        hall: r.get(6)?,
                        seat: r.get(7)?,
                        category: r.get(8)?,
                        price: r.get(9)?,
                        customer: r.get(10)?,
                        phone: r.get(11)?,
                        payment: r.get(12)?,
                        operator: r.get(13)?,
                        created: r.get(14)?,
                        changed: r.get(15)?,
                        ticket_type: r.get(16)?,
                    })
                },
            )
        })
    }

    /// Payments (sales and refunds) made on `date` (all without one), in order.
    pub fn export_payments(&mut self, date: Option<NaiveDate>) -> Result<Vec<PaymentRow>> {
        let (from, to) = day_bounds(date)?;
        self.read(|tx| {
            tx.query_vec(
                "SELECT b.code, sl.id, sl.name, substr(sl.starts_at, 1, 16), p.kind, p.method, p.amount, p.tickets,
                        p.operator, substr(p.created_at, 1, 16), p.ticket_type
                   FROM payment p
                   JOIN booking b ON b.id = p.booking_id
                   JOIN slot sl ON sl.id = b.slot_id
                  WHERE p.created_at >= ?1 AND p.created_at < ?2
                  ORDER BY p.created_at, p.id",
                args![from, to],
                |r| {
                    Ok(PaymentRow {
                        booking: r.get(0)?,
                        slot_id: r.get(1)?,
                        slot: r.get(2)?,
                        start: r.get(3)?,
                        kind: r.get(4)?,
                        method: r.get(5)?,
                        amount: r.get(6)?,
                        tickets: r.get(7)?,
                        operator: r.get(8)?,
                        created: r.get(9)?,
                        ticket_type: r.get(10)?,
                    })
                },
            )
        })
    }
}
