//! Ticketly's test suite, one binary: the real `ticketly` binary driven through every command
//! and error class of the CLI contract, the seed service's defects, and a property test of the
//! store's invariants.

mod bad_input;
mod busy;
mod cli_errors;
mod cli_lookup;
mod cli_selling;
mod cli_setup;
mod concurrency;
mod crash;
mod invariants;
mod query_plans;
mod seed_defects;
mod support;
mod theatre_day;
