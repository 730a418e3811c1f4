//! `find TEXT`: a customer's bookings by part of their name or phone, newest first; and a
//! booking code given to `ticket`, which shows the whole booking.

use clap::Args;
use serde_json::{Value, json};

use super::Context;
use super::output::{slot_json, slot_line, ticket_json, ticket_text};
use crate::domain::model::TicketDetails;

/// How many bookings `find` lists at most (the newest).
const FOUND: usize = 50;

#[derive(Debug, Args)]
pub struct Find {
    /// Part of the customer's name (any case, accents ignored) or phone number.
    text: String,
}

impl Find {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let codes = ctx.store.find_bookings(&self.text, FOUND)?;
        let mut bookings = Vec::new();
        for code in &codes {
            bookings.push(ctx.store.booking_tickets(code)?);
        }
        ctx.emit(json!(bookings.iter().map(|t| booking_json(t)).collect::<Vec<_>>()), || {
            if bookings.is_empty() {
                return format!("no booking matches '{}'", self.text.trim());
            }
            bookings.iter().map(|t| booking_line(t)).collect::<Vec<_>>().join("\n")
        })
    }
}

/// A booking as `find` and `ticket BKG-…` give it.
pub fn booking_json(tickets: &[TicketDetails]) -> Value {
    let Some(first) = tickets.first() else { return Value::Null };
    json!({
        "booking": first.booking,
        "customer": first.customer,
        "slot": slot_json(&first.slot),
        "payment": first.payment,
        "tickets": tickets.iter().map(ticket_json).collect::<Vec<_>>(),
    })
}

/// "BKG-… · Avatar · Hall 1 · 2026-11-23 20:00-22:00 · A5 A6 booked · Ann Lee (0301234)"
fn booking_line(tickets: &[TicketDetails]) -> String {
    let Some(first) = tickets.first() else { return String::new() };
    let seats: Vec<String> = tickets.iter().map(|t| format!("{} {}", t.seat, t.status.name())).collect();
    format!(
        "{} · {} · {} · {}{}",
        first.booking,
        slot_line(&first.slot),
        seats.join(", "),
        first.customer.display_name(),
        first.customer.phone.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
    )
}

/// `ticket BKG-…`: the booking with every ticket of it.
pub fn show_booking(ctx: &mut Context, code: &str) -> anyhow::Result<()> {
    let tickets = ctx.store.booking_tickets(code)?;
    ctx.emit(booking_json(&tickets), || tickets.iter().map(ticket_text).collect::<Vec<_>>().join("\n"))
}
