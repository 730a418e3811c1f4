//! Converting a database written before times were instants (schema version 6): every time it
//! holds was the theatre's wall-clock time, and becomes the UTC instant the theatre's clocks
//! showed then, in one transaction, the first time a program that knows the zone opens it
//! with write access. The `time_zone` row says that it was done, and from which zone.

use super::engine::{Engine, args};
use super::{Error, Result, Store};
use crate::domain::time::{Zone, from_local, read_store_time, store_time, zone};

/// The time columns of each table, by its key.
const TIME_COLUMNS: [(&str, &[&str]); 8] = [
    // First: the slots' triggers compare a moved end with the mark, which must be UTC by then.
    ("expiry_mark", &["done_through"]),
    ("slot", &["starts_at", "ends_at", "created_at"]),
    ("booking", &["created_at"]),
    ("ticket", &["hold_expires_at", "created_at", "changed_at"]),
    ("payment", &["created_at"]),
    ("waitlist", &["created_at", "changed_at"]),
    ("till_session", &["opened_at", "closed_at"]),
    ("journal", &["at"]),
];

/// The zone the stored times were converted from; '' while they are still wall-clock times.
const CONVERTED: &str = "SELECT converted FROM time_zone WHERE id = 1";

impl Store {
    /// Converts the stored times to instants if that is still to do (see the module docs).
    pub(super) fn convert_to_instants(&mut self) -> Result<()> {
        let converted: String = self.read(|tx| tx.value(CONVERTED, args![]))?;
        if !converted.is_empty() {
            return Ok(());
        }
        let zone = zone();
        self.write(|tx| {
            // Another process may have done it while this one waited for the lock.
            let converted: String = tx.value(CONVERTED, args![])?;
            if !converted.is_empty() {
                return Ok(());
            }
            for (table, columns) in TIME_COLUMNS {
                convert_table(tx, table, columns)?;
            }
            let name = match zone {
                Zone::Machine => "machine".to_string(),
                Zone::Named(tz) => tz.name().to_string(),
            };
            tx.execute("UPDATE time_zone SET converted = ?1 WHERE id = 1", args![name])?;
            Ok(())
        })
    }
}

fn convert_table(tx: &dyn Engine, table: &str, columns: &[&str]) -> Result<()> {
    let select = format!("SELECT id, {} FROM {table} ORDER BY {}, id", columns.join(", "), columns[0]);
    let mut rows: Vec<(i64, Vec<Option<String>>)> = tx.query_vec(&select, args![], |r| {
        let values = (1..=columns.len()).map(|i| r.get::<Option<String>>(i)).collect::<Result<Vec<_>>>()?;
        Ok((r.get(0)?, values))
    })?;
    // Shows move together; PostgreSQL checks that no two overlap after each row's update, so
    // they move in the order that never lets one run into the next: earliest first when the
    // zone is ahead of UTC (times move earlier), latest first when behind.
    let moves_later = rows
        .iter()
        .find_map(|(_, v)| v[0].as_deref().filter(|t| !t.is_empty()))
        .map(read_store_time)
        .transpose()?
        .is_some_and(|t| from_local(&t) > t);
    if moves_later {
        rows.reverse();
    }
    let set: Vec<String> = columns.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
    let update = format!("UPDATE {table} SET {} WHERE id = ?1", set.join(", "));
    for (id, values) in rows {
        let converted = values
            .iter()
            .map(|v| match v.as_deref() {
                // '' is the expiry mark's "before every time".
                None | Some("") => Ok(v.clone()),
                Some(text) => Ok(Some(store_time(&from_local(&read_store_time(text)?)))),
            })
            .collect::<Result<Vec<Option<String>>, Error>>()?;
        let mut bound: Vec<&dyn super::engine::Arg> = vec![&id];
        bound.extend(converted.iter().map(|v| v as &dyn super::engine::Arg));
        tx.execute(&update, &bound)?;
    }
    Ok(())
}
