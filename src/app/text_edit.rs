//! Editing a text field at a cursor, as text fields behave everywhere: typing and pasting
//! insert at the cursor, ←/→ and Home/End move it, Backspace deletes before it, Ctrl-W the word
//! before it, Ctrl-U the whole field. The editing itself is `tui-input`'s.

use tui_input::{Input, InputRequest};

use super::Action;

/// Applies `action` to `text` with the cursor at `cursor` (in characters); false when the
/// action is not an edit (the caller handles it).
pub fn edit(text: &mut String, cursor: &mut usize, action: Action) -> bool {
    let request = match action {
        Action::Char(c) => InputRequest::InsertChar(c),
        Action::Backspace => InputRequest::DeletePrevChar,
        Action::Left => InputRequest::GoToPrevChar,
        Action::Right => InputRequest::GoToNextChar,
        Action::Home => InputRequest::GoToStart,
        Action::End => InputRequest::GoToEnd,
        Action::DeleteWord => InputRequest::DeletePrevWord,
        Action::ClearField => InputRequest::DeleteLine,
        _ => return false,
    };
    let mut input = Input::new(std::mem::take(text)).with_cursor(*cursor);
    input.handle(request);
    *cursor = input.cursor();
    *text = input.value().to_string();
    true
}

/// The spans of a field being edited: the text in `style`, the character under the cursor
/// reversed ("_" after the end).
pub fn cursor_spans(text: &str, cursor: usize, style: ratatui::style::Style) -> Vec<ratatui::text::Span<'static>> {
    let (before, under, after) = at_cursor(text, cursor);
    let under = if after.is_empty() && under == " " { "_".to_string() } else { under };
    vec![
        ratatui::text::Span::styled(before, style),
        ratatui::text::Span::styled(under, style.add_modifier(ratatui::style::Modifier::REVERSED)),
        ratatui::text::Span::styled(after, style),
    ]
}

/// `text` split at the cursor: before it, the character under it (a space at the end), after.
pub fn at_cursor(text: &str, cursor: usize) -> (String, String, String) {
    let before: String = text.chars().take(cursor).collect();
    let mut rest = text.chars().skip(cursor);
    let under = rest.next().map_or_else(|| " ".to_string(), String::from);
    (before, under, rest.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, cursor: usize, actions: &[Action]) -> (String, usize) {
        let (mut text, mut cursor) = (text.to_string(), cursor);
        for action in actions {
            assert!(edit(&mut text, &mut cursor, *action));
        }
        (text, cursor)
    }

    #[test]
    fn a_field_edits_at_its_cursor() {
        let typed: Vec<Action> = "Dr ".chars().map(Action::Char).collect();
        let mut actions = vec![Action::Home];
        actions.extend(typed);
        assert_eq!(apply("Ann Lee", 7, &actions), ("Dr Ann Lee".to_string(), 3));
        assert_eq!(apply("Ann Lee", 7, &[Action::Left, Action::Left, Action::Backspace]), ("Ann ee".to_string(), 4));
        assert_eq!(apply("Ann Lee", 7, &[Action::DeleteWord]).0, "Ann ");
        assert_eq!(apply("Ann Lee", 3, &[Action::ClearField]).0, "");
        assert_eq!(apply("Zoë", 3, &[Action::Left, Action::Char('x')]), ("Zoxë".to_string(), 3));
        assert!(!edit(&mut String::new(), &mut 0, Action::Confirm));
        assert_eq!(at_cursor("Ann", 1), ("A".into(), "n".into(), "n".into()));
        assert_eq!(at_cursor("Ann", 3), ("Ann".into(), " ".into(), String::new()));
    }
}
