//! The sign-in dialog: the name as typed, the PIN as dots.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::theme::Theme;
use crate::app::sign_in::{Field, SignIn};

pub fn render(dialog: &SignIn, area: Rect, buf: &mut Buffer, theme: Theme) {
    let inner = super::chrome::dialog(area, buf, 56, 9, "Sign in");
    let field = |f: Field, label: &str, value: String| {
        let focused = dialog.focus == f;
        Line::from(vec![
            Span::styled(
                format!("{}{label:<6}", if focused { "> " } else { "  " }),
                if focused { theme.key() } else { theme.dim() },
            ),
            Span::raw(value),
            Span::styled(if focused { "_" } else { "" }, theme.key()),
        ])
    };
    let mut lines = vec![
        Line::from(Span::styled(format!(" {}", dialog.why), theme.title())),
        Line::default(),
        field(Field::Name, "Name", dialog.name.clone()),
        field(Field::Pin, "PIN", "•".repeat(dialog.pin.chars().count())),
        Line::default(),
    ];
    match &dialog.error {
        Some(e) => lines.push(Line::from(Span::styled(format!(" ! {e}"), theme.error()))),
        None if dialog.cancellable => {
            lines.push(Line::from(Span::styled(" Enter signs in · Esc keeps the cashier signed in", theme.dim())))
        }
        None => lines.push(Line::from(Span::styled(" Enter signs in; what was open stays open.", theme.dim()))),
    }
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
}
