//! The waiting list's entries: a party waiting for seats of a sold-out show, first come
//! first served, and where it stands.

use super::model::SlotId;
use super::time::Time;

/// Where a waiting customer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaitStatus {
    Waiting,
    /// Seats are held for them under `booking` until the hold runs out.
    Offered,
    Served,
    Removed,
    /// Sales closed before seats came free; the customer should be told.
    Unfulfillable,
    /// Seats were offered but the hold ran out unsold.
    Lapsed,
}

impl WaitStatus {
    pub fn name(self) -> &'static str {
        match self {
            WaitStatus::Waiting => "waiting",
            WaitStatus::Offered => "offered",
            WaitStatus::Served => "served",
            WaitStatus::Removed => "removed",
            WaitStatus::Unfulfillable => "unfulfillable",
            WaitStatus::Lapsed => "lapsed",
        }
    }

    pub fn parse(text: &str) -> WaitStatus {
        [
            WaitStatus::Waiting,
            WaitStatus::Offered,
            WaitStatus::Served,
            WaitStatus::Removed,
            WaitStatus::Unfulfillable,
            WaitStatus::Lapsed,
        ]
        .into_iter()
        .find(|s| s.name() == text)
        .unwrap_or(WaitStatus::Removed)
    }
}

/// One customer (or party) on a waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistEntry {
    pub id: i64,
    pub slot: SlotId,
    pub name: String,
    pub phone: Option<String>,
    pub seats: usize,
    pub status: WaitStatus,
    /// The booking holding their seats, once offered.
    pub booking: Option<String>,
    /// The seats held for them, while offered.
    pub held_seats: Vec<String>,
    pub hold_expires: Option<Time>,
    pub note: String,
    pub created: Time,
}
