//! `slot import`: a whole schedule at once, all or nothing, without keeping the counters
//! waiting. Every row is checked first, outside any write lock: its text and times, its hall
//! and prices, and overlaps, both among the file's rows (sorted by start, per hall) and with
//! the shows already scheduled (read once per hall, then binary-searched). Only a file with no
//! bad row is then written, in one short transaction; a show another process scheduled
//! meanwhile is caught there by the database's own overlap rule, and nothing is kept.

use std::collections::HashMap;

use super::cards::{Pricer, insert_prices};
use super::engine::{Arg, Engine, args, placeholders};
use super::halls::hall_id;
use super::slots::{announce_slot, clash, hall_categories};
use super::{Error, Result, Store};
use crate::domain::cards::TypePrice;
use crate::domain::layout::Category;
use crate::domain::model::SlotId;
use crate::domain::schedule::NewSlot;
use crate::domain::time::{Time, format_time, read_store_time, store_time};

/// A row that passed every check: where it goes and what it costs.
struct Planned {
    line: usize,
    hall: i64,
    slot: NewSlot,
    card: Option<String>,
    prices: Vec<TypePrice>,
}

/// A bad row: its line number and what is wrong with it.
type Refusal = (usize, String);

impl Store {
    /// Schedules many slots: all of them, or (when any row is refused) none, with every refused
    /// row named by its line. `progress` is told how many rows were checked. With `check_only`
    /// nothing is written.
    pub fn import_slots(
        &mut self,
        rows: &[(usize, NewSlot)],
        now: Time,
        check_only: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Result<usize, Vec<Refusal>>> {
        let mut refused = Vec::new();
        let mut valid = Vec::new();
        for (line, request) in rows {
            match request.clone().validate(now) {
                Ok(slot) => valid.push((*line, slot)),
                Err(e) => refused.push((*line, e.to_string())),
            }
        }
        let planned = self.read(|tx| plan(tx, valid, &mut refused, progress))?;
        if !refused.is_empty() {
            return Ok(Err(refused));
        }
        if check_only {
            return Ok(Ok(0));
        }
        let mut failed_batch = 0..0;
        let written = self.write(|tx| {
            // Many rows a statement: one round trip per batch, not per show, on PostgreSQL.
            for (index, batch) in planned.chunks(BATCH).enumerate() {
                failed_batch = index * BATCH..index * BATCH + batch.len();
                insert_batch(tx, batch, now)?;
            }
            Ok(planned.len())
        });
        match written {
            Ok(count) => Ok(Ok(count)),
            Err(Error::Domain(e)) => {
                // The database's overlap rule refused the batch: name the row, read afresh.
                let rows = &planned[failed_batch];
                let line = self.read(|tx| {
                    for row in rows {
                        if clash(tx, row.hall, row.slot.start, row.slot.end)?.is_some() {
                            return Ok(Some(row.line));
                        }
                    }
                    Ok(None)
                })?;
                let line = line.or(rows.first().map(|r| r.line)).unwrap_or_default();
                Ok(Err(vec![(line, format!("{e} (a show scheduled meanwhile?)"))]))
            }
            Err(other) => Err(other),
        }
    }
}

/// Shows inserted a statement (9 values each, well inside both engines' parameter limits).
const BATCH: usize = 500;

/// Inserts `rows` and their prices with one multi-row statement each, then tells live screens.
fn insert_batch(tx: &dyn Engine, rows: &[Planned], now: Time) -> Result<()> {
    let created = store_time(&now);
    let times: Vec<(String, String)> =
        rows.iter().map(|r| (store_time(&r.slot.start), store_time(&r.slot.end))).collect();
    let mut values: Vec<&dyn Arg> = Vec::with_capacity(rows.len() * 9);
    for (row, (start, end)) in rows.iter().zip(&times) {
        let s = &row.slot;
        values.extend([
            &row.hall as &dyn Arg,
            &s.name,
            &s.description,
            &s.kind,
            &s.genre,
            start,
            end,
            &created,
            &row.card,
        ]);
    }
    let sql = format!(
        "INSERT INTO slot (hall_id, name, description, kind, genre, starts_at, ends_at, created_at, card) VALUES {}
         RETURNING id, hall_id, starts_at",
        placeholders(rows.len(), 9)
    );
    // Shows of a hall never share a start, so (hall, start) names each new row.
    let ids: HashMap<(i64, String), SlotId> =
        tx.query_vec(&sql, &values, |r| Ok(((r.get(1)?, r.get(2)?), r.get(0)?)))?.into_iter().collect();
    let mut prices: Vec<(SlotId, &TypePrice)> = Vec::new();
    for (row, (start, _)) in rows.iter().zip(&times) {
        let id = *ids
            .get(&(row.hall, start.clone()))
            .ok_or_else(|| Error::Database("an imported show went missing".into()))?;
        prices.extend(row.prices.iter().map(|p| (id, p)));
    }
    insert_prices(tx, &prices)?;
    match ids.values().min() {
        Some(first) => announce_slot(tx, *first),
        None => Ok(()),
    }
}

/// Checks each row against the database (hall, prices) and against every other row and the
/// shows already scheduled (overlaps), in one read transaction. Refused rows are added to
/// `refused`; the rest come back ready to insert.
fn plan(
    tx: &dyn Engine,
    rows: Vec<(usize, NewSlot)>,
    refused: &mut Vec<Refusal>,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Planned>> {
    let mut halls: HashMap<String, Option<(i64, Vec<Category>)>> = HashMap::new();
    let mut pricer = Pricer::new(tx)?;
    let mut planned = Vec::new();
    for (done, (line, slot)) in rows.into_iter().enumerate() {
        progress(done + 1);
        let key = slot.hall.trim().to_lowercase();
        if !halls.contains_key(&key) {
            let found = match hall_id(tx, &slot.hall) {
                Ok(id) => Some((id, hall_categories(tx, id)?)),
                Err(Error::Domain(_)) => None,
                Err(other) => return Err(other),
            };
            halls.insert(key.clone(), found);
        }
        let Some(Some((hall, categories))) = halls.get(&key) else {
            refused.push((line, format!("no hall named '{}' (see: ticketly hall list)", slot.hall)));
            continue;
        };
        match pricer.price(tx, &slot, categories) {
            Ok((card, prices)) => planned.push(Planned { line, hall: *hall, slot, card, prices }),
            Err(Error::Domain(e)) => refused.push((line, e.to_string())),
            Err(other) => return Err(other),
        }
    }
    let mut by_hall: HashMap<i64, Vec<usize>> = HashMap::new();
    for (index, row) in planned.iter().enumerate() {
        by_hall.entry(row.hall).or_default().push(index);
    }
    let mut overlapping = vec![false; planned.len()];
    for (hall, mut indexes) in by_hall {
        indexes.sort_by_key(|i| (planned[*i].slot.start, planned[*i].line));
        let (Some(first), Some(last)) = (indexes.first(), indexes.iter().map(|i| planned[*i].slot.end).max()) else {
            continue;
        };
        let scheduled = scheduled_between(tx, hall, planned[*first].slot.start, last)?;
        // The row (index) that ends last among those before this one in start order.
        let mut latest: Option<usize> = None;
        for &i in &indexes {
            let row = &planned[i];
            if let Some(j) = latest.filter(|j| planned[*j].slot.end > row.slot.start) {
                let other = &planned[j];
                let what = format!(
                    "overlaps line {} ('{}' at {})",
                    other.line,
                    other.slot.name,
                    format_time(&other.slot.start)
                );
                refused.push((row.line, format!("{what} in hall '{}'", row.slot.hall)));
                overlapping[i] = true;
            }
            // Shows already scheduled do not overlap each other, so the last one starting
            // before this row ends is the only one that can run into it.
            let before_end = scheduled.partition_point(|(start, _, _)| *start < row.slot.end);
            if let Some((start, end, name)) = before_end.checked_sub(1).map(|k| &scheduled[k])
                && *end > row.slot.start
                && !overlapping[i]
            {
                refused.push((
                    row.line,
                    format!("hall '{}' already has '{name}' at {} then", row.slot.hall, format_time(start)),
                ));
                overlapping[i] = true;
            }
            if latest.is_none_or(|j| row.slot.end > planned[j].slot.end) {
                latest = Some(i);
            }
        }
    }
    Ok(planned.into_iter().zip(overlapping).filter(|(_, o)| !o).map(|(row, _)| row).collect())
}

/// The shows of `hall` that may overlap `from`..`to`, by start: those starting before `to`
/// from the last one starting before `from` on (index range of slot_by_hall).
fn scheduled_between(tx: &dyn Engine, hall: i64, from: Time, to: Time) -> Result<Vec<(Time, Time, String)>> {
    let first: Option<String> = tx.query_opt(
        "SELECT starts_at FROM slot WHERE hall_id = ?1 AND starts_at < ?2 ORDER BY starts_at DESC LIMIT 1",
        args![hall, store_time(&from)],
        |r| r.get(0),
    )?;
    let rows: Vec<(String, String, String)> = tx.query_vec(
        "SELECT starts_at, ends_at, name FROM slot WHERE hall_id = ?1 AND starts_at >= ?2 AND starts_at < ?3
          ORDER BY starts_at",
        args![hall, first.unwrap_or_else(|| store_time(&from)), store_time(&to)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    rows.into_iter().map(|(s, e, name)| Ok((read_store_time(&s)?, read_store_time(&e)?, name))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::PriceArg;
    use crate::store::test_support::{each_engine, small_show, t};

    fn row(line: usize, name: &str, start: &str, end: &str) -> (usize, NewSlot) {
        let slot = NewSlot {
            name: name.into(),
            description: String::new(),
            kind: "Movie".into(),
            genre: String::new(),
            hall: "small".into(),
            start: t(start),
            end: t(end),
            prices: vec![PriceArg::All(900)],
            card: None,
        };
        (line, slot)
    }

    #[test]
    fn overlaps_within_the_file_and_with_the_schedule_are_named_and_nothing_is_kept() {
        each_engine(|db| {
            // Avatar is on 2026-11-23 20:00-22:00 in hall Small.
            let (mut store, _) = small_show(db, 1, 4);
            let now = t("2026-11-23 10:00");
            let rows = vec![
                row(2, "Long", "2026-11-24 10:00", "2026-11-24 20:00"),
                row(3, "Fine", "2026-11-25 10:00", "2026-11-25 12:00"),
                // Inside Long, though Fine (sorted between them) does not overlap it.
                row(4, "Inside", "2026-11-24 18:00", "2026-11-24 19:00"),
                row(5, "Late", "2026-11-23 21:30", "2026-11-23 23:00"),
                row(6, "Early", "2026-11-23 18:00", "2026-11-23 20:30"),
            ];
            let before = store.slots(&Default::default(), now).expect("slots").len();
            let refused = store.import_slots(&rows, now, false, &mut |_| {}).expect("import").expect_err("refused");
            let lines: Vec<usize> = {
                let mut l: Vec<usize> = refused.iter().map(|r| r.0).collect();
                l.sort();
                l
            };
            assert_eq!(lines, vec![4, 5, 6], "{refused:?}");
            assert!(refused.iter().any(|(l, m)| *l == 4 && m.contains("overlaps line 2")), "{refused:?}");
            assert!(refused.iter().any(|(l, m)| *l == 5 && m.contains("already has 'Avatar'")), "{refused:?}");
            assert!(refused.iter().any(|(l, m)| *l == 6 && m.contains("already has 'Avatar'")), "{refused:?}");
            assert_eq!(store.slots(&Default::default(), now).expect("slots").len(), before, "nothing kept");
            let good = vec![rows[0].clone(), rows[1].clone()];
            assert_eq!(store.import_slots(&good, now, false, &mut |_| {}).expect("import"), Ok(2));
            assert_eq!(store.slots(&Default::default(), now).expect("slots").len(), before + 2);
        });
    }

    #[test]
    fn the_database_refuses_an_overlap_by_itself_with_a_probe_per_side() {
        each_engine(|db| {
            let (mut store, _) = small_show(db, 1, 4);
            let hall: i64 = store.read(|tx| tx.value("SELECT hall_id FROM slot", args![])).expect("hall");
            // Straight into the table, past every check of the program: the schema's rule holds.
            for (start, end) in
                [("2026-11-23 19:00:00", "2026-11-23 20:30:00"), ("2026-11-23 21:59:00", "2026-11-24 01:00:00")]
            {
                let sql = format!(
                    "INSERT INTO slot (hall_id, name, starts_at, ends_at, created_at)
                     VALUES ({hall}, 'Sneak', '{start}', '{end}', '2026-11-23 10:00:00')"
                );
                let refused = store.write(|tx| tx.batch(&sql)).expect_err("overlap");
                assert_eq!(refused.exit_code(), 4, "{refused}");
            }
            let sql = format!(
                "INSERT INTO slot (hall_id, name, starts_at, ends_at, created_at)
                 VALUES ({hall}, 'After', '2026-11-23 22:00:00', '2026-11-23 23:00:00', '2026-11-23 10:00:00')"
            );
            store.write(|tx| tx.batch(&sql)).expect("back to back is fine");
        });
    }
}
