//! Ticketly, a terminal box office.
//!
//! - [`domain`]: the rules of selling (seat maps, best-available, money, policy). No SQL, no terminal.
//! - [`store`]: the SQLite database, the only place that speaks SQL.
//! - [`cli`]: the scripted command line (`ticketly book …`), a thin layer over the store.
//! - [`demo`]: the demo theatre for `ticketly init --demo`.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod store;
