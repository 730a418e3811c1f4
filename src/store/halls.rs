//! Cinemas and halls, with the seats a hall's layout defines.

use super::engine::{Engine, Row, args};

use super::{Result, Store};
use crate::domain::error::{Error, conflict, not_found};
use crate::domain::layout::HallLayout;
use crate::domain::text::{clean, excerpt};

/// A hall as `hall list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HallSummary {
    pub id: i64,
    pub name: String,
    pub cinema: String,
    pub city: String,
    pub seats: usize,
}

/// A cinema of the chain, with what it has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CinemaSummary {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub halls: usize,
    pub seats: usize,
}

impl Store {
    /// Every cinema, by city then name.
    pub fn cinemas(&mut self) -> Result<Vec<CinemaSummary>> {
        self.read(|tx| {
            tx.query_vec(
                "SELECT c.id, c.name, c.city,
                        (SELECT COUNT(*) FROM hall h WHERE h.cinema_id = c.id),
                        (SELECT COUNT(*) FROM seat s JOIN hall h ON h.id = s.hall_id WHERE h.cinema_id = c.id)
                   FROM cinema c ORDER BY c.city, c.name",
                args![],
                |r| {
                    Ok(CinemaSummary {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        city: r.get(2)?,
                        halls: r.get(3)?,
                        seats: r.get(4)?,
                    })
                },
            )
        })
    }

    /// The cinema of this name (any case): a counter's own, checked when it starts.
    pub fn cinema_named(&mut self, name: &str) -> Result<CinemaSummary> {
        let all = self.cinemas()?;
        all.into_iter()
            .find(|c| c.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| not_found(format!("no cinema named '{}' (see: ticketly cinema list)", name.trim())).into())
    }

    /// Adds a cinema; names are unique.
    pub fn add_cinema(&mut self, name: &str, city: &str) -> Result<i64> {
        let name = clean("cinema name", name, 100)?;
        let city = clean("city", city, 100)?;
        self.write(|tx| {
            if cinema_id(tx, &name)?.is_some() {
                return Err(conflict(format!("cinema '{name}' already exists")).into());
            }
            tx.insert("INSERT INTO cinema (name, city) VALUES (?1, ?2) RETURNING id", args![name, city])
        })
    }

    /// Adds a hall and its seats. Without `cinema`, the only cinema is used (and one must exist).
    pub fn add_hall(&mut self, cinema: Option<&str>, name: &str, layout: &HallLayout) -> Result<HallSummary> {
        let name = clean("hall name", name, 60)?;
        self.write(|tx| {
            let cinema_id = match cinema {
                Some(c) => cinema_id(tx, c)?.ok_or_else(|| not_found(format!("no cinema named '{}'", excerpt(c))))?,
                None => only_cinema(tx)?,
            };
            let taken: Option<i64> =
                tx.query_opt("SELECT id FROM hall WHERE lower(name) = lower(?1)", args![name], |r| r.get(0))?;
            if taken.is_some() {
                return Err(conflict(format!("hall '{name}' already exists")).into());
            }
            let hall_id = tx.insert(
                "INSERT INTO hall (cinema_id, name, layout) VALUES (?1, ?2, ?3) RETURNING id",
                args![cinema_id, name, layout.to_text()],
            )?;
            for s in layout.seats() {
                tx.execute(
                    "INSERT INTO seat (hall_id, row_label, number, category, grid_row, grid_col)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    args![hall_id, s.row_label, s.number, s.category.name(), s.grid_row, s.grid_col],
                )?;
            }
            hall_by_id(tx, hall_id)
        })
    }

    /// Every hall with its cinema and seat count.
    pub fn halls(&mut self) -> Result<Vec<HallSummary>> {
        self.read(|tx| tx.query_vec(&format!("{HALL_SELECT} ORDER BY c.name, h.name"), args![], hall_row))
    }

    /// Whether the database holds any cinema yet (a fresh file holds none).
    pub fn is_empty(&mut self) -> Result<bool> {
        let n: i64 = self.read(|tx| tx.value("SELECT COUNT(*) FROM cinema", args![]))?;
        Ok(n == 0)
    }
}

const HALL_SELECT: &str = "SELECT h.id, h.name, c.name, c.city, (SELECT COUNT(*) FROM seat s WHERE s.hall_id = h.id)
     FROM hall h JOIN cinema c ON c.id = h.cinema_id";

fn hall_row(r: &Row) -> Result<HallSummary> {
    Ok(HallSummary { id: r.get(0)?, name: r.get(1)?, cinema: r.get(2)?, city: r.get(3)?, seats: r.get(4)? })
}

fn hall_by_id(tx: &dyn Engine, id: i64) -> Result<HallSummary> {
    tx.query_row(&format!("{HALL_SELECT} WHERE h.id = ?1"), args![id], hall_row)
}

/// The id of the hall named `name` (case-insensitive).
pub(super) fn hall_id(tx: &dyn Engine, name: &str) -> Result<i64> {
    tx.query_opt("SELECT id FROM hall WHERE lower(name) = lower(?1)", args![name.trim()], |r| r.get(0))?
        .ok_or_else(|| not_found(format!("no hall named '{}' (see: ticketly hall list)", excerpt(name))).into())
}

fn cinema_id(tx: &dyn Engine, name: &str) -> Result<Option<i64>> {
    tx.query_opt("SELECT id FROM cinema WHERE name = ?1", args![name.trim()], |r| r.get(0))
}

fn only_cinema(tx: &dyn Engine) -> Result<i64> {
    let cinemas: Vec<(i64, String)> =
        tx.query_vec("SELECT id, name FROM cinema ORDER BY name", args![], |r| Ok((r.get(0)?, r.get(1)?)))?;
    match cinemas.as_slice() {
        [(id, _)] => Ok(*id),
        [] => {
            Err(Error::NotFound("no cinema yet: add one with 'ticketly cinema add --name NAME --city CITY'".into())
                .into())
        }
        several => {
            let names: Vec<&str> = several.iter().map(|(_, name)| name.as_str()).collect();
            Err(Error::Invalid(format!(
                "there are several cinemas ({}): say which with --cinema NAME",
                names.join(", ")
            ))
            .into())
        }
    }
}
