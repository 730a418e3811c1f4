//! Ticket types and price cards. A theatre sells Adult, Child, Senior… tickets; a price card
//! ("Evening", "Matinee") prices each type per seat category; a show copies a card's prices
//! when it is scheduled. A sale names how many tickets of each type it sells ("Child=2"); the
//! rest are the show's default type.

use super::error::{Result, invalid};
use super::layout::Category;
use super::model::Slot;
use super::money::Cents;
use super::seatmap::Seat;
use super::text::{clean, excerpt};

/// The type every ticket had before price cards, and a new database's default.
pub const FIRST_TYPE: &str = "Adult";

/// One price of a show or a card: a ticket type in a seat category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TypePrice {
    #[serde(rename = "type")]
    pub ticket_type: String,
    #[serde(serialize_with = "category_name")]
    pub category: Category,
    #[serde(rename = "price")]
    pub amount: Cents,
}

fn category_name<S: serde::Serializer>(category: &Category, out: S) -> std::result::Result<S::Ok, S::Error> {
    out.serialize_str(category.name())
}

/// How many tickets of named types a sale sells ("Child=2,Senior=1"), in the order named.
pub type TypeCounts = Vec<(String, usize)>;

/// A ticket type's name as typed: letters, digits, spaces and '-', at most 20 characters
/// ("Child", "Under-12", "Member 2").
pub fn clean_type_name(text: &str) -> Result<String> {
    let name = clean("ticket type", text, 20)?;
    if !name.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-') {
        return Err(invalid(format!("invalid ticket type '{}': use letters, digits, spaces and '-'", excerpt(&name))));
    }
    Ok(name)
}

/// A price card's name as typed ("Evening", "Tuesday saver").
pub fn clean_card_name(text: &str) -> Result<String> {
    clean("card name", text, 40)
}

/// Parses `--types Child=2,Senior=1` (a type named twice adds up).
pub fn parse_type_counts(text: &str) -> Result<TypeCounts> {
    let mut counts: TypeCounts = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, count)) = part.split_once('=') else {
            return Err(invalid(format!("invalid ticket types '{}': write them like Child=2,Senior=1", excerpt(part))));
        };
        let name = clean_type_name(name)?;
        let count: usize = count
            .trim()
            .parse()
            .map_err(|_| invalid(format!("invalid count '{}' for {name} tickets", excerpt(count.trim()))))?;
        match counts.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            Some((_, n)) => *n = n.saturating_add(count),
            None => counts.push((name, count)),
        }
    }
    if counts.is_empty() {
        return Err(invalid("no ticket types given: write them like Child=2,Senior=1"));
    }
    Ok(counts)
}

impl Slot {
    /// The ticket types this show prices, in the theatre's order (the default first).
    pub fn ticket_types(&self) -> Vec<&str> {
        let mut types: Vec<&str> = vec![self.default_type.as_str()];
        for p in &self.type_prices {
            if !types.iter().any(|t| t.eq_ignore_ascii_case(&p.ticket_type)) {
                types.push(&p.ticket_type);
            }
        }
        types.retain(|t| self.type_prices.iter().any(|p| p.ticket_type == *t));
        types
    }

    /// The price of a `ticket_type` ticket on a seat of `category`, if the show sells it.
    pub fn price_of(&self, ticket_type: &str, category: Category) -> Option<Cents> {
        self.type_prices
            .iter()
            .find(|p| p.category == category && p.ticket_type.eq_ignore_ascii_case(ticket_type))
            .map(|p| p.amount)
    }

    /// The type as this show spells it, or why the show does not sell it.
    pub fn priced_type(&self, name: &str) -> Result<String> {
        let types = self.ticket_types();
        match types.iter().find(|t| t.eq_ignore_ascii_case(name.trim())) {
            Some(found) => Ok(found.to_string()),
            None => Err(invalid(format!(
                "'{}' does not sell {} tickets (it prices {})",
                self.name,
                excerpt(name.trim()),
                types.join(", ")
            ))),
        }
    }

    /// The type and price of each of `seats` for a sale with these named counts: the named
    /// types go to the seats front row first, left to right, in the order named, and the rest
    /// are the show's default type. Refuses more typed tickets than seats, a type the show
    /// does not sell, and a type with no price for a chosen seat's category.
    pub fn price_seats(&self, seats: &[Seat], named: &[(String, usize)]) -> Result<Vec<(String, Cents)>> {
        let typed: usize = named.iter().map(|(_, n)| *n).fold(0, usize::saturating_add);
        if typed > seats.len() {
            return Err(invalid(format!(
                "{typed} typed tickets but {} {}",
                seats.len(),
                if seats.len() == 1 { "seat" } else { "seats" }
            )));
        }
        let mut types: Vec<String> = Vec::with_capacity(seats.len());
        for (name, count) in named {
            let name = self.priced_type(name)?;
            types.extend(std::iter::repeat_n(name, *count));
        }
        types.resize(seats.len(), self.default_type.clone());
        let mut order: Vec<usize> = (0..seats.len()).collect();
        order.sort_by_key(|&i| (seats[i].grid_row, seats[i].grid_col));
        let mut priced = vec![(String::new(), 0); seats.len()];
        for (ticket_type, &i) in types.into_iter().zip(&order) {
            let price = self.price_for(&ticket_type, &seats[i])?;
            priced[i] = (ticket_type, price);
        }
        Ok(priced)
    }

    /// [`Slot::price_seats`], then a manager's price override if there is one: every ticket at
    /// `price_override` (0: free). An override lowers a price, never raises one: refuses a price
    /// above what a ticket costs.
    pub fn price_sale(
        &self,
        seats: &[Seat],
        named: &[(String, usize)],
        price_override: Option<Cents>,
    ) -> Result<Vec<(String, Cents)>> {
        let mut priced = self.price_seats(seats, named)?;
        let Some(price) = price_override else { return Ok(priced) };
        if let Some((ticket_type, regular)) = priced.iter().find(|(_, regular)| *regular < price) {
            return Err(invalid(format!(
                "an override only lowers a price: {} is above the {ticket_type} price, {}",
                super::money::format_amount(price),
                super::money::format_amount(*regular)
            )));
        }
        priced.iter_mut().for_each(|(_, p)| *p = price);
        Ok(priced)
    }

    /// What a `ticket_type` ticket on `seat` costs at this show, or why it cannot be sold
    /// (a child in the VIP lounge).
    pub fn price_for(&self, ticket_type: &str, seat: &Seat) -> Result<Cents> {
        self.price_of(ticket_type, seat.category).ok_or_else(|| {
            invalid(format!(
                "'{}' has no {ticket_type} price for {} seats ({})",
                self.name,
                seat.category,
                seat.label()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::seatmap::SeatStatus;

    fn show() -> Slot {
        let price = |t: &str, c: Category, a: Cents| TypePrice { ticket_type: t.into(), category: c, amount: a };
        Slot {
            prices: vec![(Category::Regular, 1000), (Category::Premium, 1300)],
            card: Some("Evening".into()),
            type_prices: vec![
                price("Adult", Category::Regular, 1000),
                price("Adult", Category::Premium, 1300),
                price("Child", Category::Regular, 650),
                price("Senior", Category::Regular, 700),
                price("Senior", Category::Premium, 900),
            ],
            ..Slot::example("Up", "Hall 1", "2026-11-23 18:00", "2026-11-23 20:00")
        }
    }

    fn seat(row: u32, col: u32, category: Category) -> Seat {
        Seat {
            id: (row * 100 + col) as i64,
            row_label: ["A", "B"][row as usize].into(),
            number: col,
            category,
            grid_row: row,
            grid_col: col,
            price: 0,
            status: SeatStatus::Available,
        }
    }

    #[test]
    fn a_mixed_sale_prices_each_seat_by_its_type_and_the_rest_are_the_default() {
        let seats = [seat(0, 3, Category::Regular), seat(0, 1, Category::Regular), seat(0, 2, Category::Regular)];
        let named = parse_type_counts("child=1, Senior=1").expect("types");
        let priced = show().price_seats(&seats, &named).expect("priced");
        // Front row left to right: A1 Child, A2 Senior, A3 the default.
        assert_eq!(priced, vec![("Adult".into(), 1000), ("Child".into(), 650), ("Senior".into(), 700)]);
        assert_eq!(priced.iter().map(|p| p.1).sum::<Cents>(), 2350, "10 + 6.50 + 7 = 23.50");
        let all_default = show().price_seats(&seats, &[]).expect("priced");
        assert!(all_default.iter().all(|(t, p)| t == "Adult" && *p == 1000));
    }

    #[test]
    fn refuses_more_typed_tickets_than_seats_unknown_types_and_unpriced_categories() {
        let seats = [seat(0, 1, Category::Regular), seat(1, 1, Category::Premium)];
        let too_many = show().price_seats(&seats, &[("Child".into(), 3)]).expect_err("too many");
        assert!(too_many.to_string().contains("3 typed tickets but 2 seats"), "{too_many}");
        let unknown = show().price_seats(&seats, &[("Student".into(), 1)]).expect_err("unknown");
        assert!(unknown.to_string().contains("does not sell Student tickets (it prices Adult, Child, Senior)"));
        // The child goes to A1 (Regular), fine; two children put one on B1, a Premium seat.
        let unpriced = show().price_seats(&seats, &[("Child".into(), 2)]).expect_err("no child premium");
        assert!(unpriced.to_string().contains("no Child price for Premium seats (B1)"), "{unpriced}");
    }

    #[test]
    fn type_counts_parse_and_a_type_named_twice_adds_up() {
        assert_eq!(parse_type_counts("Child=2,child=1").expect("parse"), vec![("Child".to_string(), 3)]);
        assert!(parse_type_counts("Child").is_err());
        assert!(parse_type_counts(" , ").is_err(), "an empty list is a mistake, not all Adult");
        assert!(parse_type_counts("Child=two").is_err());
        assert!(parse_type_counts("Ch;ld=1").is_err());
    }
}
