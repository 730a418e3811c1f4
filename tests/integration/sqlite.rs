//! The suite on a SQLite file, plus what only a SQLite file has: another process holding its
//! write lock, its bytes on disk (bad input changes none), and the hot queries' plans.

pub const ENGINE: crate::Engine = crate::Engine::Sqlite;

#[path = "bad_input.rs"]
mod bad_input;
#[path = "busy.rs"]
mod busy;
#[path = "cards.rs"]
mod cards;
#[path = "chain.rs"]
mod chain;
#[path = "cli_errors.rs"]
mod cli_errors;
#[path = "cli_lookup.rs"]
mod cli_lookup;
#[path = "cli_selling.rs"]
mod cli_selling;
#[path = "cli_setup.rs"]
mod cli_setup;
#[path = "concurrency.rs"]
mod concurrency;
#[path = "copy.rs"]
mod copy;
#[path = "crash.rs"]
mod crash;
#[path = "door.rs"]
mod door;
#[path = "files.rs"]
mod files;
#[path = "invariants.rs"]
mod invariants;
#[path = "query_plans.rs"]
mod query_plans;
#[path = "seed_defects.rs"]
mod seed_defects;
#[path = "signals.rs"]
mod signals;
#[path = "staff.rs"]
mod staff;
#[path = "support.rs"]
pub mod support;
#[path = "theatre_day.rs"]
mod theatre_day;
#[path = "zones.rs"]
mod zones;
