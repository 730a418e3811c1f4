//! `slot add`, `slot list`, `slot show`, and how commands name a slot
//! (`--slot ID`, or the seed's `--movie NAME --start T`).

use clap::{Args, Subcommand};
use serde_json::json;

use super::Context;
use super::output::{slot_json, slot_line, summary_json};
use crate::domain::model::{Slot, SlotId};
use crate::domain::money::format_amount;
use crate::domain::schedule::{NewSlot, PriceArg};
use crate::domain::seatmap::{SeatMap, SeatStatus};
use crate::domain::time::{format_time, parse_date, parse_time};
use crate::store::SlotFilter;

/// A slot named by id, or by film and start time.
#[derive(Debug, Args, Clone)]
pub struct SlotRef {
    /// The slot's id (see `slot list`).
    #[arg(long = "slot", value_name = "ID", required_unless_present = "movie", conflicts_with = "movie")]
    pub id: Option<SlotId>,
    /// The film's name (with --start).
    #[arg(long, requires = "start")]
    pub movie: Option<String>,
    /// The slot's start, "YYYY-MM-DD HH:MM" (with --movie).
    #[arg(long, requires = "movie")]
    pub start: Option<String>,
}

impl SlotRef {
    pub fn resolve(&self, ctx: &mut Context) -> anyhow::Result<Slot> {
        match (&self.id, &self.movie, &self.start) {
            (Some(id), _, _) => Ok(ctx.store.slot(*id)?),
            (None, Some(movie), Some(start)) => Ok(ctx.store.find_slot(movie, parse_time(start)?)?),
            _ => anyhow::bail!(crate::domain::Error::Invalid(
                "name the slot: --slot ID, or --movie NAME --start T".into()
            )),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SlotCmd {
    /// Schedule a slot in a hall.
    Add(SlotAdd),
    /// List slots that have not ended (or all of a --date), with free seats.
    List(SlotList),
    /// A slot's seat map.
    Show(SlotShow),
    /// Schedule many slots from a CSV or JSON file: all or nothing.
    Import(super::import::SlotImport),
}

#[derive(Debug, Args)]
pub struct SlotAdd {
    #[arg(long)]
    name: String,
    /// "YYYY-MM-DD HH:MM"
    #[arg(long)]
    start: String,
    /// "YYYY-MM-DD HH:MM"
    #[arg(long)]
    end: String,
    #[arg(long)]
    hall: String,
    #[arg(long, default_value = "")]
    description: String,
    /// Movie, Documentary, Concert, …
    #[arg(long = "type", default_value = "Movie")]
    kind: String,
    #[arg(long, default_value = "")]
    genre: String,
    /// A price for every seat (9.50) or per category (Premium=12) of the default ticket type;
    /// repeat for several. With --card, these override the card's.
    #[arg(long = "price", value_name = "[CATEGORY=]AMOUNT")]
    prices: Vec<String>,
    /// Copy the show's prices, every ticket type's, from this price card (see `card list`).
    #[arg(long)]
    card: Option<String>,
}

#[derive(Debug, Args)]
pub struct SlotList {
    #[arg(long)]
    genre: Option<String>,
    /// Slots starting on this day, "YYYY-MM-DD" (ended ones included).
    #[arg(long)]
    date: Option<String>,
    /// Part of the title.
    #[arg(long)]
    search: Option<String>,
    /// Include slots that have ended.
    #[arg(long)]
    all: bool,
    /// Only the cinemas of this city (with the global --cinema: that cinema).
    #[arg(long)]
    city: Option<String>,
}

#[derive(Debug, Args)]
pub struct SlotShow {
    /// The slot's id.
    #[arg(value_name = "SLOT_ID", required_unless_present = "movie", conflicts_with = "movie")]
    id: Option<SlotId>,
    #[arg(long, requires = "start")]
    movie: Option<String>,
    #[arg(long, requires = "movie")]
    start: Option<String>,
}

impl SlotCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        match self {
            SlotCmd::Add(a) => a.run(ctx),
            SlotCmd::List(l) => l.run(ctx),
            SlotCmd::Import(i) => i.run(ctx),
            SlotCmd::Show(s) => {
                let slot = SlotRef { id: s.id, movie: s.movie, start: s.start }.resolve(ctx)?;
                let map = ctx.store.seat_map(slot.id, ctx.now)?;
                let seats: Vec<_> = map
                    .seats
                    .iter()
                    .map(|s| json!({"seat": s.label(), "category": s.category.name(), "status": s.status.name(), "price": s.price}))
                    .collect();
                ctx.emit(json!({"slot": slot_json(&slot), "seats": seats}), || seat_map_text(&slot, &map))
            }
        }
    }
}

/// With a counter's cinema set (`--cinema`), a show goes only into a hall of that cinema.
pub(super) fn check_hall_of_cinema(ctx: &mut Context, hall: &str) -> anyhow::Result<()> {
    let Some(cinema) = ctx.cinema()? else { return Ok(()) };
    let halls = ctx.store.halls()?;
    match halls.iter().find(|h| h.name.eq_ignore_ascii_case(hall.trim())) {
        Some(h) if h.cinema != cinema => {
            Err(crate::domain::Error::Invalid(format!("hall '{}' belongs to {}, not to {cinema}", h.name, h.cinema))
                .into())
        }
        _ => Ok(()),
    }
}

impl SlotAdd {
    fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        check_hall_of_cinema(ctx, &self.hall)?;
        let request = NewSlot {
            name: self.name,
            description: self.description,
            kind: self.kind,
            genre: self.genre,
            hall: self.hall,
            start: parse_time(&self.start)?,
            end: parse_time(&self.end)?,
            prices: self.prices.iter().map(|p| PriceArg::parse(p)).collect::<Result<_, _>>()?,
            card: self.card,
        };
        let id = ctx.store.add_slot(request, ctx.now)?;
        let slot = ctx.store.slot(id)?;
        ctx.emit(slot_json(&slot), || format!("slot {id} added: {}", slot_line(&slot)))
    }
}

impl SlotList {
    fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let date = self.date.as_deref().map(parse_date).transpose()?;
        let filter = SlotFilter {
            not_ended_at: if self.all || date.is_some() { None } else { Some(ctx.now) },
            date,
            genre: self.genre,
            search: self.search,
            cinema: ctx.cinema()?,
            city: self.city,
        };
        let slots = ctx.store.slots(&filter, ctx.now)?;
        ctx.emit(json!(slots.iter().map(summary_json).collect::<Vec<_>>()), || {
            let mut out = String::new();
            for s in &slots {
                out.push_str(&format!(
                    "{:>5}  {}  {} {} {} {} {:>4}/{:<4} {}\n",
                    s.slot.id,
                    format_time(&s.slot.start),
                    truncate(&s.slot.name, 28),
                    truncate(&s.slot.genre, 10),
                    truncate(&s.slot.kind, 11),
                    truncate(&s.slot.hall, 10),
                    s.seats_free,
                    s.seats_total,
                    s.availability().name(),
                ));
            }
            if slots.is_empty() {
                out.push_str("no slots match\n");
            }
            out
        })
    }
}

fn truncate(text: &str, width: usize) -> String {
    crate::domain::text::fit(text, width)
}

/// The seat map as text: one line a row, the screen at the top, a legend below.
pub fn seat_map_text(slot: &Slot, map: &SeatMap) -> String {
    let (rows, cols) = map.grid_size();
    let mut grid = vec![vec![' '; cols as usize]; rows as usize];
    let mut labels = vec![String::new(); rows as usize];
    for s in &map.seats {
        grid[s.grid_row as usize][s.grid_col as usize] = match s.status {
            SeatStatus::Available => s.category.code(),
            SeatStatus::Held => 'h',
            SeatStatus::Booked => 'x',
        };
        labels[s.grid_row as usize] = s.row_label.clone();
    }
    let width = cols as usize * 2;
    let mut out = format!("{}\n{:^width$}\n", slot_line(slot), "[ SCREEN ]", width = width + 4);
    for (label, row) in labels.iter().zip(grid) {
        let cells: String = row.iter().flat_map(|c| [*c, ' ']).collect();
        out.push_str(&format!("{label:>2}  {}\n", cells.trim_end()));
    }
    let prices: Vec<String> =
        map.prices().iter().map(|(c, p)| format!("{} {} {}", c.code(), c.name(), format_amount(*p))).collect();
    out.push_str(&format!(
        "\n{}  ·  x sold  h held  ·  {} of {} free\n",
        prices.join("  "),
        map.free_count(),
        map.seats.len()
    ));
    if slot.ticket_types().len() > 1 || slot.card.is_some() {
        out.push_str(&type_prices_line(slot));
        out.push('\n');
    }
    out
}

/// "Card Evening · Adult R 10.00 P 13.00 · Child R 6.50": every type's prices on one line.
pub fn type_prices_line(slot: &Slot) -> String {
    let mut parts: Vec<String> = slot.card.iter().map(|c| format!("Card {c}")).collect();
    for ticket_type in slot.ticket_types() {
        let prices: Vec<String> = slot
            .type_prices
            .iter()
            .filter(|p| p.ticket_type == ticket_type)
            .map(|p| format!("{} {}", p.category.code(), format_amount(p.amount)))
            .collect();
        parts.push(format!("{ticket_type} {}", prices.join(" ")));
    }
    parts.join(" · ")
}
