//! Scheduling a slot: what a new slot must satisfy before it reaches the database, and how its
//! prices per seat category are worked out from what the admin typed.

use chrono::Duration;

use super::cards::{FIRST_TYPE, TypePrice};
use super::error::{Result, invalid};
use super::layout::Category;
use super::money::{Cents, parse_amount};
use super::text::{clean, clean_optional, excerpt};
use super::time::{Time, format_time};

/// The longest slot we accept; anything longer is almost surely a typo in a date.
const MAX_LENGTH_HOURS: i64 = 24;

/// The most characters a slot's title (its name) may have.
pub const TITLE_CHARS: usize = 100;

/// A price as typed: `9.50` for every category, or `Premium=12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceArg {
    All(Cents),
    For(Category, Cents),
}

impl PriceArg {
    pub fn parse(text: &str) -> Result<PriceArg> {
        match text.split_once('=') {
            Some((cat, amount)) => Ok(PriceArg::For(Category::parse(cat)?, parse_amount(amount)?)),
            None => Ok(PriceArg::All(parse_amount(text)?)),
        }
    }
}

/// A slot to schedule, checked by [`NewSlot::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    pub name: String,
    pub description: String,
    pub kind: String,
    pub genre: String,
    pub hall: String,
    pub start: Time,
    pub end: Time,
    /// Prices of the default ticket type; with a card, they override its rows.
    pub prices: Vec<PriceArg>,
    /// The price card to copy the show's prices from.
    pub card: Option<String>,
}

impl NewSlot {
    /// Tidies the text fields and refuses shows in the past, shows that end before they start,
    /// and shows longer than a day.
    pub fn validate(mut self, now: Time) -> Result<NewSlot> {
        self.name = clean("name", &self.name, TITLE_CHARS)?;
        self.description = clean_optional("description", Some(&self.description), 1000)?.unwrap_or_default();
        self.kind = clean_optional("type", Some(&self.kind), 30)?.unwrap_or_else(|| "Movie".into());
        self.genre = clean_optional("genre", Some(&self.genre), 30)?.unwrap_or_default();
        if self.end <= self.start {
            return Err(invalid(format!(
                "the slot ends ({}) before it starts ({})",
                format_time(&self.end),
                format_time(&self.start)
            )));
        }
        if self.end - self.start > Duration::hours(MAX_LENGTH_HOURS) {
            return Err(invalid(format!("a slot may last at most {MAX_LENGTH_HOURS} hours")));
        }
        if self.start < now {
            return Err(invalid(format!("the slot starts in the past ({})", format_time(&self.start))));
        }
        Ok(self)
    }

    /// The price of each seat category the hall has, for the default type. A category named
    /// in a price takes that; otherwise the bare price; Accessible seats otherwise cost what
    /// Regular ones do.
    pub fn resolve_prices(&self, categories: &[Category]) -> Result<Vec<(Category, Cents)>> {
        let prices = self.resolve_type_prices(categories, FIRST_TYPE, &[])?;
        Ok(prices.into_iter().map(|p| (p.category, p.amount)).collect())
    }

    /// Every price of the show: the default type for each category the hall has (typed
    /// prices first, then the card's, as [`NewSlot::resolve_prices`] says), and the card's
    /// other types for the categories the hall has.
    pub fn resolve_type_prices(
        &self,
        categories: &[Category],
        default_type: &str,
        card: &[TypePrice],
    ) -> Result<Vec<TypePrice>> {
        if self.prices.is_empty() && card.is_empty() {
            return Err(invalid(
                "a slot needs a price: --card NAME, --price 9.50, or per category --price Regular=9.50",
            ));
        }
        let named = |cat: Category| {
            self.prices.iter().rev().find_map(|p| match p {
                PriceArg::For(c, amount) if *c == cat => Some(*amount),
                _ => None,
            })
        };
        let all = self.prices.iter().rev().find_map(|p| match p {
            PriceArg::All(amount) => Some(*amount),
            PriceArg::For(..) => None,
        });
        let on_card = |cat: Category| {
            card.iter()
                .find(|p| p.category == cat && p.ticket_type.eq_ignore_ascii_case(default_type))
                .map(|p| p.amount)
        };
        let mut prices = Vec::new();
        for &cat in categories {
            let fallback = if cat == Category::Accessible {
                named(Category::Regular).or(on_card(Category::Regular))
            } else {
                None
            };
            let amount = named(cat).or(all).or(on_card(cat)).or(fallback).ok_or_else(|| match &self.card {
                Some(name) => invalid(format!(
                    "no {default_type} price for {cat} seats: add --price {cat}=AMOUNT, or set it on card '{}'",
                    excerpt(name)
                )),
                None => invalid(format!("no price for {cat} seats: add --price {cat}=AMOUNT")),
            })?;
            prices.push(TypePrice { ticket_type: default_type.to_string(), category: cat, amount });
        }
        prices.extend(
            card.iter()
                .filter(|p| !p.ticket_type.eq_ignore_ascii_case(default_type) && categories.contains(&p.category))
                .cloned(),
        );
        Ok(prices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_time;

    fn slot(start: &str, end: &str, prices: &[&str]) -> NewSlot {
        NewSlot {
            name: "Skyfall".into(),
            description: String::new(),
            kind: String::new(),
            genre: "Action".into(),
            hall: "Hall 1".into(),
            start: parse_time(start).expect("time"),
            end: parse_time(end).expect("time"),
            prices: prices.iter().map(|p| PriceArg::parse(p).expect("price")).collect(),
            card: None,
        }
    }

    #[test]
    fn refuses_past_backwards_and_overlong_slots() {
        let now = parse_time("2026-11-23 12:00").expect("time");
        assert!(slot("2026-11-23 11:00", "2026-11-23 13:00", &["9"]).validate(now).is_err());
        assert!(slot("2026-11-23 15:00", "2026-11-23 14:00", &["9"]).validate(now).is_err());
        assert!(slot("2026-11-23 15:00", "2026-11-23 15:00", &["9"]).validate(now).is_err());
        assert!(slot("2026-11-23 15:00", "2026-11-25 15:00", &["9"]).validate(now).is_err());
        let ok = slot("2026-11-23 15:00", "2026-11-23 17:00", &["9"]).validate(now).expect("valid");
        assert_eq!(ok.kind, "Movie");
    }

    #[test]
    fn resolves_prices_per_category() {
        let s = slot("2026-11-23 15:00", "2026-11-23 17:00", &["Regular=9.50", "Premium=12"]);
        let cats = [Category::Regular, Category::Premium, Category::Accessible];
        assert_eq!(
            s.resolve_prices(&cats),
            Ok(vec![(Category::Regular, 950), (Category::Premium, 1200), (Category::Accessible, 950)])
        );
        let s = slot("2026-11-23 15:00", "2026-11-23 17:00", &["Regular=9"]);
        assert!(s.resolve_prices(&[Category::Vip]).is_err());
        let s = slot("2026-11-23 15:00", "2026-11-23 17:00", &[]);
        assert!(s.resolve_prices(&cats).is_err());
        assert!(PriceArg::parse("Gold=9").is_err());
        assert!(PriceArg::parse("Regular=-9").is_err());
    }
}

/// One row of a schedule file (CSV or JSON), still as text, with its line number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotRow {
    pub line: usize,
    pub name: String,
    pub start: String,
    pub end: String,
    pub hall: String,
    pub genre: String,
    pub kind: String,
    pub description: String,
    /// "9.50", or per category "Regular=9;Premium=12".
    pub price: String,
    /// A price card's name (empty: none).
    pub card: String,
}

impl SlotRow {
    /// The slot this row asks for; every problem of the row in one message.
    pub fn to_new_slot(&self) -> Result<NewSlot> {
        let mut problems = Vec::new();
        let start = super::time::parse_time(&self.start).map_err(|e| problems.push(format!("start: {e}"))).ok();
        let end = super::time::parse_time(&self.end).map_err(|e| problems.push(format!("end: {e}"))).ok();
        let prices: Vec<PriceArg> = self
            .price
            .split(';')
            .filter(|p| !p.trim().is_empty())
            .filter_map(|p| PriceArg::parse(p).map_err(|e| problems.push(format!("price: {e}"))).ok())
            .collect();
        if self.hall.trim().is_empty() {
            problems.push("hall is empty".into());
        }
        match (start, end) {
            (Some(start), Some(end)) if problems.is_empty() => Ok(NewSlot {
                name: self.name.clone(),
                description: self.description.clone(),
                kind: self.kind.clone(),
                genre: self.genre.clone(),
                hall: self.hall.clone(),
                start,
                end,
                prices,
                card: Some(self.card.trim()).filter(|c| !c.is_empty()).map(str::to_string),
            }),
            _ => Err(invalid(problems.join("; "))),
        }
    }
}
