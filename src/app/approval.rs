//! A manager's approval at the counter, for what the everyday rules refuse (a refund past the
//! cut-off): the manager types their name and PIN and picks a reason; the approval is
//! journalled with the action.

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
        let checked = store
            .sign_in(&self.name, &pin, now)
            .and_then(|(name, role)| role.check(&name, Right::Approve).map(|()| name).map_err(Into::into));
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

fn next(field: Field, steps: usize) -> Field {
    let order = [Field::Name, Field::Pin, Field::Reason];
    let at = order.iter().position(|f| *f == field).unwrap_or(0);
    order[(at + steps) % order.len()]
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::super::testing::{app, press, t, type_text};
    use super::super::{Message, Screen};
    use crate::domain::staff::Role;

    #[test]
    fn a_cashier_refunds_past_the_start_only_with_a_managers_approval_which_is_journalled() {
        let (mut app, slots) = app();
        for (name, role, pin) in
            [("Boss", Role::Admin, "4711"), ("Mia", Role::Manager, "2222"), ("Ann", Role::Cashier, "3333")]
        {
            app.store.add_operator(name, role, pin, "setup", app.now).expect("operator");
        }
        (app.operator, app.role) = ("Ann".into(), Some(Role::Cashier));
        let booking = crate::app::testing::sell(
            &mut app.store,
            slots.upcoming,
            "E1",
            Some("Kim"),
            crate::domain::model::PaymentMethod::Cash,
        );
        let code = app.store.booking_tickets(&booking).expect("tickets")[0].code.clone();
        // Paper Tigers (14:00) has started: the refund is past the cut-off.
        app.set_now(t("2026-11-23 14:20"));
        press(&mut app, KeyCode::Char('t'));
        type_text(&mut app, &code);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('c'));
        let Some(Screen::CancelConfirm(confirm)) = app.screens.last() else { panic!("no dialog: {:?}", app.message) };
        assert!(confirm.approval.is_some(), "a manager must approve");
        let screen = super::super::testing::draw(&mut app, 80, 24);
        let text: String = screen.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        assert!(text.contains("A manager approves the refund"), "{text}");
        // The cashier cannot approve herself; a wrong PIN is refused; then Mia approves.
        type_text(&mut app, "Ann");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "3333");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Enter);
        let Some(Screen::CancelConfirm(confirm)) = app.screens.last() else { panic!("left the dialog") };
        let error = confirm.approval.as_ref().and_then(|a| a.error.clone()).unwrap_or_default();
        assert!(error.contains("Ann is a cashier"), "{error}");
        assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "booked");
        press(&mut app, KeyCode::Up);
        for _ in 0..3 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "Mia");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "2222");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Enter);
        assert!(
            matches!(&app.message, Some(Message::Info(m)) if m.contains("approved by Mia (show-problem)")),
            "{:?}",
            app.message
        );
        assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "canceled");
        let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
        assert!(journal.iter().any(|e| e.action == "approved" && e.detail.contains("approved by Mia · show-problem")));
    }
}
