//! Ticketly, a terminal box office.
//!
//! - [`domain`]: the rules of selling (seat maps, best-available, money, policy). No SQL, no terminal.
//! - [`store`]: the database (SQLite or PostgreSQL), the only place that speaks SQL.
//! - [`cli`]: the scripted command line (`ticketly book …`), a thin layer over the store.
//! - [`config`]: the theatre's settings file, with defaults and where each value came from.
//! - [`demo`]: the demo theatre for `ticketly init --demo`.
//! - [`log`]: diagnostics to a log file in the state directory, never over the screen.
//! - [`print`]: tickets for the counter printer, with a QR code (text or SVG).
//! - [`escpos`]: tickets and receipts for a thermal receipt printer (ESC/POS), and sending them.
//! - [`app`]: the counter TUI's state and update (keys → actions → store).
//! - [`ui`]: pure drawing of the TUI's screens.
//! - [`door`]: the door screen (`ticketly door`): scan, ADMIT or REFUSED, the running count.
//! - [`stress`]: many counters (OS processes) on one small hall, then an audit (`ticketly stress`).

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod door;
pub mod escpos;
#[cfg(test)]
mod fuzz_tests;
pub mod log;
pub mod print;
pub mod store;
pub mod stress;
#[doc(hidden)]
pub mod testdb;
pub mod ui;
