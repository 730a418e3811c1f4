//! `waitlist add|list|remove|confirm`: the waiting list of sold-out shows.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::Context;
use super::sell::Pay;
use super::slot::SlotRef;
use crate::domain::money::format_amount;
use crate::domain::time::format_time;
use crate::domain::waitlist::WaitlistEntry;

#[derive(Debug, Subcommand)]
pub enum WaitlistCmd {
    /// Put a customer (or a party) on a show's waiting list.
    Add(WaitAdd),
    /// The waiting list of a show, or of every show.
    List(WaitList),
    /// Take an entry off the list (seats held for it go back on sale).
    Remove {
        /// The entry's id (see `waitlist list`).
        id: i64,
    },
    /// Sell the seats offered to an entry when the customer comes to pay.
    Confirm {
        id: i64,
        #[arg(long, value_enum, default_value = "cash")]
        pay: Pay,
    },
}

#[derive(Debug, Args)]
pub struct WaitAdd {
    #[command(flatten)]
    slot: SlotRef,
    #[arg(long)]
    name: String,
    #[arg(long)]
    phone: Option<String>,
    /// How many seats the party needs together (1-10).
    #[arg(long)]
    seats: usize,
}

#[derive(Debug, Args)]
pub struct WaitList {
    /// Only this slot's list.
    #[arg(long = "slot", value_name = "ID")]
    slot: Option<i64>,
}

impl WaitlistCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        match self {
            WaitlistCmd::Add(add) => {
                let slot = add.slot.resolve(ctx)?;
                let entry = ctx.store.waitlist_add(
                    slot.id,
                    &add.name,
                    add.phone.as_deref(),
                    add.seats,
                    ctx.now,
                    &ctx.policy,
                )?;
                ctx.emit(entry_json(&entry), || entry_line(&entry))
            }
            WaitlistCmd::List(list) => {
                if let Some(id) = list.slot {
                    ctx.store.slot(id)?;
                }
                let entries = ctx.store.waitlist(list.slot, ctx.now, &ctx.policy)?;
                ctx.emit(json!(entries.iter().map(entry_json).collect::<Vec<_>>()), || {
                    if entries.is_empty() {
                        return "nobody is waiting".into();
                    }
                    entries.iter().map(entry_line).collect::<Vec<_>>().join("\n")
                })
            }
            WaitlistCmd::Remove { id } => {
                let entry = ctx.store.waitlist_remove(id, ctx.now, &ctx.policy)?;
                ctx.emit(entry_json(&entry), || entry_line(&entry))
            }
            WaitlistCmd::Confirm { id, pay } => {
                let sale = ctx.store.waitlist_confirm(id, pay.into(), &[], &ctx.operator, ctx.now)?;
                ctx.emit(
                    json!({"booking": sale.booking, "tickets": sale.tickets, "total": sale.total, "payment": sale.payment}),
                    || {
                        let seats: Vec<&str> = sale.tickets.iter().map(|t| t.seat.as_str()).collect();
                        format!(
                            "booking {} sold: seats {} · {} paid by {}",
                            sale.booking,
                            seats.join(" "),
                            format_amount(sale.total),
                            sale.payment.name()
                        )
                    },
                )
            }
        }
    }
}

fn entry_json(e: &WaitlistEntry) -> Value {
    json!({
        "id": e.id,
        "slot": e.slot,
        "name": e.name,
        "phone": e.phone,
        "seats": e.seats,
        "status": e.status,
        "booking": e.booking,
        "held_seats": e.held_seats,
        "hold_expires": e.hold_expires.as_ref().map(format_time),
        "note": e.note,
        "created": format_time(&e.created),
    })
}

fn entry_line(e: &WaitlistEntry) -> String {
    let phone = e.phone.as_deref().unwrap_or("");
    let name = crate::domain::text::fit(&e.name, 24);
    let mut line =
        format!("#{:<4} slot {:<5} {name} {phone:<14} {:>2} seats  {}", e.id, e.slot, e.seats, e.status.name());
    if let (Some(b), Some(until)) = (&e.booking, e.hold_expires) {
        line.push_str(&format!(
            ": {} held under {b} until {}",
            e.held_seats.join(" "),
            crate::domain::time::local(&until).format("%H:%M")
        ));
    }
    if !e.note.is_empty() {
        line.push_str(&format!(" ({})", e.note));
    }
    line
}
