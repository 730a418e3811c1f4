//! A slot's seat map: every seat of the hall with its price and whether it can be sold now.

use super::error::{Result, invalid};
use super::layout::Category;
use super::money::Cents;
use super::text::excerpt;

/// Database id of a seat.
pub type SeatId = i64;

/// What a seat is, for one slot, at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeatStatus {
    Available,
    /// Held by a counter while its customer pays; not sellable until released or expired.
    Held,
    Booked,
}

impl SeatStatus {
    pub fn name(self) -> &'static str {
        match self {
            SeatStatus::Available => "available",
            SeatStatus::Held => "held",
            SeatStatus::Booked => "booked",
        }
    }
}

/// One seat of a slot's map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub id: SeatId,
    pub row_label: String,
    pub number: u32,
    pub category: Category,
    pub grid_row: u32,
    pub grid_col: u32,
    pub price: Cents,
    pub status: SeatStatus,
}

impl Seat {
    /// "A5": row label then seat number, as printed on the ticket.
    pub fn label(&self) -> String {
        seat_label(&self.row_label, self.number)
    }

    pub fn is_free(&self) -> bool {
        self.status == SeatStatus::Available
    }
}

/// "A5" from row "A" and number 5.
pub fn seat_label(row: &str, number: u32) -> String {
    format!("{row}{number}")
}

/// Splits "A5" or "aa12" into ("A", 5).
pub fn parse_seat_label(text: &str) -> Result<(String, u32)> {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
    let (row, num) = t.split_at(split);
    let bad = || invalid(format!("invalid seat '{}': write row then number, like A5", excerpt(text)));
    if row.is_empty() || row.len() > 2 || !row.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(bad());
    }
    let number: u32 = num.parse().map_err(|_| bad())?;
    if number == 0 {
        return Err(bad());
    }
    Ok((row.to_ascii_uppercase(), number))
}

/// Parses "A5,A6" into seat labels, refusing duplicates and empty lists.
pub fn parse_seat_list(text: &str) -> Result<Vec<(String, u32)>> {
    let mut seats = Vec::new();
    for part in text.split(',') {
        let seat = parse_seat_label(part)?;
        if seats.contains(&seat) {
            return Err(invalid(format!("seat '{}' is named twice", seat_label(&seat.0, seat.1))));
        }
        seats.push(seat);
    }
    Ok(seats)
}

/// Every seat of one slot, ordered front row first, left to right.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeatMap {
    pub seats: Vec<Seat>,
    /// When the first hold shown on this map runs out, making it stale without anyone writing:
    /// an open counter reads the map again then, so another counter's lapsed hold shows free
    /// at once, in the grid and for best N.
    pub stale_at: Option<crate::domain::time::Time>,
}

impl SeatMap {
    pub fn new(mut seats: Vec<Seat>) -> SeatMap {
        seats.sort_by_key(|s| (s.grid_row, s.grid_col));
        SeatMap { seats, stale_at: None }
    }

    pub fn free_count(&self) -> usize {
        self.seats.iter().filter(|s| s.is_free()).count()
    }

    pub fn find(&self, row: &str, number: u32) -> Option<&Seat> {
        self.seats.iter().find(|s| s.row_label == row && s.number == number)
    }

    pub fn by_id(&self, id: SeatId) -> Option<&Seat> {
        self.seats.iter().find(|s| s.id == id)
    }

    /// The grid's size in (rows, columns), for drawing.
    pub fn grid_size(&self) -> (u32, u32) {
        let rows = self.seats.iter().map(|s| s.grid_row + 1).max().unwrap_or(0);
        let cols = self.seats.iter().map(|s| s.grid_col + 1).max().unwrap_or(0);
        (rows, cols)
    }

    /// The categories present and the price of each, for a legend.
    pub fn prices(&self) -> Vec<(Category, Cents)> {
        let mut prices: Vec<(Category, Cents)> = Vec::new();
        for s in &self.seats {
            if !prices.iter().any(|(c, _)| *c == s.category) {
                prices.push((s.category, s.price));
            }
        }
        prices.sort();
        prices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seat_labels() {
        assert_eq!(parse_seat_label("a5"), Ok(("A".into(), 5)));
        assert_eq!(parse_seat_label("AB12"), Ok(("AB".into(), 12)));
        for bad in ["", "5", "A", "A0", "A-1", "ABC1", "A5x", "Ä5"] {
            assert!(parse_seat_label(bad).is_err(), "{bad}");
        }
        assert!(parse_seat_list("A5,A5").is_err());
        assert_eq!(parse_seat_list("A5, B6").map(|v| v.len()), Ok(2));
    }
}
