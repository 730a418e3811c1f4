//! `export tickets|sales|slots --format csv|json [--date D]`: for accounting. CSV amounts are
//! decimal ("12.50"); JSON amounts are integer minor units, as everywhere in the JSON output.

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Context;
use super::import::Format;
use crate::domain::money::format_amount;
use crate::domain::time::{format_time, parse_date};
use crate::store::SlotFilter;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum What {
    Tickets,
    Sales,
    Slots,
}

#[derive(Debug, Args)]
pub struct Export {
    #[arg(value_enum)]
    what: What,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Only this day ("YYYY-MM-DD"): tickets and slots of shows starting then, sales made then.
    #[arg(long)]
    date: Option<String>,
}

#[derive(Serialize)]
struct SlotLine {
    id: i64,
    name: String,
    start: String,
    end: String,
    hall: String,
    genre: String,
    #[serde(rename = "type")]
    kind: String,
    seats_total: usize,
    seats_free: usize,
}

impl Export {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let date = self.date.as_deref().map(parse_date).transpose()?;
        let json = self.format == Format::Json;
        let out = match self.what {
            What::Tickets => {
                let rows = ctx.store.export_tickets(date)?;
                if json {
                    serde_json::to_string_pretty(&rows)?
                } else {
                    let header = [
                        "ticket", "booking", "status", "slot_id", "slot", "start", "hall", "seat", "category", "price",
                        "customer", "phone", "payment", "operator", "created", "changed",
                    ];
                    csv_text(
                        &header,
                        rows.iter().map(|r| {
                            vec![
                                r.ticket.clone(),
                                r.booking.clone(),
                                r.status.clone(),
                                r.slot_id.to_string(),
                                r.slot.clone(),
                                r.start.clone(),
                                r.hall.clone(),
                                r.seat.clone(),
                                r.category.clone(),
                                format_amount(r.price),
                                r.customer.clone().unwrap_or_default(),
                                r.phone.clone().unwrap_or_default(),
                                r.payment.clone(),
                                r.operator.clone(),
                                r.created.clone(),
                                r.changed.clone(),
                            ]
                        }),
                    )?
                }
            }
            What::Sales => {
                let rows = ctx.store.export_payments(date)?;
                if json {
                    serde_json::to_string_pretty(&rows)?
                } else {
                    let header = [
                        "booking", "slot_id", "slot", "start", "kind", "method", "amount", "tickets", "operator",
                        "created",
                    ];
                    csv_text(
                        &header,
                        rows.iter().map(|r| {
                            vec![
                                r.booking.clone(),
                                r.slot_id.to_string(),
                                r.slot.clone(),
                                r.start.clone(),
                                r.kind.clone(),
                                r.method.clone(),
                                format_amount(r.amount),
                                r.tickets.to_string(),
                                r.operator.clone(),
                                r.created.clone(),
                            ]
                        }),
                    )?
                }
            }
            What::Slots => {
                let filter = SlotFilter { date, ..SlotFilter::default() };
                let rows: Vec<SlotLine> = ctx
                    .store
                    .slots(&filter, ctx.now)?
                    .into_iter()
                    .map(|s| SlotLine {
                        id: s.slot.id,
                        name: s.slot.name.clone(),
                        start: format_time(&s.slot.start),
                        end: format_time(&s.slot.end),
                        hall: s.slot.hall.clone(),
                        genre: s.slot.genre.clone(),
                        kind: s.slot.kind.clone(),
                        seats_total: s.seats_total,
                        seats_free: s.seats_free,
                    })
                    .collect();
                if json {
                    serde_json::to_string_pretty(&rows)?
                } else {
                    let mut writer = csv::Writer::from_writer(Vec::new());
                    for row in &rows {
                        writer.serialize(row)?;
                    }
                    String::from_utf8(writer.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?)?
                }
            }
        };
        if ctx.quiet {
            return Ok(());
        }
        super::output::write_out(&if json { format!("{out}\n") } else { out })
    }
}

/// A CSV document: the header, then one record a row.
fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(&row)?;
    }
    Ok(String::from_utf8(writer.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?)?)
}
