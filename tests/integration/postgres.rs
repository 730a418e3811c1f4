//! The suite on PostgreSQL: each test gets a fresh schema on the throwaway server of
//! `ticketly::testdb` (or on `TICKETLY_TEST_PG`).

pub const ENGINE: crate::Engine = crate::Engine::Postgres;

#[path = "bad_input.rs"]
mod bad_input;
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
#[path = "invariants.rs"]
mod invariants;
#[path = "pg_busy.rs"]
mod pg_busy;
#[path = "pg_outage.rs"]
mod pg_outage;
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
