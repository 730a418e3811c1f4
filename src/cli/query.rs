//! `tickets`, `ticket`, `expire`: looking things up and the cron side.

use clap::Args;
use serde_json::json;

use super::Context;
use super::output::{slot_line, ticket_json, ticket_text};
use super::slot::SlotRef;
use crate::domain::model::TicketStatus;
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
    /// With --print: write an SVG page (with --escpos: the printer's bytes) to this file.
    #[arg(long, value_name = "FILE", requires = "print")]
    out: Option<std::path::PathBuf>,
    /// With --print: ESC/POS for a thermal receipt printer (a booking: every ticket, then a receipt).
    #[arg(long, requires = "print")]
    escpos: bool,
    /// With --escpos: send to this printer, a device (/dev/usb/lp0) or tcp://HOST:9100
    /// (default: `[printer] device`).
    #[arg(long, value_name = "DEVICE", requires = "escpos", conflicts_with = "out")]
    printer: Option<String>,
    /// With --escpos, for a booking's receipt: the cash the customer handed over.
    #[arg(long, value_name = "AMOUNT", requires = "escpos")]
    tendered: Option<String>,
}

impl Ticket {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let is_booking = crate::domain::codes::normalize_code(&self.code)
            .starts_with(&format!("{}-", crate::domain::codes::BOOKING_PREFIX));
        if is_booking && !self.print {
            return super::find::show_booking(ctx, &self.code);
        }
        if self.escpos {
            return self.print_escpos(ctx, is_booking);
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

impl Ticket {
    /// `--print --escpos`: the ticket (or every booked ticket of a booking, then its receipt)
    /// as ESC/POS, to a file or a printer.
    fn print_escpos(&self, ctx: &mut Context, is_booking: bool) -> anyhow::Result<()> {
        let tickets = if is_booking {
            let all = ctx.store.booking_tickets(&self.code)?;
            let booked: Vec<_> = all.into_iter().filter(|t| t.status == TicketStatus::Booked).collect();
            if booked.is_empty() {
                anyhow::bail!(crate::domain::Error::Conflict(format!(
                    "'{}' has no booked tickets to print",
                    self.code
                )));
            }
            booked
        } else {
            let t = ctx.store.ticket(&self.code)?;
            if t.status != TicketStatus::Booked {
                anyhow::bail!(crate::domain::Error::Conflict(format!(
                    "{} is {}: not printed",
                    t.code,
                    t.status.name()
                )));
            }
            vec![t]
        };
        if self.tendered.is_some() && !is_booking {
            anyhow::bail!(crate::domain::Error::Invalid(
                "--tendered goes on a booking's receipt: print the booking (BKG-…)".into()
            ));
        }
        let tendered = self.tendered.as_deref().map(crate::domain::money::parse_typed_amount).transpose()?;
        let (theatre, _) = letterhead(ctx)?;
        let width = ctx.config.printer_width.value as usize;
        let mut doc = crate::escpos::Document::new(width, &ctx.config.currency_symbol.value);
        for t in &tickets {
            doc.ticket(&theatre, &escpos_face(t));
        }
        if is_booking {
            let first = &tickets[0];
            let total = tickets.iter().map(|t| t.price).sum();
            if tendered.is_some_and(|t| t < total) {
                anyhow::bail!(crate::domain::Error::Invalid(format!(
                    "the tendered amount is less than the total {}",
                    ctx.money(total)
                )));
            }
            doc.receipt(
                &theatre,
                &crate::escpos::Receipt {
                    booking: &first.booking,
                    total,
                    payment: first.payment,
                    tendered,
                    operator: &first.operator,
                    at: first.created,
                },
            );
        }
        let bytes = doc.into_bytes();
        let target = match (&self.out, &self.printer) {
            (Some(path), _) => {
                std::fs::write(path, &bytes)
                    .map_err(|e| crate::domain::Error::Invalid(format!("cannot write '{}': {e}", path.display())))?;
                path.display().to_string()
            }
            (None, device) => {
                let device = device.clone().unwrap_or_else(|| ctx.config.printer_device.value.clone());
                if device.is_empty() {
                    anyhow::bail!(crate::domain::Error::Invalid(
                        "no printer: give --printer DEVICE or --out FILE, or set [printer] device".into()
                    ));
                }
                crate::escpos::send(&device, &bytes).map_err(|e| anyhow::anyhow!(e))?;
                device
            }
        };
        let codes: Vec<&str> = tickets.iter().map(|t| t.code.as_str()).collect();
        ctx.emit(json!({"printed": codes, "to": target, "bytes": bytes.len()}), || {
            format!("{} printed to {target}", codes.join(", "))
        })
    }
}

/// A ticket as the receipt printer prints it.
pub fn escpos_face(t: &crate::domain::model::TicketDetails) -> crate::escpos::TicketFace<'_> {
    crate::escpos::TicketFace {
        code: &t.code,
        booking: &t.booking,
        seat: &t.seat,
        category: t.category,
        ticket_type: &t.ticket_type,
        price: t.price,
        slot: &t.slot,
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
