//! `stress` and `stress-worker`: the hidden commands of the stress tool ([`crate::stress`]).
//! They open their own database (a new temporary file unless `--db` is given), never the
//! counter's default one.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::domain::model::SlotId;
use crate::stress::{self, Options};

#[derive(Debug, Subcommand)]
pub enum StressCmd {
    /// Run many counters (OS processes) against one small hall, then audit the database.
    #[command(hide = true)]
    Stress(Stress),
    /// One counter of a stress run (started by `stress`; prints its tallies as one JSON line).
    #[command(hide = true)]
    StressWorker(Worker),
}

#[derive(Debug, Args)]
pub struct Stress {
    /// Worker processes.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    procs: u16,
    /// Attempts per worker.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    attempts: u64,
    /// Seed of the workers' choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Args)]
pub struct Worker {
    /// The slots to sell, comma-separated ids.
    #[arg(long, value_delimiter = ',', required = true)]
    slots: Vec<SlotId>,
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    attempts: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The worker's number (its operator is `stress-ID`).
    #[arg(long, default_value_t = 0)]
    id: u64,
}

impl StressCmd {
    pub fn run(&self, db: Option<&Path>, json: bool) -> anyhow::Result<()> {
        match self {
            StressCmd::Stress(s) => s.run(db, json),
            StressCmd::StressWorker(w) => {
                let Some(db) = db else {
                    anyhow::bail!(crate::domain::Error::Invalid("stress-worker needs --db PATH".into()));
                };
                let report = stress::work(db, &w.slots, w.attempts, w.seed, w.id)?;
                println!("{}", serde_json::to_string(&report)?);
                Ok(())
            }
        }
    }
}

impl Stress {
    fn run(&self, db: Option<&Path>, json: bool) -> anyhow::Result<()> {
        let db = match db {
            Some(p) => p.to_path_buf(),
            None => fresh_db(self.seed),
        };
        let options = Options {
            db,
            program: std::env::current_exe()?,
            procs: usize::from(self.procs),
            attempts: self.attempts,
            seed: self.seed,
        };
        let figures = stress::run(&options)?;
        if json {
            println!("{}", serde_json::to_string_pretty(&figures)?);
        } else {
            print!("{}", figures.table());
        }
        if !figures.passed {
            anyhow::bail!("the stress run failed: {}", figures.failures().join("; "));
        }
        Ok(())
    }
}

/// A new file in the temporary directory, for a run without `--db`.
fn fresh_db(seed: u64) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    std::env::temp_dir().join(format!("ticketly-stress-{stamp}-{}-{seed}.db", std::process::id()))
}
