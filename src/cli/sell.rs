//! `book`, `rebook`, `cancel`: the money-moving commands.

use clap::{Args, ValueEnum};
use serde_json::json;

use super::Context;
use super::output::{slot_line, ticket_json};
use super::slot::SlotRef;
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest};
use crate::domain::seatmap::{parse_seat_label, parse_seat_list};
use crate::store::RebookRequest;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Pay {
    Cash,
    Card,
}

impl From<Pay> for PaymentMethod {
    fn from(p: Pay) -> PaymentMethod {
        match p {
            Pay::Cash => PaymentMethod::Cash,
            Pay::Card => PaymentMethod::Card,
        }
    }
}

#[derive(Debug, Args)]
pub struct Book {
    #[command(flatten)]
    slot: SlotRef,
    /// The customer's name (leave out for a walk-in).
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// How many seats, best available (1-10).
    #[arg(long, required_unless_present = "seats", conflicts_with = "seats")]
    count: Option<usize>,
    /// Exactly these seats, e.g. A5,A6.
    #[arg(long)]
    seats: Option<String>,
    #[arg(long, value_enum, default_value = "cash")]
    pay: Pay,
}

impl Book {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let slot = self.slot.resolve(ctx)?;
        let seats = match (self.count, &self.seats) {
            (Some(n), _) => SeatRequest::Count(n),
            (None, Some(list)) => SeatRequest::Seats(parse_seat_list(list)?),
            (None, None) => anyhow::bail!(crate::domain::Error::Invalid("give --count N or --seats A5,A6".into())),
        };
        let request = SaleRequest {
            slot: slot.id,
            seats,
            customer: Customer { name: self.name, phone: self.phone },
            payment: self.pay.into(),
            operator: ctx.operator.clone(),
        };
        let sale = ctx.store.sell(&request, ctx.now, &ctx.policy)?;
        ctx.emit(
            json!({
                "booking": sale.booking,
                "slot": super::output::slot_json(&sale.slot),
                "tickets": sale.tickets,
                "total": sale.total,
                "customer": sale.customer,
                "payment": sale.payment,
            }),
            || {
                let mut out = format!(
                    "booking {} · {} · {} · {} paid by {}\n",
                    sale.booking,
                    slot_line(&sale.slot),
                    sale.customer.display_name(),
                    ctx.money(sale.total),
                    sale.payment.name()
                );
                for t in &sale.tickets {
                    out.push_str(&format!("  {}  seat {:<4} {}\n", t.code, t.seat, ctx.money(t.price)));
                }
                out
            },
        )
    }
}

#[derive(Debug, Args)]
pub struct Rebook {
    /// The ticket to move, or a booking (BKG-…): all its booked tickets move together.
    ticket: String,
    #[command(flatten)]
    slot: SlotRef,
    /// The new seat, e.g. C7 (best available otherwise).
    #[arg(long)]
    seats: Option<String>,
    /// Allow it after the original show started (admin override).
    #[arg(long)]
    force: bool,
}

impl Rebook {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let slot = self.slot.resolve(ctx)?;
        let booking = crate::domain::codes::normalize_code(&self.ticket)
            .starts_with(&format!("{}-", crate::domain::codes::BOOKING_PREFIX));
        if booking {
            if self.seats.is_some() {
                anyhow::bail!(crate::domain::Error::Invalid(
                    "a whole booking moves to the best seats together: --seats is for one ticket".into()
                ));
            }
            let r = ctx.store.rebook_booking(&self.ticket, slot.id, &ctx.operator, self.force, ctx.now, &ctx.policy)?;
            let old: Vec<_> = r.old.iter().map(ticket_json).collect();
            let new: Vec<_> = r.new.iter().map(ticket_json).collect();
            return ctx.emit(json!({"old": old, "new": new, "difference": r.difference}), || {
                let seats: Vec<&str> = r.new.iter().map(|t| t.seat.as_str()).collect();
                let money = match r.difference {
                    0 => "no price difference".to_string(),
                    d if d > 0 => format!("charge {} more", ctx.money(d)),
                    d => format!("refund {}", ctx.money(-d)),
                };
                let booking = r.new.first().map_or("", |t| t.booking.as_str());
                format!("moved together to {booking}: seats {} · {}; {money}", seats.join(" "), slot_line(&slot))
            });
        }
        let seat = self.seats.as_deref().map(parse_seat_label).transpose()?;
        let request = RebookRequest {
            ticket: self.ticket,
            slot: slot.id,
            seat,
            operator: ctx.operator.clone(),
            force: self.force,
        };
        let r = ctx.store.rebook(&request, ctx.now, &ctx.policy)?;
        ctx.emit(json!({"old": ticket_json(&r.old), "new": ticket_json(&r.new), "difference": r.difference}), || {
            let money = match r.difference {
                0 => "no price difference".to_string(),
                d if d > 0 => format!("charge {} more", ctx.money(d)),
                d => format!("refund {}", ctx.money(-d)),
            };
            format!(
                "{} archived; new ticket {} · seat {} · {}\n{money} ({})\n",
                r.old.code,
                r.new.code,
                r.new.seat,
                slot_line(&r.new.slot),
                r.new.payment.name()
            )
        })
    }
}

#[derive(Debug, Args)]
pub struct Cancel {
    /// A ticket code (TKT-…) or a booking code (BKG-…) to cancel all its tickets.
    code: String,
    /// Refund even though the show has started (admin override).
    #[arg(long)]
    force: bool,
}

impl Cancel {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let c = ctx.store.cancel(&self.code, &ctx.operator, self.force, ctx.now, &ctx.policy)?;
        ctx.emit(json!({"canceled": c.canceled, "refund": c.refund, "payment": c.payment}), || {
            format!("canceled {}; refund {} ({})", c.canceled.join(", "), ctx.money(c.refund), c.payment.name())
        })
    }
}
