//! `book`, `rebook`, `cancel`: the money-moving commands.

use clap::{Args, ValueEnum};
use serde_json::json;

use super::Context;
use super::output::{slot_line, ticket_json};
use super::slot::SlotRef;
use crate::domain::cards::parse_type_counts;
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest};
use crate::domain::seatmap::{parse_seat_label, parse_seat_list};
use crate::domain::text::{columns, fit};
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
    /// Tickets of named types, e.g. Child=2,Senior=1; the rest are the default type (Adult).
    #[arg(long, value_name = "TYPE=N,...")]
    types: Option<String>,
    /// Every ticket at this price instead of the card's, e.g. 0 for free tickets (with
    /// operators: a manager's approval, --approve, and a --reason).
    #[arg(long, value_name = "AMOUNT")]
    price: Option<String>,
}

impl Book {
    /// The override's action for the journal, when the sale overrides the card's prices.
    pub fn price_override(&self) -> Option<String> {
        use crate::domain::money::{format_amount, parse_typed_amount};
        Some(match parse_typed_amount(self.price.as_deref()?) {
            Ok(0) => "free tickets (book --price 0)".to_string(),
            Ok(price) => format!("price override to {0} a ticket (book --price {0})", format_amount(price)),
            Err(_) => "price override (book --price)".to_string(),
        })
    }

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
            types: self.types.as_deref().map(parse_type_counts).transpose()?.unwrap_or_default(),
            price_override: self.price.as_deref().map(crate::domain::money::parse_typed_amount).transpose()?,
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
                let type_width = sale.tickets.iter().map(|t| columns(&t.ticket_type)).max().unwrap_or(0);
                for t in &sale.tickets {
                    let ticket_type = fit(&t.ticket_type, type_width);
                    out.push_str(&format!("  {}  seat {:<4} {ticket_type} {}\n", t.code, t.seat, ctx.money(t.price)));
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
    /// Allow it after the original show started (with operators: a manager's approval, --approve).
    #[arg(long)]
    force: bool,
    /// How the price difference is settled (default: the way the booking was paid).
    #[arg(long, value_enum)]
    pay: Option<Pay>,
}

impl Rebook {
    /// A rebooking past the cut-off or of a checked-in ticket.
    pub fn forced(&self) -> bool {
        self.force
    }

    pub fn code(&self) -> &str {
        &self.ticket
    }

    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let slot = self.slot.resolve(ctx)?;
        let request = RebookRequest {
            ticket: self.ticket,
            slot: slot.id,
            seat: self.seats.as_deref().map(parse_seat_label).transpose()?,
            operator: ctx.operator.clone(),
            force: self.force,
            method: self.pay.map(PaymentMethod::from),
        };
        let booking = crate::domain::codes::normalize_code(&request.ticket)
            .starts_with(&format!("{}-", crate::domain::codes::BOOKING_PREFIX));
        if booking {
            let r = ctx.store.rebook_booking(&request, ctx.now, &ctx.policy)?;
            let old: Vec<_> = r.old.iter().map(ticket_json).collect();
            let new: Vec<_> = r.new.iter().map(ticket_json).collect();
            let payment = settled_by(r.difference, request.method, r.new.first().map(|t| t.payment));
            return ctx.emit(json!({"old": old, "new": new, "difference": r.difference, "payment": payment}), || {
                let seats: Vec<&str> = r.new.iter().map(|t| t.seat.as_str()).collect();
                let money = difference_words(r.difference, payment, ctx);
                let booking = r.new.first().map_or("", |t| t.booking.as_str());
                format!("moved together to {booking}: seats {} · {}; {money}", seats.join(" "), slot_line(&slot))
            });
        }
        let r = ctx.store.rebook(&request, ctx.now, &ctx.policy)?;
        let payment = settled_by(r.difference, request.method, Some(r.new.payment));
        let value = json!({"old": ticket_json(&r.old), "new": ticket_json(&r.new), "difference": r.difference, "payment": payment});
        ctx.emit(value, || {
            format!(
                "{} archived; new ticket {} · seat {} · {}\n{}\n",
                r.old.code,
                r.new.code,
                r.new.seat,
                slot_line(&r.new.slot),
                difference_words(r.difference, payment, ctx)
            )
        })
    }
}

/// How a rebooking's difference was settled: asked for, or as the booking was paid; none when
/// there was nothing to settle.
fn settled_by(difference: i64, asked: Option<PaymentMethod>, paid: Option<PaymentMethod>) -> Option<PaymentMethod> {
    if difference == 0 { None } else { asked.or(paid) }
}

/// "charge £2.00 more (card)", "refund £3.00 (cash)", "no price difference".
fn difference_words(difference: i64, payment: Option<PaymentMethod>, ctx: &Context) -> String {
    let how = payment.map(|m| format!(" ({})", m.name())).unwrap_or_default();
    match difference {
        0 => "no price difference".to_string(),
        d if d > 0 => format!("charge {} more{how}", ctx.money(d)),
        d => format!("refund {}{how}", ctx.money(-d)),
    }
}

#[derive(Debug, Args)]
pub struct Cancel {
    /// A ticket code (TKT-…) or a booking code (BKG-…) to cancel all its tickets.
    code: String,
    /// Refund even though the show has started (with operators: a manager's approval, --approve).
    #[arg(long)]
    force: bool,
}

impl Cancel {
    /// A refund past the cut-off or after the start.
    pub fn forced(&self) -> bool {
        self.force
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let c = ctx.store.cancel(&self.code, &ctx.operator, self.force, ctx.now, &ctx.policy)?;
        ctx.emit(json!({"canceled": c.canceled, "refund": c.refund, "payment": c.payment}), || {
            format!("canceled {}; refund {} ({})", c.canceled.join(", "), ctx.money(c.refund), c.payment.name())
        })
    }
}
