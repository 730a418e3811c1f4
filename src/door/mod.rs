//! The door screen (`ticketly door`): an usher's PC with a USB barcode scanner, which types a
//! ticket code and Enter. State and actions here; drawing in [`ui`], the terminal in [`run`].
//! Each scan shows ADMIT or REFUSED big enough to read from two metres, the running count of
//! the current show, and the last scans. A ticket refused only for the door's window (too
//! early, or its show over) is let in with F4 once a manager approves (with operators).

pub mod run;
pub mod ui;

use crate::domain::door::{Admission, Refusal};
use crate::domain::model::Slot;
use crate::domain::policy::Policy;
use crate::domain::time::Time;
use crate::store::{Door as DoorPlace, Store};

/// How many scans the list keeps.
pub const RECENT: usize = 10;

/// What one scan came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Admit(Vec<Admission>),
    Refused(Refusal),
    /// A code that names no ticket or booking (or that the database could not look up).
    Unknown {
        code: String,
        reason: String,
    },
}

/// One line of the scan list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub at: Time,
    pub code: String,
    pub outcome: Outcome,
}

/// Everything the door screen knows.
pub struct DoorScreen {
    pub store: Store,
    pub policy: Policy,
    pub place: DoorPlace,
    pub now: Time,
    /// What the scanner (or the usher) has typed since the last Enter.
    pub input: String,
    /// Newest first, at most [`RECENT`].
    pub scans: Vec<Scan>,
    /// The show the count is for: the door's own (`--slot`), else the last one admitted to.
    pub show: Option<Slot>,
    /// (admitted, booked) of `show`.
    pub count: (usize, usize),
    pub color: bool,
    pub quit: bool,
    /// F4 after a refusal for the door's window: the manager's approval to let the last scanned
    /// ticket in (no scan can come while it is open: keys go to the dialog).
    pub approval: Option<crate::app::approval::Approval>,
}

impl DoorScreen {
    pub fn new(mut store: Store, policy: Policy, place: DoorPlace, now: Time) -> anyhow::Result<DoorScreen> {
        // Without a show of its own, a door that restarts counts for the show last admitted to,
        // while its door is still open.
        let own = place.slot.map(|id| store.slot(id)).transpose()?;
        let show = match own {
            Some(show) => Some(show),
            None => match store.last_admitted_show()? {
                Some(id) => Some(store.slot(id)?).filter(|s| policy.check_door(s, now).is_ok()),
                None => None,
            },
        };
        let mut screen = DoorScreen {
            store,
            policy,
            place,
            now,
            input: String::new(),
            scans: Vec::new(),
            show,
            count: (0, 0),
            color: true,
            quit: false,
            approval: None,
        };
        screen.recount();
        Ok(screen)
    }

    /// A character from the scanner or the keyboard (control characters are dropped).
    pub fn type_char(&mut self, c: char) {
        if !c.is_control() && self.input.chars().count() < 40 {
            self.input.push(c);
        }
    }

    pub fn backspace(&mut self) {
        self.input.pop();
    }

    pub fn clear(&mut self) {
        self.input.clear();
    }

    /// Enter: checks in what was typed.
    pub fn enter(&mut self) {
        let code = self.input.trim().to_string();
        self.input.clear();
        if code.is_empty() {
            return;
        }
        let outcome = match self.store.check_in(&code, &self.place, false, self.now, &self.policy) {
            Ok(Ok(admitted)) => Outcome::Admit(admitted),
            Ok(Err(refusal)) => Outcome::Refused(refusal),
            Err(e) => {
                let reason = if e.exit_code() == 3 { "no such ticket or booking".to_string() } else { e.to_string() };
                Outcome::Unknown { code: crate::domain::codes::normalize_code(&code), reason }
            }
        };
        self.record(&crate::domain::codes::normalize_code(&code), outcome);
    }

    /// Whether the last scan was refused only for the door's window (F4 may let it in).
    pub fn overridable(&self) -> Option<&str> {
        match self.scans.first() {
            Some(Scan { code, outcome: Outcome::Refused(Refusal::TooEarly { .. } | Refusal::Over { .. }), .. }) => {
                Some(code)
            }
            _ => None,
        }
    }

    /// F4: lets in the ticket the last scan refused for the door's window. With operators a
    /// manager approves first (the dialog); without, it is let in at once, as `checkin --force`.
    pub fn override_last(&mut self) {
        let Some(code) = self.overridable().map(str::to_string) else { return };
        match self.store.has_operators() {
            Ok(true) => {
                let refused = match self.scans.first().map(|s| &s.outcome) {
                    Some(Outcome::Refused(r)) => r.headline().to_lowercase(),
                    _ => String::new(),
                };
                let why = format!("{code}: {refused}, outside the door's window");
                self.approval = Some(crate::app::approval::Approval::new(why));
            }
            Ok(false) => self.admit_forced(&code, None),
            Err(e) => self.record(&code, Outcome::Unknown { code: code.clone(), reason: e.to_string() }),
        }
    }

    /// A key while the approval dialog is open: Esc closes it; Enter on the reason checks the
    /// manager and, approved, lets the ticket in with the approval journalled.
    pub fn approval_key(&mut self, action: crate::app::Action) {
        let Some(code) = self.overridable().map(str::to_string) else { return };
        let what =
            |_: &crate::app::approval::Approval| format!("check-in outside the door's window (checkin --force {code})");
        let answer = crate::app::approval::answer(&mut self.approval, action, &mut self.store, self.now, what);
        if let Some(approved) = answer {
            let usher = self.place.operator.clone();
            self.admit_forced(&code, Some(approved.for_store(&usher)));
        }
    }

    /// Checks `code` in outside the door's window, with the manager's approval journalled.
    fn admit_forced(&mut self, code: &str, approval: Option<(&str, &str, &str, &str)>) {
        let (place, now, policy) = (&self.place, self.now, &self.policy);
        let checked = self.store.approved(approval, now, |store| store.check_in(code, place, true, now, policy));
        let outcome = match checked {
            Ok(Ok(admitted)) => Outcome::Admit(admitted),
            Ok(Err(refusal)) => Outcome::Refused(refusal),
            Err(e) => Outcome::Unknown { code: code.to_string(), reason: e.to_string() },
        };
        self.record(code, outcome);
    }

    /// Adds a scan to the list; a door of no show of its own counts for the show it admitted to.
    fn record(&mut self, code: &str, outcome: Outcome) {
        if let (None, Outcome::Admit(admitted)) = (self.place.slot, &outcome)
            && let Some(first) = admitted.first()
        {
            self.show = Some(first.slot.clone());
        }
        self.scans.insert(0, Scan { at: self.now, code: code.to_string(), outcome });
        self.scans.truncate(RECENT);
        self.recount();
    }

    /// Reads the current show's count again (other doors admit too).
    pub fn recount(&mut self) {
        if let Some(show) = &self.show
            && let Ok(count) = self.store.door_count(show.id)
        {
            self.count = count;
        }
    }
}

#[cfg(test)]
mod tests;
