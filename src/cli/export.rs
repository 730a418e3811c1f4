//! `export tickets|sales|slots --format csv|json [--date D]`: for accounting. CSV amounts are
//! decimal ("12.50"); JSON amounts are integer minor units, as everywhere in the JSON output.
//! CSV is opened in spreadsheets, so text that would run there as a formula is defused.

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
                        "customer", "phone", "payment", "operator", "created", "changed", "type",
                    ];
                    csv_text(
                        &header,
                        rows.iter().map(|r| {
                            vec![
                                text_cell(&r.ticket),
                                text_cell(&r.booking),
                                text_cell(&r.status),
                                r.slot_id.to_string(),
                                text_cell(&r.slot),
                                r.start.clone(),
                                text_cell(&r.hall),
                                text_cell(&r.seat),
                                text_cell(&r.category),
                                format_amount(r.price),
                                text_cell(r.customer.as_deref().unwrap_or_default()),
                                text_cell(r.phone.as_deref().unwrap_or_default()),
                                text_cell(&r.payment),
                                text_cell(&r.operator),
                                r.created.clone(),
                                r.changed.clone(),
                                text_cell(&r.ticket_type),
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
                        "created", "type",
                    ];
                    csv_text(
                        &header,
                        rows.iter().map(|r| {
                            vec![
                                text_cell(&r.booking),
                                r.slot_id.to_string(),
                                text_cell(&r.slot),
                                r.start.clone(),
                                text_cell(&r.kind),
                                text_cell(&r.method),
                                format_amount(r.amount),
                                r.tickets.to_string(),
                                text_cell(&r.operator),
                                r.created.clone(),
                                text_cell(&r.ticket_type),
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
                    let header = ["id", "name", "start", "end", "hall", "genre", "type", "seats_total", "seats_free"];
                    csv_text(
                        &header,
                        rows.iter().map(|r| {
                            vec![
                                r.id.to_string(),
                                text_cell(&r.name),
                                r.start.clone(),
                                r.end.clone(),
                                text_cell(&r.hall),
                                text_cell(&r.genre),
                                text_cell(&r.kind),
                                r.seats_total.to_string(),
                                r.seats_free.to_string(),
                            ]
                        }),
                    )?
                }
            }
        };
        if ctx.quiet {
            return Ok(());
        }
        super::output::write_out(&if json { format!("{out}\n") } else { out })
    }
}

/// Text a spreadsheet would run as a formula when a cell starts with it: OWASP's list (= + - @,
/// tab, carriage return) and the full-width forms, which some spreadsheets read the same way.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// A text cell as OWASP advises against CSV injection: text that starts like a formula
/// (`=HYPERLINK(…)` as a customer's name) gets a leading `'`, so a spreadsheet shows it as text
/// instead of running it. Only text that people typed or Ticketly names goes through here; the
/// amounts, dates and counts Ticketly writes are numbers a spreadsheet should read as numbers.
fn text_cell(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) { format!("'{text}") } else { text.to_string() }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_like_a_formula_becomes_text() {
        for formula in [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+44 113 496 0000",
            "-2+3",
            "@SUM(A1:A9)",
            "\tcmd",
            "\rcmd",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
        ] {
            assert_eq!(text_cell(formula), format!("'{formula}"));
        }
        for plain in ["Avatar", "", "BKG-7F3K9Q", "a=b", " =1", "'=1", "0113 496 0000"] {
            assert_eq!(text_cell(plain), plain);
        }
    }
}
