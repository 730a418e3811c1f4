//! `slot import FILE`: a schedule from CSV or JSON, checked row by row, inserted all or nothing.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Deserialize;
use serde_json::json;

use super::Context;
use crate::domain::Error;
use crate::domain::schedule::{NewSlot, SlotRow};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct SlotImport {
    /// CSV with header `name,start,end,hall,genre,type,description,price,card`, or a JSON array
    /// of objects with those fields. Prices: `9.50`, or per category `Regular=9;Premium=12`; a
    /// `card` names a price card to copy every type's prices from (a price then overrides it).
    file: PathBuf,
    /// The file's format (default: from its extension).
    #[arg(long, value_enum)]
    format: Option<Format>,
}

/// A row as a file writes it; JSON may give the price as a number.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRow {
    name: String,
    start: String,
    end: String,
    hall: String,
    #[serde(default)]
    genre: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    price: Option<serde_json::Value>,
    #[serde(default)]
    card: String,
}

impl FileRow {
    fn into_row(self, line: usize) -> SlotRow {
        let price = match self.price {
            Some(serde_json::Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => String::new(),
        };
        SlotRow {
            line,
            name: self.name,
            start: self.start,
            end: self.end,
            hall: self.hall,
            genre: self.genre,
            kind: self.kind,
            description: self.description,
            price,
            card: self.card,
        }
    }
}

impl SlotImport {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let format = self.format.or_else(|| guess_format(&self.file)).ok_or_else(|| {
            Error::Invalid(format!("cannot tell the format of '{}': pass --format csv or json", self.file.display()))
        })?;
        let text = std::fs::read_to_string(&self.file)
            .map_err(|e| Error::Invalid(format!("cannot read '{}': {e}", self.file.display())))?;
        let (rows, mut bad) = read_schedule(&text, format)?;
        let mut slots: Vec<(usize, NewSlot)> = Vec::new();
        for row in rows {
            let slot = row.to_new_slot().map_err(anyhow::Error::from).and_then(|slot| {
                super::slot::check_hall_of_cinema(ctx, &slot.hall)?;
                Ok(slot)
            });
            match slot {
                Ok(slot) => slots.push((row.line, slot)),
                Err(e) => bad.push((row.line, e.to_string())),
            }
        }
        if slots.is_empty() && bad.is_empty() {
            anyhow::bail!(Error::Invalid(format!("'{}' has no rows", self.file.display())));
        }
        // Rows that parsed are checked against the database too, so one run names every bad row;
        // they are kept only when no row at all was bad.
        let check_only = !bad.is_empty();
        let silent = ctx.json || ctx.quiet || check_only;
        let bar = super::output::progress_bar(slots.len() as u64, silent, "importing {bar:40} {pos}/{len} slots");
        let outcome = ctx.store.import_slots(&slots, ctx.now, check_only, &mut |done| bar.set_position(done as u64))?;
        bar.finish_and_clear();
        match outcome {
            Ok(count) if !check_only => {
                return ctx.emit(json!({"imported": count}), || {
                    format!("{count} slots imported from '{}'", self.file.display())
                });
            }
            Ok(_) => {}
            Err(refused) => bad.extend(refused),
        }
        bad.sort();
        // One bad row is one line, as every other error; several are a line each and a total.
        if let [(line, problem)] = bad.as_slice() {
            anyhow::bail!(Error::Invalid(format!(
                "line {line}: {problem}; nothing imported from '{}'",
                self.file.display()
            )));
        }
        for (line, problem) in &bad {
            // Escaped and cut like every other error: a file can hold escape sequences.
            eprintln!("ticketly: {}", super::printable(&format!("line {line}: {problem}")));
        }
        anyhow::bail!(Error::Invalid(format!("{} bad rows in '{}'; nothing imported", bad.len(), self.file.display())))
    }
}

/// A bad row: its line number and what is wrong with it.
pub(crate) type LineProblem = (usize, String);

fn guess_format(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// The rows of a schedule file's text, and the rows that do not parse. A byte-order mark at the
/// start, which spreadsheets write when they save UTF-8, is skipped.
pub(crate) fn read_schedule(text: &str, format: Format) -> Result<(Vec<SlotRow>, Vec<LineProblem>), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Csv => Ok(read_csv(text)),
        Format::Json => read_json(text),
    }
}

/// Rows of a CSV file (line numbers count the header as line 1), and the lines that do not parse.
fn read_csv(text: &str) -> (Vec<SlotRow>, Vec<LineProblem>) {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let (mut rows, mut bad) = (Vec::new(), Vec::new());
    for record in reader.deserialize::<FileRow>() {
        match record {
            Ok(row) => {
                let line = rows.len() + bad.len() + 2;
                rows.push(row.into_row(line));
            }
            Err(e) => {
                let line = e.position().map_or(rows.len() + bad.len() + 2, |p| p.line() as usize);
                bad.push((line, csv_problem(&e)));
            }
        }
    }
    (rows, bad)
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

/// Rows of a JSON array; the "line" of a row is its position (1-based) in the array.
fn read_json(text: &str) -> Result<(Vec<SlotRow>, Vec<LineProblem>), Error> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| Error::Invalid(format!("not a JSON array of slots: {e}")))?;
    let (mut rows, mut bad) = (Vec::new(), Vec::new());
    for (i, value) in values.into_iter().enumerate() {
        match serde_json::from_value::<FileRow>(value) {
            Ok(row) => rows.push(row.into_row(i + 1)),
            Err(e) => bad.push((i + 1, e.to_string())),
        }
    }
    Ok((rows, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = "Dune,2026-12-01 10:00,2026-12-01 12:40,Small,9";

    fn names(rows: &[SlotRow]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let csv = format!("\u{feff}name,start,end,hall,price\n{ROW}\n");
        let (rows, bad) = read_schedule(&csv, Format::Csv).expect("csv");
        assert_eq!((names(&rows), bad), (vec!["Dune"], vec![]));
        let json = "\u{feff}[{\"name\": \"Dune\", \"start\": \"2026-12-01 10:00\", \"end\": \"2026-12-01 12:40\", \"hall\": \"Small\"}]";
        let (rows, bad) = read_schedule(json, Format::Json).expect("json");
        assert_eq!((names(&rows), bad), (vec!["Dune"], vec![]));
    }

    #[test]
    fn a_byte_order_mark_elsewhere_is_text() {
        // Only the first is a mark; a second one is part of the name and refused there.
        let csv = format!("\u{feff}name,start,end,hall,price\n\u{feff}{ROW}\n");
        let (rows, _) = read_schedule(&csv, Format::Csv).expect("csv");
        assert_eq!(names(&rows), vec!["\u{feff}Dune"]);
        let problem = rows[0].to_new_slot().and_then(|s| s.validate(Default::default())).expect_err("refused");
        assert!(problem.to_string().starts_with("name contains an invisible"), "{problem}");
        assert!(read_schedule("\u{feff}\u{feff}[]", Format::Json).is_err());
    }
}
