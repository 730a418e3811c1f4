//! A manager's approval at the counter and the door, for what the everyday rules refuse (a
//! refund or a rebooking past the cut-off or of a ticket already inside, reopening a till
//! closed today, a price override, a check-in outside the door's window): the manager types
//! their name and PIN and picks a reason; the approval is journalled in the transaction of the
//! action it approves (see `Store::approved`).

use super::Action;
use crate::domain::staff::{REASONS, Right};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Pin,
    Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// Why it is needed, as the refusal said it.
    pub why: String,
    pub name: String,
    pub pin: String,
    /// Index into [`REASONS`].
    pub reason: usize,
    pub focus: Field,
    pub error: Option<String>,
}

impl Approval {
    pub fn new(why: impl Into<String>) -> Approval {
        Approval {
            why: why.into(),
            name: String::new(),
            pin: String::new(),
            reason: 0,
            focus: Field::Name,
            error: None,
        }
    }

    pub fn reason(&self) -> &'static str {
        REASONS[self.reason % REASONS.len()]
    }

    /// A key; `true` when Enter asks for the approval to be checked.
    pub fn handle(&mut self, action: Action) -> bool {
        match (self.focus, action) {
            (_, Action::NextField | Action::Down) => self.focus = next(self.focus, 1),
            (_, Action::PrevField | Action::Up) => self.focus = next(self.focus, 2),
            (Field::Reason, Action::Left) => self.reason = (self.reason + REASONS.len() - 1) % REASONS.len(),
            (Field::Reason, Action::Right | Action::Char(' ')) => self.reason = (self.reason + 1) % REASONS.len(),
            (Field::Name, Action::Char(c)) if !c.is_control() && self.name.chars().count() < 40 => self.name.push(c),
            (Field::Pin, Action::Char(c)) if c.is_ascii_digit() && self.pin.len() < 8 => self.pin.push(c),
            (Field::Name, Action::Backspace) => {
                self.name.pop();
            }
            (Field::Pin, Action::Backspace) => {
                self.pin.pop();
            }
            (Field::Reason, Action::Confirm) => return true,
            (_, Action::Confirm) => self.focus = next(self.focus, 1),
            _ => {}
        }
        self.error = None;
        false
    }

    /// Checks the manager's name and PIN (and that they may approve): their name, or why not.
    pub fn check(&mut self, store: &mut Store, now: crate::domain::time::Time) -> Option<String> {
        let pin = std::mem::take(&mut self.pin);
        let checked =
            store.sign_in(&self.name, &pin, now).and_then(|(name, role)| match role.check(&name, Right::Approve) {
                Ok(()) => Ok(name),
                // Signed in but not allowed to approve: the attempt is journalled.
                Err(refusal) => {
                    store.record_refusal(&name, &refusal.to_string(), now)?;
                    Err(refusal.into())
                }
            });
        match checked {
            Ok(name) => Some(name),
            Err(e) => {
                self.error = Some(e.to_string());
                self.focus = Field::Pin;
                None
            }
        }
    }
}

/// A manager's yes: who gave it, the reason picked, and what they approved (for the journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub manager: String,
    pub reason: &'static str,
    pub what: String,
}

impl Approved {
    /// The approval as `Store::approved` journals it, asked by `operator`.
    pub fn for_store<'a>(&'a self, operator: &'a str) -> (&'a str, &'a str, &'a str, &'a str) {
        (&self.what, operator, &self.manager, self.reason)
    }
}

/// A key for the approval dialog `dialog` holds, if any: Esc closes it; Enter on the reason
/// checks the manager, and their approval (of `what` the dialog is for) closes it too. `None`
/// while the dialog stays open, once it is closed, or when there is none.
pub fn answer(
    dialog: &mut Option<Approval>,
    action: Action,
    store: &mut Store,
    now: crate::domain::time::Time,
    what: impl FnOnce(&Approval) -> String,
) -> Option<Approved> {
    let approval = dialog.as_mut()?;
    if matches!(action, Action::Back | Action::Quit) {
        *dialog = None;
        return None;
    }
    if !approval.handle(action) {
        return None;
    }
    let manager = approval.check(store, now)?;
    let approved = Approved { manager, reason: approval.reason(), what: what(approval) };
    *dialog = None;
    Some(approved)
}

fn next(field: Field, steps: usize) -> Field {
    let order = [Field::Name, Field::Pin, Field::Reason];
    let at = order.iter().position(|f| *f == field).unwrap_or(0);
    order[(at + steps) % order.len()]
}
