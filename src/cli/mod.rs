//! The scripted command line. Each subcommand is a clap struct with a `run` that calls the
//! store and prints either text for people or, with `--json`, one JSON document for scripts.
//! Errors become one line on stderr and a documented exit code (see `exit_code`).

mod card;
mod checkin;
mod context;
mod copy;
mod docs;
mod export;
mod find;
mod first_frame;
pub(crate) mod import;
mod output;
mod query;
mod report;
mod sell;
mod settings;
mod setup;
mod slot;
mod staff;
mod stress;
mod till;
mod waitlist;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub use context::Context;

/// Ticketly: a terminal box office. Without a subcommand it opens the counter screen.
#[derive(Debug, Parser)]
#[command(name = "ticketly", version, about, propagate_version = true)]
pub struct Cli {
    /// The database: a SQLite file (created if missing) or a postgres:// URL.
    #[arg(long, global = true, env = "TICKETLY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Who is at the counter; recorded on every sale, refund and rebooking
    /// (default: env TICKETLY_OPERATOR, the config file, then $USER).
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// The cinema this counter belongs to: its schedule, reports and cash-up show only that
    /// cinema (default: env TICKETLY_CINEMA, then [counter] cinema in the config file; none
    /// means the whole chain).
    #[arg(long, global = true, value_name = "NAME")]
    pub cinema: Option<String>,
    /// The settings file (default: config.toml in the platform config directory, if present).
    #[arg(long, global = true, env = "TICKETLY_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print nothing on success (for cron); errors still go to stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// A manager approving an override (cancel/rebook/checkin --force, checkin --undo,
    /// book --price, reopening a till closed today); their PIN comes from env
    /// TICKETLY_APPROVE_PIN, or is asked on a terminal.
    #[arg(long, global = true, value_name = "NAME")]
    pub approve: Option<String>,
    /// Why an override is approved: customer-complaint, show-problem, staff-error, goodwill, other.
    #[arg(long, global = true, value_name = "CODE")]
    pub reason: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (and with --demo, fill it with a week of demo shows).
    Init(setup::Init),
    /// Generate a large benchmark database: 20 halls, a year of shows, N tickets (empty --db only).
    Demo(setup::Demo),
    /// Show the effective settings and where each came from.
    #[command(subcommand)]
    Config(settings::ConfigCmd),
    /// Copy the whole theatre into an empty database: SQLite to PostgreSQL and back.
    Copy(copy::Copy),
    /// Manage cinemas.
    #[command(subcommand)]
    Cinema(setup::CinemaCmd),
    /// Manage halls and their seat layouts.
    #[command(subcommand)]
    Hall(setup::HallCmd),
    /// Schedule and list slots (shows), and show a slot's seat map.
    #[command(subcommand)]
    Slot(slot::SlotCmd),
    /// Price cards: ticket types (Adult, Child, …) priced per seat category, for shows.
    #[command(subcommand)]
    Card(card::CardCmd),
    /// Sell seats for a slot, by count (best available) or by seat.
    Book(sell::Book),
    /// Move a ticket to another slot or seat.
    Rebook(sell::Rebook),
    /// Cancel a ticket or a whole booking, with refund.
    Cancel(sell::Cancel),
    /// All live tickets of a slot.
    Tickets(query::Tickets),
    /// One ticket's details: slot, seat, customer, history (a booking code: the whole booking).
    Ticket(query::Ticket),
    /// A customer's bookings by part of their name or phone, newest first.
    Find(find::Find),
    /// Admit a ticket (or a booking's tickets) at the door, once.
    Checkin(checkin::Checkin),
    /// The door screen for the usher's PC: scan tickets, ADMIT or REFUSED.
    Door(checkin::DoorScreen),
    /// Operators with PINs and roles (cashier, manager, admin).
    #[command(subcommand)]
    Operator(staff::OperatorCmd),
    /// The journal of overrides, approvals, operator changes and sign-in failures.
    #[command(subcommand)]
    Journal(staff::JournalCmd),
    /// Expire tickets of long-ended slots and release stale holds (run it from cron).
    Expire(query::Expire),
    /// The day's cash-up: sales and refunds by payment method and by operator, with the drawer.
    Report(report::Report),
    /// Open and close the operator's till (float, counted cash) for the cash-up.
    #[command(subcommand)]
    Till(till::TillCmd),
    /// Export tickets, sales or slots as CSV or JSON, for accounting.
    Export(export::Export),
    /// The waiting list of sold-out shows, first come first served.
    #[command(subcommand)]
    Waitlist(waitlist::WaitlistCmd),
    /// The hidden stress tool: `stress` and `stress-worker`.
    #[command(flatten)]
    Stress(stress::StressCmd),
    /// Benchmarks only: open the counter app, draw one frame headless, print the cost as JSON.
    #[command(hide = true)]
    FirstFrame(first_frame::FirstFrame),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Parses the arguments, runs the command, and turns any error into its exit code.
pub fn main() -> ExitCode {
    let parsed = Cli::command().try_get_matches().and_then(|m| {
        // The stress tool takes a database only from --db itself, never from TICKETLY_DB (a
        // theatre's real one): it writes fake sales.
        let db_typed = m.value_source("db") == Some(ValueSource::CommandLine);
        Cli::from_arg_matches(&m).map(|cli| (cli, db_typed))
    });
    let (cli, db_typed) = match parsed {
        Ok(parsed) => parsed,
        Err(e) if !e.use_stderr() => {
            // --help and --version: print as clap does.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ticketly: {}", usage_line(&e));
            return ExitCode::from(2);
        }
    };
    crate::log::init();
    let what = cli.command.as_ref().map_or_else(|| "counter".to_string(), command_name);
    match run(cli, db_typed) {
        Ok(()) => {
            tracing::info!(command = %what, "ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let line = one_line(&e);
            let code = exit_code(&e);
            tracing::warn!(command = %what, exit = code, "{line}");
            eprintln!("ticketly: {line}");
            ExitCode::from(code)
        }
    }
}

/// The subcommand's name for the log ("Book", "Slot"), without its arguments (names, phones).
fn command_name(command: &Command) -> String {
    let debug = format!("{command:?}");
    debug.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_string()
}

fn run(cli: Cli, db_typed: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    match &cli.command {
        Some(Command::Completions { shell }) => return docs::completions(*shell),
        Some(Command::Man) => return docs::man(),
        _ => {}
    }
    // The stress tool opens its own database (a temporary one by default), not the counter's.
    if let Some(Command::Stress(c)) = &cli.command {
        return c.run(cli.db.as_deref().filter(|_| db_typed), cli.json);
    }
    let mut config = crate::config::Config::load(cli.config.as_deref(), cli.operator.as_deref())?;
    if let Some(cinema) = cli.cinema.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        config.cinema = crate::config::Setting { value: cinema.to_string(), source: crate::config::Source::Flag };
    }
    // Before anything reads a time: TICKETLY_NOW and every typed time are on the theatre's clocks.
    crate::domain::time::set_zone(config.zone()?);
    crate::domain::time::set_day_end(config.day_end_hour.value as u32);
    let reading = cli.command.as_ref().is_some_and(reads_only);
    let mut ctx = Context::open(cli.db, cli.json, cli.quiet, config, reading)?;
    if !reading {
        context::warn_if_clock_fixed(&ctx);
    }
    staff::authorize(&mut ctx, cli.command.as_ref(), cli.approve.as_deref(), cli.reason.as_deref())?;
    let Some(command) = cli.command else {
        return counter(ctx);
    };
    match command {
        Command::Init(c) => c.run(&mut ctx),
        Command::Demo(c) => c.run(&mut ctx),
        Command::Config(c) => c.run(&mut ctx),
        Command::Copy(c) => c.run(&mut ctx),
        Command::Cinema(c) => c.run(&mut ctx),
        Command::Hall(c) => c.run(&mut ctx),
        Command::Slot(c) => c.run(&mut ctx),
        Command::Card(c) => c.run(&mut ctx),
        Command::Book(c) => c.run(&mut ctx),
        Command::Rebook(c) => c.run(&mut ctx),
        Command::Cancel(c) => c.run(&mut ctx),
        Command::Tickets(c) => c.run(&mut ctx),
        Command::Ticket(c) => c.run(&mut ctx),
        Command::Find(c) => c.run(&mut ctx),
        Command::Checkin(c) => c.run(&mut ctx),
        Command::Door(c) => c.run(ctx),
        Command::Operator(c) => c.run(&mut ctx),
        Command::Journal(c) => c.run(&mut ctx),
        Command::Expire(c) => c.run(&mut ctx),
        Command::Report(c) => c.run(&mut ctx),
        Command::Waitlist(c) => c.run(&mut ctx),
        Command::Export(c) => c.run(&mut ctx),
        Command::Till(c) => c.run(&mut ctx),
        Command::Stress(c) => c.run(Some(&ctx.db_path), ctx.json),
        Command::FirstFrame(c) => c.run(counter_app(ctx)?, started),
        Command::Completions { .. } | Command::Man => Ok(()),
    }
}

/// Commands that never write: they open a SQLite file that cannot be written read-only, and a
/// fixed clock needs no warning for them.
fn reads_only(command: &Command) -> bool {
    matches!(
        command,
        Command::Tickets(_)
            | Command::Ticket(_)
            | Command::Find(_)
            | Command::Copy(_)
            | Command::Report(_)
            | Command::Export(_)
            | Command::Config(_)
            | Command::Hall(setup::HallCmd::List)
            | Command::Cinema(setup::CinemaCmd::List)
            | Command::Slot(slot::SlotCmd::List(_) | slot::SlotCmd::Show(_))
            | Command::Card(card::CardCmd::List { .. } | card::CardCmd::Types)
            | Command::Operator(staff::OperatorCmd::List)
            | Command::Journal(_)
            | Command::Till(till::TillCmd::Status)
            | Command::Completions { .. }
            | Command::Man
    )
}

/// Opens the counter screen on the context's database.
fn counter(ctx: Context) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("the counter screen needs a terminal; for scripts use a subcommand (see --help)");
    }
    let app = counter_app(ctx)?;
    crate::app::runtime::run(app, || context::clock().unwrap_or_else(|_| crate::domain::time::now()))
}

/// The counter screen's app on the context's database, as it opens (also for `first-frame`).
fn counter_app(mut ctx: Context) -> anyhow::Result<crate::app::App> {
    let cinema = ctx.cinema()?;
    let clock_fixed = context::clock_is_fixed();
    let mut app = crate::app::App::new(ctx.store, ctx.policy, ctx.operator, ctx.now);
    app.clock_fixed = clock_fixed;
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    app.currency = ctx.config.currency_symbol.value.clone();
    if !ctx.config.theatre_name.value.is_empty() {
        app.theatre = ctx.config.theatre_name.value.clone();
    }
    app.set_cinema(cinema);
    app.role = ctx.role;
    app.lock_minutes = ctx.config.lock_minutes.value;
    if !ctx.config.printer_device.value.is_empty() {
        let width = ctx.config.printer_width.value as usize;
        app.printer = Some(crate::app::Printer { device: ctx.config.printer_device.value.clone(), width });
    }
    Ok(app)
}

/// 3 not found, 4 conflict, 5 invalid input, 6 busy, 1 anything else (2 is clap's usage error).
pub fn exit_code(e: &anyhow::Error) -> u8 {
    for cause in e.chain() {
        if let Some(err) = cause.downcast_ref::<crate::store::Error>() {
            return err.exit_code() as u8;
        }
        if let Some(err) = cause.downcast_ref::<crate::domain::Error>() {
            return err.exit_code() as u8;
        }
    }
    1
}

/// clap's usage error on one line: its message and what it lists, without the usage block.
fn usage_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .collect();
    printable(&format!("{} (see --help)", parts.join(" ").trim_start_matches("error: ")))
}

/// The error and its causes on one line, without newlines that would break a log.
fn one_line(e: &anyhow::Error) -> String {
    let text = e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ");
    printable(&text)
}

/// The longest error line, in characters. Ticketly's own messages quote at most
/// [`EXCERPT_CHARS`](crate::domain::text::EXCERPT_CHARS) of what was typed; this bounds the
/// messages that quote input in their own way (clap's, serde's, the database's).
const LONGEST_MESSAGE: usize = 280;

/// Messages quote what was typed; a control character in it (an escape sequence, a vertical
/// tab) would garble the terminal or the log, and a bidi override or zero-width character would
/// change how the line reads, so newlines become spaces and the rest is escaped. A message
/// longer than [`LONGEST_MESSAGE`] loses its middle, keeping what failed and the hint at the end.
fn printable(text: &str) -> String {
    let escaped: Vec<String> = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' => " ".to_string(),
            c if c.is_control() || crate::domain::text::is_deceptive(c) => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect();
    let length: usize = escaped.iter().map(|s| s.chars().count()).sum();
    if length <= LONGEST_MESSAGE {
        return escaped.concat();
    }
    // Whole escapes only, so no half of a "\u{1b}" is left at the cut.
    let (mut head, mut tail, mut kept) = (Vec::new(), Vec::new(), 0);
    for piece in &escaped {
        kept += piece.chars().count();
        if kept > LONGEST_MESSAGE * 3 / 4 {
            break;
        }
        head.push(piece.as_str());
    }
    kept = 0;
    for piece in escaped.iter().rev() {
        kept += piece.chars().count();
        if kept > LONGEST_MESSAGE / 4 - 3 {
            break;
        }
        tail.push(piece.as_str());
    }
    tail.reverse();
    format!("{} … {}", head.concat(), tail.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_escaped_onto_one_short_line() {
        assert_eq!(printable("a\u{1b}[2J\nb\u{202e}c\u{7}"), "a\\u{1b}[2J b\\u{202e}c\\u{7}");
        let long = format!("invalid value '{}' for '--rows <ROWS>' (see --help)", "9".repeat(120 * 1024));
        let line = printable(&long);
        assert!(line.chars().count() <= LONGEST_MESSAGE, "{} characters", line.chars().count());
        assert!(line.starts_with("invalid value '999") && line.ends_with("for '--rows <ROWS>' (see --help)"), "{line}");
        let escapes = "\u{1b}".repeat(1000);
        let line = printable(&escapes);
        assert!(line.chars().count() <= LONGEST_MESSAGE);
        assert!(line.replace(" … ", "").split("\\u{1b}").all(str::is_empty), "no escape cut in half: {line}");
    }
}
