//! `card set|list|remove|types|default`: price cards, and the theatre's ticket types.

use clap::Subcommand;
use serde_json::json;

use super::Context;
use crate::domain::money::format_amount;
use crate::domain::schedule::PriceArg;
use crate::domain::text::{columns, fit};

#[derive(Debug, Subcommand)]
pub enum CardCmd {
    /// Add or change one ticket type's row of a card (a new type is added to the theatre).
    Set {
        /// The card's name, e.g. Evening.
        card: String,
        /// The ticket type, e.g. Child.
        #[arg(long = "type")]
        ticket_type: String,
        /// The type's price in a seat category, e.g. Regular=6.50; repeat for each category.
        #[arg(long = "price", value_name = "CATEGORY=AMOUNT", required = true)]
        prices: Vec<String>,
    },
    /// Every card's prices, or one card's.
    List { card: Option<String> },
    /// Remove a card, or one type's row of it (shows priced from it keep their prices).
    Remove {
        card: String,
        #[arg(long = "type")]
        ticket_type: Option<String>,
    },
    /// The theatre's ticket types, the default marked.
    Types,
    /// Make a ticket type the default: what a sale sells unless it names types.
    Default { ticket_type: String },
}

impl CardCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        match self {
            CardCmd::Set { card, ticket_type, prices } => {
                let mut by_category = Vec::new();
                for p in &prices {
                    match PriceArg::parse(p)? {
                        PriceArg::For(category, amount) => by_category.push((category, amount)),
                        PriceArg::All(_) => anyhow::bail!(crate::domain::Error::Invalid(format!(
                            "name the category of price '{}': --price Regular=6.50",
                            crate::domain::text::excerpt(p)
                        ))),
                    }
                }
                // A typo here makes a type for the whole theatre: the text says so.
                let added = ctx.store.card_set(&card, &ticket_type, &by_category)?;
                let note = added.map(|t| format!("new ticket type '{t}' added to the theatre's types\n"));
                list(ctx, Some(&card), note)
            }
            CardCmd::List { card } => list(ctx, card.as_deref(), None),
            CardCmd::Remove { card, ticket_type } => {
                let removed = ctx.store.card_remove(&card, ticket_type.as_deref())?;
                ctx.emit(json!({"card": card, "type": ticket_type, "removed": removed}), || {
                    format!("removed {removed} {} of card '{card}'", if removed == 1 { "price" } else { "prices" })
                })
            }
            CardCmd::Types => {
                let types = ctx.store.ticket_types()?;
                ctx.emit(json!(types), || {
                    types
                        .iter()
                        .map(|t| if t.default { format!("{} (default)", t.name) } else { t.name.clone() })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
            }
            CardCmd::Default { ticket_type } => {
                let name = ctx.store.set_default_type(&ticket_type)?;
                ctx.emit(json!({"default": name}), || format!("{name} is the default ticket type"))
            }
        }
    }
}

/// `card list`: JSON rows `{"card", "type", "category", "price"}`, or a text table (after
/// `card set`: the card's, under `note`).
fn list(ctx: &mut Context, card: Option<&str>, note: Option<String>) -> anyhow::Result<()> {
    let rows = ctx.store.cards(card)?;
    ctx.emit(json!(rows), || {
        if rows.is_empty() {
            return "no price cards yet: add one with 'ticketly card set CARD --type Adult --price Regular=9.50'"
                .into();
        }
        let card_width = rows.iter().map(|r| columns(&r.card)).max().unwrap_or(4).max(4);
        let type_width = rows.iter().map(|r| columns(&r.price.ticket_type)).max().unwrap_or(4).max(4);
        let mut out = note.clone().unwrap_or_default();
        out.push_str(&format!("{}  {}  CATEGORY     PRICE\n", fit("CARD", card_width), fit("TYPE", type_width)));
        for r in &rows {
            out.push_str(&format!(
                "{}  {}  {:<10} {:>7}\n",
                fit(&r.card, card_width),
                fit(&r.price.ticket_type, type_width),
                r.price.category.name(),
                format_amount(r.price.amount)
            ));
        }
        out
    })
}
