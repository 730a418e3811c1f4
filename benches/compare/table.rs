//! The comparison table, and the helpers that time whole processes and take medians.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use super::{Options, TICKETLY, support};

pub(super) enum Limit {
    /// The figure may be at most this many times the raw figure.
    AtMostTimes(f64),
    /// The figure (a rate) must be at least this many times the raw rate.
    AtLeastTimes(f64),
}

pub(super) struct Row {
    pub(super) id: &'static str,
    pub(super) what: String,
    pub(super) figure: f64,
    pub(super) unit: &'static str,
    /// The raw figure it is compared with, and what it is.
    pub(super) raw: Option<(f64, String)>,
    pub(super) ratio_limit: Option<Limit>,
    /// An absolute ceiling in the same unit.
    pub(super) ceiling: Option<f64>,
}

impl Row {
    pub(super) fn ratio(&self) -> Option<f64> {
        self.raw.as_ref().map(|(raw, _)| self.figure / raw)
    }

    pub(super) fn met(&self) -> bool {
        let ratio_ok = match (&self.ratio_limit, self.ratio()) {
            (Some(Limit::AtMostTimes(l)), Some(r)) => r <= *l,
            (Some(Limit::AtLeastTimes(l)), Some(r)) => r >= *l,
            _ => true,
        };
        ratio_ok && self.ceiling.is_none_or(|c| self.figure <= c)
    }

    pub(super) fn target(&self) -> String {
        let mut parts = Vec::new();
        match &self.ratio_limit {
            Some(Limit::AtMostTimes(l)) => parts.push(format!("≤{l:.1}×")),
            Some(Limit::AtLeastTimes(l)) => parts.push(format!("≥{l:.1}×")),
            None => {}
        }
        if let Some(c) = self.ceiling {
            parts.push(format!("≤{} {}", number(c), self.unit));
        }
        parts.join(", ")
    }
}

#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: Vec<Row>,
}

impl Table {
    pub(super) fn print(&self, options: &Options) {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|c| {
                c.lines()
                    .find(|l| l.starts_with("model name"))
                    .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let cores = std::thread::available_parallelism().map_or(0, usize::from);
        println!();
        println!(
            "ticketly vs raw SQLite · {} · {TICKETS} tickets (seed {SEED}) · WAL, synchronous=FULL · {cores} cores, {cpu} · medians of {} runs",
            options.db.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(),
            options.runs,
            TICKETS = support::TICKETS,
            SEED = support::SEED,
        );
        println!();
        println!("| # | measurement | ticketly | limit (raw SQLite, same work) | ratio | target | |");
        println!("|---|---|---:|---|---:|---|---|");
        for row in &self.rows {
            let raw =
                row.raw.as_ref().map_or("–".to_string(), |(v, what)| format!("{} {} {what}", number(*v), row.unit));
            let ratio = row.ratio().map_or("–".to_string(), |r| format!("{r:.2}×"));
            let verdict = if row.met() { "met" } else { "**missed**" };
            println!(
                "| {} | {} | {} {} | {raw} | {ratio} | {} | {verdict} |",
                row.id,
                row.what,
                number(row.figure),
                row.unit,
                row.target()
            );
        }
    }
}

/// Three significant figures, the way people read timings.
pub(super) fn number(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(super) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

pub(super) fn timed<T>(work: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let value = work();
    (ms(start.elapsed()), value)
}

// ---------------------------------------------------------------------------------------------
// Whole processes.

pub(super) fn ticketly(db: &Path) -> Command {
    let mut cmd = Command::new(TICKETLY);
    cmd.env_remove("TICKETLY_DB")
        .env("TICKETLY_NOW", support::NOW)
        .env("TICKETLY_QUIET_CLOCK", "1")
        .env("TICKETLY_TIMEZONE", "UTC")
        .env("TICKETLY_OPERATOR", "bench")
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null());
    cmd
}

pub(super) fn sqlite3(db: &Path, sql: &str) -> Command {
    let mut cmd = Command::new("sqlite3");
    // -batch: no ~/.sqliterc surprises, no prompts; the pragmas are the store's.
    cmd.arg("-batch").arg(db).arg(format!("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; {sql}"));
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs a command to its end; its wall-clock time in ms (output is read but not kept).
pub(super) fn run(cmd: &mut Command) -> Result<(f64, String)> {
    let start = Instant::now();
    let out = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output().context("spawn")?;
    let elapsed = ms(start.elapsed());
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok((elapsed, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// Median times of two commands run alternately `runs` times (after two warm-up rounds), so
/// both see the same machine and the same page cache.
pub(super) fn alternate(
    runs: usize,
    mut a: impl FnMut() -> Command,
    mut b: impl FnMut() -> Command,
) -> Result<(f64, f64)> {
    for _ in 0..2 {
        run(&mut a())?;
        run(&mut b())?;
    }
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ta.push(run(&mut a())?.0);
        tb.push(run(&mut b())?.0);
    }
    Ok((median(ta), median(tb)))
}
