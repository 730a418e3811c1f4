//! `tickets`, `ticket`, `expire`, `report`: looking things up and the cron side.

use clap::Args;
use serde_json::json;

use super::Context;
use super::output::{slot_line, ticket_json, ticket_text};
use super::slot::SlotRef;
use crate::domain::money::format_amount;
use crate::domain::time::{format_time, parse_date, parse_time};

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
                "--at {} is later than now ({}): expiring early would sell paid seats twice; pass --force if you mean it",
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

#[derive(Debug, Args)]
pub struct Report {
    /// The day, "YYYY-MM-DD" (today by default).
    #[arg(long)]
    date: Option<String>,
}

impl Report {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let date = match &self.date {
            Some(d) => parse_date(d)?,
            None => ctx.now.date(),
        };
        let report = ctx.store.report(date)?;
        let operators = ctx.store.cash_up(date)?;
        let by_method: serde_json::Map<String, serde_json::Value> =
            report.methods.iter().map(|m| (m.method.name().to_string(), json!(m))).collect();
        ctx.emit(
            json!({
                "date": date.to_string(),
                "by_method": by_method,
                "by_operator": operators,
                "sales": report.sales(),
                "refunds": report.refunds(),
                "net": report.net(),
            }),
            || {
                let row = |label: &str, sales, refunds, net, sold: String, refunded: String| {
                    format!(
                        "  {label:<14}{:>11}{:>11}{:>11}{sold:>7}{refunded:>9}\n",
                        format_amount(sales),
                        format_amount(refunds),
                        format_amount(net)
                    )
                };
                let mut out = format!(
                    "Cash-up for {date}\n  {:<14}{:>11}{:>11}{:>11}{:>7}{:>9}\n",
                    "", "sales", "refunds", "net", "sold", "refunded"
                );
                for m in &report.methods {
                    let (sold, refunded) = (m.tickets_sold.to_string(), m.tickets_refunded.to_string());
                    out.push_str(&row(m.method.name(), m.sales, m.refunds, m.net, sold, refunded));
                }
                out.push_str(&row(
                    "total",
                    report.sales(),
                    report.refunds(),
                    report.net(),
                    String::new(),
                    String::new(),
                ));
                for o in &operators {
                    out.push_str(&format!("\n{}\n", o.operator));
                    for (name, t) in [("cash", &o.cash), ("card", &o.card)] {
                        let (sold, refunded) = (t.tickets_sold.to_string(), t.tickets_refunded.to_string());
                        out.push_str(&row(name, t.sales, t.refunds, t.net, sold, refunded));
                    }
                    let drawer = match (o.sessions, o.counted, o.variance) {
                        (0, _, _) => "  no till opened".to_string(),
                        (_, Some(counted), Some(variance)) => format!(
                            "  drawer: float {} + cash {} = expected {}; counted {}; variance {}",
                            format_amount(o.float),
                            format_amount(o.cash.net),
                            format_amount(o.cash_expected),
                            format_amount(counted),
                            format_amount(variance)
                        ),
                        _ => format!(
                            "  drawer: float {} + cash {} = expected {}; till still open",
                            format_amount(o.float),
                            format_amount(o.cash.net),
                            format_amount(o.cash_expected)
                        ),
                    };
                    out.push_str(&drawer);
                    out.push('\n');
                }
                out
            },
        )
    }
}
