//! Pure box-office rules: no SQL, no terminal. Everything here is testable with plain values
//! and a fixed clock.

pub mod best;
pub mod cards;
pub mod cashup;
pub mod codes;
pub mod door;
pub mod error;
pub mod layout;
pub mod model;
pub mod money;
pub mod policy;
pub mod rng;
pub mod schedule;
pub mod seatmap;
pub mod staff;
pub mod text;
pub mod time;
pub mod waitlist;

pub use error::{Error, Result};
