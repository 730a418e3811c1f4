//! The door: who is admitted, and why someone is not, in words an usher can read out.

use chrono::Duration;

use super::layout::Category;
use super::model::{Customer, Slot, TicketStatus};
use super::policy::Policy;
use super::time::{Time, format_time, local};

/// A ticket admitted at the door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    pub code: String,
    pub seat: String,
    pub category: Category,
    pub ticket_type: String,
    pub slot: Slot,
    pub customer: Customer,
    pub checked_in: Time,
    /// Admitted outside the door's window with `--force`.
    pub forced: bool,
}

/// Why a scanned ticket is not admitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Checked in already (a copy of the ticket, or the same one twice).
    AlreadyIn { code: String, at: Time, door: String },
    /// Cancelled, expired, or held by a counter (not paid).
    NotLive { code: String, status: TicketStatus },
    /// Rebooked away: the ticket that replaced it is the one to scan.
    Rebooked { code: String, to: String },
    /// The door of its show opens later (`today`: later today, else on another day).
    TooEarly { slot: Box<Slot>, opens: Time, today: bool },
    /// Its show is over.
    Over { slot: Box<Slot> },
    /// A ticket for another show than the one this door admits.
    OtherShow { code: String, slot: Box<Slot> },
}

impl Refusal {
    /// A few words, big on the door screen.
    pub fn headline(&self) -> &'static str {
        match self {
            Refusal::AlreadyIn { .. } => "ALREADY IN",
            Refusal::NotLive { status: TicketStatus::Canceled, .. } => "CANCELLED",
            Refusal::NotLive { status: TicketStatus::Expired, .. } => "EXPIRED",
            Refusal::NotLive { .. } => "NOT PAID",
            Refusal::Rebooked { .. } => "REBOOKED",
            Refusal::TooEarly { .. } => "TOO EARLY",
            Refusal::Over { .. } => "SHOW OVER",
            Refusal::OtherShow { .. } => "OTHER SHOW",
        }
    }

    /// One line that says why, and what to do.
    pub fn reason(&self) -> String {
        match self {
            Refusal::AlreadyIn { code, at, door } => {
                format!("{code} was checked in at {} at the {door} door", local(at).format("%H:%M"))
            }
            Refusal::NotLive { code, status: TicketStatus::Held } => {
                format!("{code} is held at a counter, not paid: send the customer to the box office")
            }
            Refusal::NotLive { code, status } => format!("{code} is {}", status.name()),
            Refusal::Rebooked { code, to } => format!("{code} was rebooked: the ticket to scan is {to}"),
            Refusal::TooEarly { slot, opens, today: true } => {
                format!("the door for '{}' opens at {}", slot.name, local(opens).format("%H:%M"))
            }
            Refusal::TooEarly { slot, opens, today: false } => {
                format!(
                    "'{}' is on {}: its door opens at {}",
                    slot.name,
                    local(&slot.start).format("%a %d %b"),
                    format_time(opens)
                )
            }
            Refusal::Over { slot } => format!("'{}' is over (it ended at {})", slot.name, format_time(&slot.end)),
            Refusal::OtherShow { code, slot } => format!(
                "{code} is for '{}' at {} in {}: send the customer to {}",
                slot.name,
                local(&slot.start).format("%H:%M"),
                slot.hall,
                slot.hall
            ),
        }
    }
}

impl Policy {
    /// When the door of `slot` opens for check-in.
    pub fn door_opens(&self, slot: &Slot) -> Time {
        slot.start - Duration::minutes(self.door_open_minutes)
    }

    /// Whether the door of `slot` admits at `now`: from `door_open_minutes` before its start
    /// to its end.
    pub fn check_door(&self, slot: &Slot, now: Time) -> Result<(), Refusal> {
        let opens = self.door_opens(slot);
        if now < opens {
            let today = local(&opens).date() == local(&now).date();
            return Err(Refusal::TooEarly { slot: Box::new(slot.clone()), opens, today });
        }
        if now >= slot.end {
            return Err(Refusal::Over { slot: Box::new(slot.clone()) });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_time;

    fn slot() -> Slot {
        Slot::example("Up", "Hall 2", "2026-11-23 20:00", "2026-11-23 22:00")
    }

    #[test]
    fn the_door_opens_an_hour_before_and_closes_at_the_end() {
        let p = Policy::default();
        let at = |s| parse_time(s).expect("time");
        assert!(matches!(p.check_door(&slot(), at("2026-11-23 18:59")), Err(Refusal::TooEarly { .. })));
        assert!(p.check_door(&slot(), at("2026-11-23 19:00")).is_ok());
        assert!(p.check_door(&slot(), at("2026-11-23 21:59")).is_ok());
        assert!(matches!(p.check_door(&slot(), at("2026-11-23 22:00")), Err(Refusal::Over { .. })));
    }

    #[test]
    fn a_ticket_for_another_show_names_the_hall_to_go_to() {
        let r = Refusal::OtherShow { code: "TKT-7F3K9Q".into(), slot: Box::new(slot()) };
        assert_eq!(r.headline(), "OTHER SHOW");
        assert!(r.reason().ends_with("in Hall 2: send the customer to Hall 2"), "{}", r.reason());
    }
}
