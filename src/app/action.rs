//! Keys become actions. One table per input mode, so that the same key means the same thing on
//! every screen (Enter confirms, Esc backs out, `/` searches, `?` helps) and letters type text
//! only where a text field has the focus.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// What the cashier asked for, whatever key they used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    /// Home (and `g` where there is no day to go back to): the first row, the front.
    Home,
    /// End, `G`: the last row, the back.
    End,
    /// Enter: open, next step, commit.
    Confirm,
    /// Esc: back out without changing anything.
    Back,
    /// `q`: leave this screen, or the program from the schedule.
    Quit,
    /// Ctrl-C: leave the program from anywhere, releasing any seats held.
    ForceQuit,
    Help,
    /// Space: select or unselect the seat under the cursor, or flip a choice.
    Toggle,
    /// A digit on the seat map: pick the best N seats (0 means 10).
    BestSeats(usize),
    Char(char),
    Backspace,
    NextField,
    PrevField,
    PrevDay,
    NextDay,
    Today,
    Search,
    CycleGenre,
    Lookup,
    Rebook,
    /// `R` on the lookup: rebook the whole booking together.
    RebookBooking,
    /// F2: another cashier takes the counter (with operators).
    SwitchOperator,
    /// F4 on the booking form: a manager's price override or free tickets.
    PriceOverride,
    CancelTicket,
    CancelBooking,
    Print,
    /// `d`: the day at a glance.
    Dashboard,
    /// `m`: the cashier's till (money): open, the drawer, close.
    Till,
    /// `w`: the waiting list of the show.
    Waitlist,
    /// `a`: add (a party to the waiting list).
    Add,
    /// `x`: take off (an entry of the waiting list).
    Remove,
    /// `v`: on an office PC, the schedule of the next cinema of the chain.
    NextCinema,
    /// Ctrl-U in a text field: clear it.
    ClearField,
    /// Ctrl-W in a text field: delete the word before the cursor.
    DeleteWord,
    /// A left click at a terminal cell (column, row).
    Click(u16, u16),
    /// Time passed: refresh clocks and look for other counters' changes.
    Tick,
    Resize(u16, u16),
}

/// How keys are read on the focused part of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Keys are commands.
    Command,
    /// A text field has the focus: printable keys type.
    Text,
}

/// The action for a key press in a mode, if any.
pub fn action_for_key(key: KeyEvent, mode: InputMode) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') | KeyCode::Char('q') => Some(Action::ForceQuit),
            KeyCode::Char('u') => Some(Action::ClearField),
            KeyCode::Char('w') => Some(Action::DeleteWord),
            _ => None,
        };
    }
    let common = match key.code {
        KeyCode::Enter => Some(Action::Confirm),
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::Left => Some(Action::Left),
        KeyCode::Right => Some(Action::Right),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Home => Some(Action::Home),
        KeyCode::End => Some(Action::End),
        KeyCode::Tab => Some(Action::NextField),
        KeyCode::BackTab => Some(Action::PrevField),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::F(1) => Some(Action::Help),
        KeyCode::F(2) => Some(Action::SwitchOperator),
        KeyCode::F(4) => Some(Action::PriceOverride),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    let KeyCode::Char(c) = key.code else { return None };
    if mode == InputMode::Text {
        return Some(Action::Char(c));
    }
    Some(match c {
        'k' => Action::Up,
        'j' => Action::Down,
        'h' => Action::Left,
        'l' => Action::Right,
        ' ' => Action::Toggle,
        '1'..='9' => Action::BestSeats(c as usize - '0' as usize),
        '0' => Action::BestSeats(10),
        'q' => Action::Quit,
        '?' => Action::Help,
        '/' => Action::Search,
        '[' | '<' => Action::PrevDay,
        ']' | '>' => Action::NextDay,
        'g' => Action::Today,
        'G' => Action::End,
        'f' => Action::CycleGenre,
        't' => Action::Lookup,
        'r' => Action::Rebook,
        'R' => Action::RebookBooking,
        'c' => Action::CancelTicket,
        'C' => Action::CancelBooking,
        'p' => Action::Print,
        'd' => Action::Dashboard,
        'm' => Action::Till,
        'w' => Action::Waitlist,
        'a' => Action::Add,
        'x' => Action::Remove,
        'v' => Action::NextCinema,
        _ => return None,
    })
}

/// The action for a mouse event: only left clicks matter (they toggle seats).
pub fn action_for_mouse(mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.column, mouse.row)),
        MouseEventKind::ScrollUp => Some(Action::Up),
        MouseEventKind::ScrollDown => Some(Action::Down),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn letters_type_in_text_fields_and_command_elsewhere() {
        assert_eq!(action_for_key(key(KeyCode::Char('q')), InputMode::Command), Some(Action::Quit));
        assert_eq!(action_for_key(key(KeyCode::Char('q')), InputMode::Text), Some(Action::Char('q')));
        assert_eq!(action_for_key(key(KeyCode::Char('2')), InputMode::Command), Some(Action::BestSeats(2)));
        assert_eq!(action_for_key(key(KeyCode::Char('0')), InputMode::Command), Some(Action::BestSeats(10)));
        assert_eq!(action_for_key(key(KeyCode::Enter), InputMode::Text), Some(Action::Confirm));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for_key(ctrl_c, InputMode::Text), Some(Action::ForceQuit));
    }
}
