//! `init`, `cinema add`, `hall add`, `hall list`: setting the theatre up.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;

use super::Context;
use crate::domain::layout::HallLayout;

#[derive(Debug, Args)]
pub struct Init {
    /// Add a demo cinema, halls and a week of shows from today, some seats sold.
    #[arg(long)]
    demo: bool,
}

impl Init {
    /// Whether it adds the demo theatre (a schedule and sales).
    pub fn with_demo(&self) -> bool {
        self.demo
    }

    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let path = crate::store::mask_password(&ctx.db_path.display().to_string());
        let was_empty = ctx.store.is_empty()?;
        let added = if self.demo && was_empty { Some(crate::demo::load(&mut ctx.store, ctx.now)?) } else { None };
        let note = if self.demo && !was_empty { "already has data; demo not added" } else { "ready" };
        ctx.emit(
            json!({"database": path, "demo": added.is_some(), "slots": added.map(|a| a.slots), "tickets": added.map(|a| a.tickets)}),
            || match added {
                Some(a) => format!("{path}: demo data added ({} slots, {} tickets sold)", a.slots, a.tickets),
                None => format!("{path}: {note}"),
            },
        )
    }
}

#[derive(Debug, Subcommand)]
pub enum CinemaCmd {
    /// Add a cinema.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        city: String,
    },
    /// The chain: its cities and their cinemas, with halls and seats.
    List,
}

impl CinemaCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        match self {
            CinemaCmd::Add { name, city } => {
                let id = ctx.store.add_cinema(&name, &city)?;
                ctx.emit(json!({"id": id, "name": name.trim(), "city": city.trim()}), || {
                    format!("cinema '{}' added", name.trim())
                })
            }
            CinemaCmd::List => {
                let cinemas = ctx.store.cinemas()?;
                ctx.emit(serde_json::to_value(&cinemas)?, || {
                    let mut out = String::new();
                    let mut city = None;
                    for c in &cinemas {
                        if city != Some(&c.city) {
                            out.push_str(&format!("{}\n", c.city));
                            city = Some(&c.city);
                        }
                        let halls = if c.halls == 1 { "hall " } else { "halls" };
                        let name = crate::domain::text::fit(&c.name, 28);
                        out.push_str(&format!("  {name} {:>3} {halls} {:>6} seats\n", c.halls, c.seats));
                    }
                    if cinemas.is_empty() {
                        out.push_str("no cinemas yet (ticketly cinema add --name NAME --city CITY)\n");
                    }
                    out
                })
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum HallCmd {
    /// Add a hall: a rectangle of rows × seats, or a layout file (see assets/*.layout).
    Add(HallAdd),
    /// List halls with their seat counts.
    List,
}

#[derive(Debug, Args)]
pub struct HallAdd {
    #[arg(long)]
    name: String,
    /// Number of rows (lettered from A).
    #[arg(long, requires = "seats", conflicts_with = "layout")]
    rows: Option<u32>,
    /// Seats per row.
    #[arg(long, requires = "rows")]
    seats: Option<u32>,
    /// Rows priced as Premium, e.g. H,J.
    #[arg(long, value_delimiter = ',', requires = "rows")]
    premium_rows: Vec<String>,
    /// A layout file: one row a line, `A: RRRR.RRRR` (R regular, P premium, A accessible, V VIP, . gap).
    #[arg(long, value_name = "FILE", required_unless_present = "rows")]
    layout: Option<PathBuf>,
}

impl HallCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        match self {
            HallCmd::Add(add) => {
                let layout = match (&add.layout, add.rows, add.seats) {
                    (Some(file), _, _) => {
                        let text = std::fs::read_to_string(file).map_err(|e| {
                            crate::domain::Error::Invalid(format!("cannot read layout '{}': {e}", file.display()))
                        })?;
                        HallLayout::parse(&text)?
                    }
                    (None, Some(rows), Some(seats)) => HallLayout::generate(rows, seats, &add.premium_rows)?,
                    _ => {
                        anyhow::bail!(crate::domain::Error::Invalid("give --rows and --seats, or --layout FILE".into()))
                    }
                };
                // The global --cinema (or the counter's): needed when there are several. A new
                // theatre's first hall makes its cinema, from the settings' [theatre] name and city.
                let cinema = ctx.config.cinema().map(str::to_string);
                let first = if cinema.is_none() && ctx.store.is_empty()? {
                    let name = Some(ctx.config.theatre_name.value.clone()).filter(|n| !n.is_empty());
                    let city = Some(ctx.config.theatre_city.value.clone()).filter(|c| !c.is_empty());
                    Some((name.unwrap_or_else(|| "Theatre".into()), city.unwrap_or_else(|| "-".into())))
                } else {
                    None
                };
                // The cinema and its first hall together, or neither.
                let hall = ctx.store.all_or_nothing(|store| {
                    if let Some((name, city)) = &first {
                        store.add_cinema(name, city)?;
                    }
                    store.add_hall(cinema.as_deref(), &add.name, &layout)
                })?;
                ctx.emit(serde_json::to_value(&hall)?, || format!("hall '{}' added: {} seats", hall.name, hall.seats))
            }
            HallCmd::List => {
                let halls = ctx.store.halls()?;
                ctx.emit(serde_json::to_value(&halls)?, || {
                    let mut out = String::new();
                    for h in &halls {
                        let name = crate::domain::text::fit(&h.name, 20);
                        out.push_str(&format!("{name} {:>5} seats  {} ({})\n", h.seats, h.cinema, h.city));
                    }
                    if halls.is_empty() {
                        out.push_str("no halls yet: add one with 'ticketly hall add'\n");
                    }
                    out
                })
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct Demo {
    /// How many tickets to generate (a year of shows in 20 halls carries them).
    #[arg(long, default_value_t = 1_000_000)]
    tickets: u64,
    /// The generator's seed: the same seed and day give the same database.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl Demo {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let spec = crate::store::BulkSpec {
            tickets: self.tickets,
            seed: self.seed,
            today: crate::domain::time::local(&ctx.now).date(),
        };
        let summary = ctx.store.bulk_generate(spec)?;
        let seconds = started.elapsed().as_secs_f64();
        let mut value = serde_json::to_value(summary)?;
        value["seconds"] = json!((seconds * 10.0).round() / 10.0);
        ctx.emit(value, || {
            format!(
                "{}: {} halls, {} slots, {} tickets in {} bookings, in {seconds:.1} s",
                crate::store::mask_password(&ctx.db_path.display().to_string()),
                summary.halls,
                summary.slots,
                summary.tickets,
                summary.bookings
            )
        })
    }
}
