//! Repairing an arrow key's escape sequence that a slow link split: over SSH, Esc pressed just
//! before an arrow can arrive as Esc, then `[` and `A` as plain keys, which would jump a day.
//! Right after an Esc, a `[` is held back for a few milliseconds: followed by `A`–`D` it was an
//! arrow; otherwise it is let through as typed.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How soon after an Esc a `[` counts as the rest of a split sequence (a person cannot type
/// Esc then `[` this fast).
pub const SPLIT: Duration = Duration::from_millis(30);

#[derive(Debug, Default)]
pub struct KeyRepair {
    last_esc: Option<Instant>,
    /// A `[` held back, and when it came.
    held: Option<(KeyEvent, Instant)>,
}

impl KeyRepair {
    /// The keys to act on after `key` arrived at `now`.
    pub fn feed(&mut self, key: KeyEvent, now: Instant) -> Vec<KeyEvent> {
        let plain = key.modifiers == KeyModifiers::NONE || key.modifiers == KeyModifiers::SHIFT;
        if let Some((bracket, at)) = self.held.take() {
            let arrow = match key.code {
                KeyCode::Char('A') => Some(KeyCode::Up),
                KeyCode::Char('B') => Some(KeyCode::Down),
                KeyCode::Char('C') => Some(KeyCode::Right),
                KeyCode::Char('D') => Some(KeyCode::Left),
                _ => None,
            };
            return match arrow {
                Some(code) if plain && now.duration_since(at) <= SPLIT => vec![KeyEvent::new(code, KeyModifiers::NONE)],
                _ => vec![bracket, key],
            };
        }
        let just_after_esc = self.last_esc.is_some_and(|at| now.duration_since(at) <= SPLIT);
        self.last_esc = (key.code == KeyCode::Esc).then_some(now);
        if key.code == KeyCode::Char('[') && plain && just_after_esc {
            self.held = Some((key, now));
            return Vec::new();
        }
        vec![key]
    }

    /// A `[` held back longer than [`SPLIT`] was typed as such.
    pub fn flush(&mut self, now: Instant) -> Vec<KeyEvent> {
        match self.held {
            Some((bracket, at)) if now.duration_since(at) > SPLIT => {
                self.held = None;
                vec![bracket]
            }
            _ => Vec::new(),
        }
    }

    /// Whether a key is held back (the reader should look again soon).
    pub fn holding(&self) -> bool {
        self.held.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn esc() -> KeyEvent {
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)
    }

    #[test]
    fn esc_then_an_arrow_in_one_burst_is_esc_then_the_arrow() {
        let mut repair = KeyRepair::default();
        let t0 = Instant::now();
        let mut out = repair.feed(esc(), t0);
        out.extend(repair.feed(key('['), t0 + Duration::from_millis(1)));
        out.extend(repair.feed(key('A'), t0 + Duration::from_millis(2)));
        let codes: Vec<KeyCode> = out.iter().map(|k| k.code).collect();
        assert_eq!(codes, vec![KeyCode::Esc, KeyCode::Up]);
    }

    #[test]
    fn a_typed_bracket_is_a_bracket() {
        let mut repair = KeyRepair::default();
        let t0 = Instant::now();
        // Long after an Esc: at once.
        repair.feed(esc(), t0);
        assert_eq!(repair.feed(key('['), t0 + Duration::from_secs(1)), vec![key('[')]);
        // Right after an Esc but followed by something else: both, in order.
        repair.feed(esc(), t0 + Duration::from_secs(2));
        assert!(repair.feed(key('['), t0 + Duration::from_secs(2)).is_empty());
        assert_eq!(repair.feed(key('x'), t0 + Duration::from_secs(2)), vec![key('['), key('x')]);
        // Right after an Esc and then nothing: let through once the moment has passed.
        repair.feed(esc(), t0 + Duration::from_secs(3));
        assert!(repair.feed(key('['), t0 + Duration::from_secs(3)).is_empty());
        assert!(repair.holding());
        assert_eq!(repair.flush(t0 + Duration::from_secs(3) + SPLIT * 2), vec![key('[')]);
    }
}
