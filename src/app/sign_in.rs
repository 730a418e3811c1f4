//! Who is at the counter, once the theatre has operators: the counter locks after
//! `[counter] lock_minutes` without a key, and F2 hands it to another cashier. Either way a
//! name and a PIN unlock it, and whatever screen was open stays as it was.

use super::{Action, InputMode};
use crate::domain::staff::Role;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Pin,
}

/// The sign-in dialog over the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// Why it shows: "Locked after 10 minutes" or "Change of cashier".
    pub why: String,
    pub name: String,
    /// Typed, never shown.
    pub pin: String,
    pub focus: Field,
    pub error: Option<String>,
    /// A change of cashier can be called off (Esc); a lock cannot.
    pub cancellable: bool,
}

/// What Enter came to.
pub enum Outcome {
    Stay,
    SignedIn(String, Role),
}

impl SignIn {
    /// The dialog for `name` (the same cashier after a lock), or empty for a new one.
    pub fn new(why: impl Into<String>, name: &str) -> SignIn {
        let focus = if name.is_empty() { Field::Name } else { Field::Pin };
        SignIn { why: why.into(), name: name.to_string(), pin: String::new(), focus, error: None, cancellable: false }
    }

    /// F2: another cashier takes the counter; Esc keeps the one signed in.
    pub fn change_of_cashier() -> SignIn {
        SignIn { cancellable: true, ..SignIn::new("Change of cashier: who takes the counter?", "") }
    }

    pub fn input_mode(&self) -> InputMode {
        InputMode::Text
    }

    pub fn handle(&mut self, action: Action, store: &mut Store, now: crate::domain::time::Time) -> Outcome {
        let field = match self.focus {
            Field::Name => &mut self.name,
            Field::Pin => &mut self.pin,
        };
        match action {
            Action::Char(c) if !c.is_control() && field.chars().count() < 40 => field.push(c),
            Action::Backspace => {
                field.pop();
            }
            Action::ClearField => field.clear(),
            Action::NextField | Action::PrevField | Action::Up | Action::Down => {
                self.focus = if self.focus == Field::Name { Field::Pin } else { Field::Name };
            }
            Action::Confirm if self.focus == Field::Name && self.name.trim().is_empty() => {
                self.error = Some("type your name".into());
            }
            Action::Confirm if self.focus == Field::Name => self.focus = Field::Pin,
            Action::Confirm => {
                let pin = std::mem::take(&mut self.pin);
                match store.sign_in(&self.name, &pin, now) {
                    Ok((name, role)) => return Outcome::SignedIn(name, role),
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            _ => {}
        }
        Outcome::Stay
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::super::testing::{app, press, t, type_text};
    use super::super::{Message, Screen};
    use crate::domain::staff::Role;

    #[test]
    fn an_idle_counter_locks_keeping_the_open_screen_and_f2_hands_it_to_another_cashier() {
        let (mut app, slots) = app();
        app.store.add_operator("Boss", Role::Admin, "4711", "setup", app.now).expect("admin");
        app.store.add_operator("Ann", Role::Cashier, "3333", "Boss", app.now).expect("cashier");
        (app.operator, app.role) = ("Ann".into(), Some(Role::Cashier));
        let index = app.schedule.visible().iter().position(|s| s.slot.id == slots.upcoming).expect("listed");
        app.schedule.selected = index;
        for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter] {
            press(&mut app, key);
        }
        type_text(&mut app, "Raj");
        // Eleven minutes without a key: locked, the booking form still underneath.
        app.set_now(t("2026-11-23 12:11"));
        app.update(super::super::Action::Tick);
        assert!(app.sign_in.is_some(), "locked");
        let frame = super::super::testing::draw(&mut app, 80, 24);
        let text: String = frame.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        assert!(text.contains("Locked after 10 minutes") && !text.contains("3333"), "the dialog, no PIN shown");
        type_text(&mut app, "0000");
        press(&mut app, KeyCode::Enter);
        assert!(app.sign_in.as_ref().and_then(|d| d.error.as_deref()).is_some_and(|e| e.contains("wrong PIN")));
        type_text(&mut app, "3333");
        press(&mut app, KeyCode::Enter);
        assert!(app.sign_in.is_none(), "unlocked");
        let Some(Screen::Booking(form)) = app.screens.last() else { panic!("the form went away") };
        assert_eq!(form.name, "Raj", "what was typed is still there");
        // F2: Boss takes the counter.
        press(&mut app, KeyCode::F(2));
        type_text(&mut app, "boss");
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "4711");
        press(&mut app, KeyCode::Enter);
        assert_eq!((app.operator.as_str(), app.role), ("Boss", Some(Role::Admin)));
        assert!(matches!(&app.message, Some(Message::Info(m)) if m.starts_with("Boss is at the counter")));
    }

    #[test]
    fn a_counter_without_operators_never_locks() {
        let (mut app, _) = app();
        app.set_now(t("2026-11-23 18:00"));
        app.update(super::super::Action::Tick);
        press(&mut app, KeyCode::F(2));
        assert!(app.sign_in.is_none());
    }
}
