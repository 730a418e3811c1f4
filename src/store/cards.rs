//! Ticket types and price cards: setting, listing and removing a card's rows, the theatre's
//! types and which one is the default, and pricing a new show from a card (its prices are
//! copied, so editing the card later never reprices it).

use std::collections::HashMap;

use super::engine::{Arg, Engine, args, placeholders};
use super::{Result, Store};
use crate::domain::cards::{TypePrice, clean_card_name, clean_type_name};
use crate::domain::error::{invalid, not_found};
use crate::domain::layout::Category;
use crate::domain::model::SlotId;
use crate::domain::money::Cents;
use crate::domain::schedule::NewSlot;
use crate::domain::text::excerpt;

/// One row of a price card, as `card list` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CardPrice {
    pub card: String,
    #[serde(flatten)]
    pub price: TypePrice,
}

/// A ticket type of the theatre, in its order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TicketType {
    pub name: String,
    pub default: bool,
}

impl Store {
    /// Adds or changes one type's row of a card: its price in each category given. A type the
    /// theatre does not have yet is added (after the others); its name comes back then.
    pub fn card_set(&mut self, card: &str, ticket_type: &str, prices: &[(Category, Cents)]) -> Result<Option<String>> {
        let card = clean_card_name(card)?;
        let ticket_type = clean_type_name(ticket_type)?;
        if prices.is_empty() {
            return Err(invalid("give the type's prices: --price CATEGORY=AMOUNT (one per category)").into());
        }
        self.write(|tx| {
            let card = existing_card(tx, &card)?.unwrap_or(card.clone());
            let mut added = None;
            let ticket_type = match existing_type(tx, &ticket_type)? {
                Some(found) => found,
                None => {
                    // A new type reads as the others do: "child" becomes "Child".
                    let mut chars = ticket_type.chars();
                    let ticket_type: String =
                        chars.next().into_iter().flat_map(char::to_uppercase).chain(chars).collect();
                    tx.execute(
                        "INSERT INTO ticket_type (name, position, is_default)
                         SELECT CAST(?1 AS TEXT), COALESCE(MAX(position), 0) + 1, 0 FROM ticket_type",
                        args![ticket_type],
                    )?;
                    added = Some(ticket_type.clone());
                    ticket_type.clone()
                }
            };
            for (category, amount) in prices {
                tx.execute(
                    "INSERT INTO price_card (card, ticket_type, category, amount) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (card, ticket_type, category) DO UPDATE SET amount = excluded.amount",
                    args![card, ticket_type, category.name(), amount],
                )?;
            }
            Ok(added)
        })
    }

    /// Every card's rows (or one card's), by card, then type in the theatre's order, then
    /// category.
    pub fn cards(&mut self, card: Option<&str>) -> Result<Vec<CardPrice>> {
        self.read(|tx| {
            let rows = match card {
                Some(name) => {
                    let found = existing_card(tx, name)?.ok_or_else(|| {
                        not_found(format!("no price card '{}' (see: ticketly card list)", excerpt(name)))
                    })?;
                    card_rows(tx, Some(&found))?
                }
                None => card_rows(tx, None)?,
            };
            Ok(rows)
        })
    }

    /// Removes a card, or one type's row of it; returns how many prices went. Shows priced
    /// from it keep their prices.
    pub fn card_remove(&mut self, card: &str, ticket_type: Option<&str>) -> Result<usize> {
        self.write(|tx| {
            let found = existing_card(tx, card)?
                .ok_or_else(|| not_found(format!("no price card '{}' (see: ticketly card list)", excerpt(card))))?;
            let removed = match ticket_type {
                Some(t) => tx.execute(
                    "DELETE FROM price_card WHERE card = ?1 AND lower(ticket_type) = lower(?2)",
                    args![found, t.trim()],
                )?,
                None => tx.execute("DELETE FROM price_card WHERE card = ?1", args![found])?,
            };
            if removed == 0 {
                let t = ticket_type.unwrap_or_default();
                return Err(not_found(format!("card '{found}' has no {} row", excerpt(t.trim()))).into());
            }
            Ok(removed)
        })
    }

    /// The theatre's ticket types, in order.
    pub fn ticket_types(&mut self) -> Result<Vec<TicketType>> {
        self.read(|tx| {
            tx.query_vec("SELECT name, is_default FROM ticket_type ORDER BY position, name", args![], |r| {
                Ok(TicketType { name: r.get(0)?, default: r.get::<i64>(1)? == 1 })
            })
        })
    }

    /// Makes `ticket_type` the type a sale sells unless it names another.
    pub fn set_default_type(&mut self, ticket_type: &str) -> Result<String> {
        self.write(|tx| {
            let found = existing_type(tx, ticket_type)?.ok_or_else(|| {
                not_found(format!("no ticket type '{}' (add it with ticketly card set)", excerpt(ticket_type.trim())))
            })?;
            // Two statements: one would briefly hold two defaults, which the index refuses.
            tx.execute("UPDATE ticket_type SET is_default = 0 WHERE is_default = 1", args![])?;
            tx.execute("UPDATE ticket_type SET is_default = 1 WHERE name = ?1", args![found])?;
            Ok(found)
        })
    }
}

fn existing_card(tx: &dyn Engine, name: &str) -> Result<Option<String>> {
    tx.query_opt("SELECT card FROM price_card WHERE lower(card) = lower(?1) LIMIT 1", args![name.trim()], |r| r.get(0))
}

fn existing_type(tx: &dyn Engine, name: &str) -> Result<Option<String>> {
    tx.query_opt("SELECT name FROM ticket_type WHERE lower(name) = lower(?1)", args![name.trim()], |r| r.get(0))
}

fn card_rows(tx: &dyn Engine, card: Option<&str>) -> Result<Vec<CardPrice>> {
    let rows: Vec<(String, String, String, Cents)> = tx.query_vec(
        "SELECT p.card, p.ticket_type, p.category, p.amount FROM price_card p
           JOIN ticket_type tt ON tt.name = p.ticket_type
          WHERE CAST(?1 AS TEXT) IS NULL OR p.card = ?1
          ORDER BY lower(p.card), tt.position,
                CASE p.category WHEN 'Regular' THEN 1 WHEN 'Premium' THEN 2 WHEN 'Accessible' THEN 3 ELSE 4 END",
        args![card],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|(card, ticket_type, category, amount)| {
            let category = Category::parse(&category).ok()?;
            Some(CardPrice { card, price: TypePrice { ticket_type, category, amount } })
        })
        .collect())
}

/// Prices new shows: the theatre's default type, and the cards read so far (an import prices
/// thousands of shows from a few cards).
pub(super) struct Pricer {
    default_type: String,
    cards: HashMap<String, Option<(String, Vec<TypePrice>)>>,
}

impl Pricer {
    pub fn new(tx: &dyn Engine) -> Result<Pricer> {
        let default_type = tx
            .query_opt("SELECT name FROM ticket_type WHERE is_default = 1", args![], |r| r.get(0))?
            .unwrap_or_else(|| crate::domain::cards::FIRST_TYPE.to_string());
        Ok(Pricer { default_type, cards: HashMap::new() })
    }

    /// The card's name as stored and the show's prices, or why the show cannot be priced.
    pub fn price(
        &mut self,
        tx: &dyn Engine,
        slot: &NewSlot,
        categories: &[Category],
    ) -> Result<(Option<String>, Vec<TypePrice>)> {
        let card = match &slot.card {
            None => None,
            Some(name) => {
                let key = name.trim().to_lowercase();
                if !self.cards.contains_key(&key) {
                    let found = match existing_card(tx, name)? {
                        Some(card) => {
                            let rows = card_rows(tx, Some(&card))?.into_iter().map(|p| p.price).collect();
                            Some((card, rows))
                        }
                        None => None,
                    };
                    self.cards.insert(key.clone(), found);
                }
                match &self.cards[&key] {
                    Some(found) => Some(found),
                    None => {
                        return Err(
                            invalid(format!("no price card '{}' (see: ticketly card list)", excerpt(name))).into()
                        );
                    }
                }
            }
        };
        let rows = card.map_or(&[][..], |(_, rows)| rows.as_slice());
        let prices = slot.resolve_type_prices(categories, &self.default_type, rows)?;
        Ok((card.map(|(name, _)| name.clone()), prices))
    }
}

/// Inserts shows' prices, many rows a statement.
pub(super) fn insert_prices(tx: &dyn Engine, prices: &[(SlotId, &TypePrice)]) -> Result<()> {
    for chunk in prices.chunks(1000) {
        let names: Vec<&str> = chunk.iter().map(|(_, p)| p.category.name()).collect();
        let values: Vec<&dyn Arg> = chunk
            .iter()
            .zip(&names)
            .flat_map(|((id, p), category)| [id as &dyn Arg, &p.ticket_type, category, &p.amount])
            .collect();
        let sql = format!(
            "INSERT INTO slot_price (slot_id, ticket_type, category, amount) VALUES {}",
            placeholders(chunk.len(), 4)
        );
        tx.execute(&sql, &values)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::SeatRequest;
    use crate::domain::policy::Policy;
    use crate::store::test_support::{each_engine, small_show, t, walk_in};

    #[test]
    fn the_database_refuses_a_ticket_whose_type_its_show_does_not_price() {
        each_engine(|db| {
            let (mut store, slot) = small_show(db, 1, 4);
            store.card_set("Evening", "Child", &[(Category::Regular, 650)]).expect("card");
            let sale = store.sell(&walk_in(slot, SeatRequest::Count(1)), t("2026-11-23 12:00"), &Policy::default());
            let code = sale.expect("sale").tickets[0].code.clone();
            // Straight into the table, past every check of the program: the show prices Adult
            // only (it was not priced from the card), so a Child ticket is refused.
            let sql = format!("UPDATE ticket SET ticket_type = 'Child' WHERE code = '{code}'");
            let refused = store.write(|tx| tx.batch(&sql)).expect_err("unpriced type");
            assert!(refused.to_string().contains("does not price this ticket type"), "{refused}");
            let seat: i64 = store.read(|tx| tx.value("SELECT MAX(id) FROM seat", args![])).expect("seat");
            let sql = format!(
                "INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, created_at, changed_at, ticket_type)
                 SELECT 'TKT-SNEAKY', booking_id, slot_id, {seat}, 0, 'booked', created_at, changed_at, 'Student'
                   FROM ticket WHERE code = '{code}'"
            );
            assert!(store.write(|tx| tx.batch(&sql)).is_err(), "an unknown type is refused on insert too");
            let kept: String =
                store.read(|tx| tx.value("SELECT ticket_type FROM ticket WHERE code = ?1", args![code])).expect("type");
            assert_eq!(kept, "Adult");
        });
    }
}
