//! `tickets`, `ticket`, `expire`: looking things up and the cron side.

use clap::Args;
use serde_json::json;

use super::Context;
use super::output::{slot_line, ticket_json, ticket_text};
use super::slot::SlotRef;
use crate::domain::money::format_amount;
use crate::domain::time::{format_time, parse_time};

#[derive(Debug, Args)]
pub struct Tickets {
    #[command(flatten)]
    slot: SlotRef,
}

impl Tickets {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let slot = self.slot.resolve(ctx)?;
        let tickets = ctx.store.slot_tickets(slot.id)?;
        ctx.emit(json!(tickets.iter().map(ticket_json).collect::<Vec<_>>()), || {
            let mut out = format!("{}: {} live tickets\n", slot_line(&slot), tickets.len());
            for t in &tickets {
                out.push_str(&format!(
                    "  {:<4} {}  {:<7} {:>8}  {}{}\n",
                    t.seat,
                    t.code,
                    t.status.name(),
                    format_amount(t.price),
                    t.customer.display_name(),
                    t.customer.phone.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
                ));
            }
            out
        })
    }
}

#[derive(Debug, Args)]
pub struct Ticket {
    /// The ticket's code, e.g. TKT-7F3K9Q.
    code: String,
    /// Print it for the counter printer: details and a QR code of the ticket code.
    #[arg(long)]
    print: bool,
    /// With --print: write an SVG page to this file instead of text to the terminal.
    #[arg(long, value_name = "FILE", requires = "print")]
    out: Option<std::path::PathBuf>,
}

impl Ticket {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let is_booking = crate::domain::codes::normalize_code(&self.code)
            .starts_with(&format!("{}-", crate::domain::codes::BOOKING_PREFIX));
        if is_booking && !self.print {
            return super::find::show_booking(ctx, &self.code);
        }
        let t = ctx.store.ticket(&self.code)?;
        if !self.print {
            return ctx.emit(ticket_json(&t), || ticket_text(&t));
        }
        let (theatre, city) = letterhead(ctx)?;
        let head =
            crate::print::Letterhead { theatre: &theatre, city: &city, symbol: &ctx.config.currency_symbol.value };
        match &self.out {
            Some(path) => {
                std::fs::write(path, crate::print::ticket_svg(&t, head))
                    .map_err(|e| crate::domain::Error::Invalid(format!("cannot write '{}': {e}", path.display())))?;
                ctx.emit(json!({"id": t.code, "file": path.display().to_string()}), || {
                    format!("{} written to {}", t.code, path.display())
                })
            }
            None => ctx.emit(json!({"id": t.code, "text": crate::print::ticket_text(&t, head)}), || {
                crate::print::ticket_text(&t, head)
            }),
        }
    }
}

/// The theatre's name and city: from the config file, else the cinema in the database.
pub fn letterhead(ctx: &mut Context) -> anyhow::Result<(String, String)> {
    let cinema = ctx.store.halls()?.into_iter().next();
    let name = Some(ctx.config.theatre_name.value.clone())
        .filter(|n| !n.is_empty())
        .or_else(|| cinema.as_ref().map(|c| c.cinema.clone()))
        .unwrap_or_else(|| "Ticketly".into());
    let city = Some(ctx.config.theatre_city.value.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| cinema.map(|c| c.city))
        .unwrap_or_default();
    Ok((name, city))
}

#[derive(Debug, Args)]
pub struct Expire {
    /// Expire as of this moment instead of now, "YYYY-MM-DD HH:MM" (not later than now).
    #[arg(long)]
    at: Option<String>,
    /// Accept an --at later than now (holds are released as of then; tickets still expire
    /// only for shows that really ended). Written to the journal.
    #[arg(long)]
    force: bool,
}

impl Expire {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let at = match &self.at {
            Some(t) => parse_time(t)?,
            None => ctx.now,
        };
        if at > ctx.now && !self.force {
            return Err(crate::domain::Error::Invalid(format!(
                "--at {} is later than now ({}): only holds can be released early (pass --force for that); tickets expire only once their show has ended",
                format_time(&at),
                format_time(&ctx.now)
            ))
            .into());
        }
        let outcome = ctx.store.expire(at, ctx.now, &ctx.operator, &ctx.policy)?;
        ctx.emit(json!(outcome), || {
            format!("{} tickets expired, {} holds released", outcome.expired, outcome.holds_released)
        })
    }
}
