//! A manager's approval inside a dialog: why it is needed, then name, PIN (as dots), reason.

use ratatui::text::{Line, Span};

use super::theme::Theme;

/// The approval's lines: `approves` is what the manager approves ("the refund"), `esc` what
/// Esc does instead ("keeps the tickets").
pub fn lines(approval: &crate::app::approval::Approval, approves: &str, esc: &str, theme: Theme) -> Vec<Line<'static>> {
    use crate::app::approval::Field;
    let field = |f: Field, label: &str, value: String| {
        let focused = approval.focus == f;
        let style = if focused { theme.key() } else { theme.dim() };
        Line::from(vec![
            Span::styled(format!(" {}{label:<9}", if focused { ">" } else { " " }), style),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        Line::from(Span::styled(format!(" {}", approval.why), theme.error())),
        Line::from(format!(" A manager approves {approves}:")),
        field(Field::Name, "Manager", approval.name.clone()),
        field(Field::Pin, "PIN", "•".repeat(approval.pin.len())),
        field(Field::Reason, "Reason", format!("‹ {} ›", approval.reason())),
    ];
    match &approval.error {
        Some(e) => lines.push(Line::from(Span::styled(format!(" ! {e}"), theme.error()))),
        None => lines.push(Line::from(Span::styled(format!(" Tab/Enter next · ←→ reason · Esc {esc}"), theme.dim()))),
    }
    lines
}
