//! `ticketly copy`: a whole theatre from one database into an empty one, SQLite to PostgreSQL
//! and back. Rows keep their ids (codes, references and reports stay the same), the source is
//! read in one snapshot, and the target is written in one transaction that is kept only if the
//! target then passes the audit with the same counts and takings as the source.

use std::collections::BTreeMap;

use serde::Serialize;

use super::engine::{Arg, Engine, Value, args};
use super::{Audit, Error, Result, Store};
use crate::domain::error::{conflict, invalid};

/// Whether a column holds an integer or text (Ticketly's columns hold nothing else).
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
}
use Kind::{Int, Text};

/// The tables in an order that puts every referenced row before the rows referring to it
/// (ids ascending within a table: a rebooking's replacement comes after the ticket it replaces).
const TABLES: [(&str, &[(&str, Kind)]); 16] = [
    ("cinema", &[("id", Int), ("name", Text), ("city", Text)]),
    ("hall", &[("id", Int), ("cinema_id", Int), ("name", Text), ("layout", Text)]),
    (
        "seat",
        &[
            ("id", Int),
            ("hall_id", Int),
            ("row_label", Text),
            ("number", Int),
            ("category", Text),
            ("grid_row", Int),
            ("grid_col", Int),
        ],
    ),
    ("ticket_type", &[("name", Text), ("position", Int), ("is_default", Int)]),
    ("price_card", &[("card", Text), ("ticket_type", Text), ("category", Text), ("amount", Int)]),
    (
        "slot",
        &[
            ("id", Int),
            ("hall_id", Int),
            ("name", Text),
            ("description", Text),
            ("kind", Text),
            ("genre", Text),
            ("starts_at", Text),
            ("ends_at", Text),
            ("created_at", Text),
            ("card", Text),
        ],
    ),
    ("slot_price", &[("slot_id", Int), ("ticket_type", Text), ("category", Text), ("amount", Int)]),
    ("customer", &[("id", Int), ("name", Text), ("phone", Text)]),
    (
        "booking",
        &[
            ("id", Int),
            ("code", Text),
            ("slot_id", Int),
            ("customer_id", Int),
            ("method", Text),
            ("total", Int),
            ("operator", Text),
            ("created_at", Text),
        ],
    ),
    (
        "ticket",
        &[
            ("id", Int),
            ("code", Text),
            ("booking_id", Int),
            ("slot_id", Int),
            ("seat_id", Int),
            ("price", Int),
            ("status", Text),
            ("hold_expires_at", Text),
            ("created_at", Text),
            ("changed_at", Text),
            ("replaces_id", Int),
            ("ticket_type", Text),
        ],
    ),
    (
        "checkin",
        &[
            ("id", Int),
            ("ticket_id", Int),
            ("slot_id", Int),
            ("at", Text),
            ("door", Text),
            ("operator", Text),
            ("forced", Int),
            ("undone_at", Text),
            ("undone_by", Text),
        ],
    ),
    (
        "payment",
        &[
            ("id", Int),
            ("booking_id", Int),
            ("kind", Text),
            ("method", Text),
            ("amount", Int),
            ("tickets", Int),
            ("operator", Text),
            ("created_at", Text),
            ("ticket_type", Text),
        ],
    ),
    (
        "waitlist",
        &[
            ("id", Int),
            ("slot_id", Int),
            ("name", Text),
            ("phone", Text),
            ("seats", Int),
            ("status", Text),
            ("booking_id", Int),
            ("note", Text),
            ("created_at", Text),
            ("changed_at", Text),
        ],
    ),
    (
        "till_session",
        &[("id", Int), ("operator", Text), ("opened_at", Text), ("float", Int), ("closed_at", Text), ("counted", Int)],
    ),
    (
        "journal",
        &[
            ("id", Int),
            ("at", Text),
            ("operator", Text),
            ("action", Text),
            ("detail", Text),
            ("seq", Int),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    ),
    (
        "operator",
        &[
            ("name", Text),
            ("role", Text),
            ("pin_hash", Text),
            ("disabled", Int),
            ("failures", Int),
            ("locked_until", Text),
            ("created_at", Text),
        ],
    ),
];

/// One value of a copied row.
enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Arg for Cell {
    fn value(&self) -> Value<'_> {
        match self {
            Cell::Int(v) => v.value(),
            Cell::Text(v) => v.value(),
        }
    }
}

/// What was copied: rows per table, and the audit both sides passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopySummary {
    pub rows: BTreeMap<String, u64>,
    pub audit: Audit,
}

impl Store {
    /// Copies this whole database into `target`, which must be empty. `progress(done, total)`
    /// is told after every row.
    pub fn copy_to(&mut self, target: &mut Store, progress: &mut dyn FnMut(u64, u64)) -> Result<CopySummary> {
        if !target.is_empty()? {
            return Err(conflict("the target database is not empty: copy needs a new, empty one").into());
        }
        let source_audit = self.audit()?;
        if !source_audit.ok() {
            return Err(invalid(format!(
                "the source fails its audit ({}): repair it first",
                source_audit.problems().join("; ")
            ))
            .into());
        }
        let mut rows = BTreeMap::new();
        self.read(|source| {
            let mut total = 0;
            for (table, _) in TABLES {
                total += source.value::<i64>(&format!("SELECT COUNT(*) FROM {table}"), args![])? as u64;
            }
            let mark: String = source.value("SELECT done_through FROM expiry_mark WHERE id = 1", args![])?;
            target.all_or_nothing(|target| {
                target.write(|tx| {
                    // The new database's own first type gives way to the source's types.
                    tx.execute("DELETE FROM ticket_type", args![])?;
                    let mut done = 0;
                    for (table, columns) in TABLES {
                        let copied = copy_table(source, tx, table, columns, &mut |n| progress(done + n, total))?;
                        if columns[0].0 == "id" {
                            tx.follow_ids(table)?;
                        }
                        done += copied;
                        rows.insert(table.to_string(), copied);
                    }
                    tx.execute("UPDATE expiry_mark SET done_through = ?1 WHERE id = 1", args![mark])?;
                    Ok(())
                })?;
                // Checked before the transaction commits: a copy that does not add up is not kept.
                let copied_audit = target.audit()?;
                if !same_theatre(&source_audit, &copied_audit) {
                    return Err(Error::Database(format!(
                        "the copy does not match its source (audit: {}); nothing was kept",
                        copied_audit.problems().join("; ")
                    )));
                }
                Ok(())
            })
        })?;
        Ok(CopySummary { rows, audit: source_audit })
    }
}

/// The same counts and the same takings, and every invariant holding.
fn same_theatre(a: &Audit, b: &Audit) -> bool {
    b.ok()
        && (a.bookings, a.tickets, a.payments) == (b.bookings, b.tickets, b.payments)
        && a.tickets_by_status == b.tickets_by_status
        && (a.payments_net, a.ticket_value, a.report_net) == (b.payments_net, b.ticket_value, b.report_net)
}

fn copy_table(
    source: &dyn Engine,
    target: &dyn Engine,
    table: &str,
    columns: &[(&str, Kind)],
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let select = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names[0]);
    let insert = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
    let mut copied = 0;
    source.query(&select, args![], &mut |row| {
        let cells = columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                Ok(match kind {
                    Int => Cell::Int(row.get(i)?),
                    Text => Cell::Text(row.get(i)?),
                })
            })
            .collect::<Result<Vec<Cell>>>()?;
        let bound: Vec<&dyn Arg> = cells.iter().map(|c| c as &dyn Arg).collect();
        target.execute(&insert, &bound)?;
        copied += 1;
        progress(copied);
        Ok(())
    })?;
    Ok(copied)
}
