//! The till screen: the cashier's takings and drawer today, and the field to open or close it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::Theme;
use crate::app::till::TillView;
use crate::domain::time::local;

pub fn render(view: &TillView, operator: &str, body: Rect, buf: &mut Buffer, theme: Theme) {
    let mut lines = vec![Line::from(Span::styled(format!(" Till of {operator}"), theme.title())), Line::default()];
    let row = |label: &str, value: String| Line::from(format!("  {label:<16}{value:>12}"));
    if let Some(c) = &view.cash_up {
        lines.push(row("cash sales", theme.amount(c.cash.sales)));
        lines.push(row("cash refunds", theme.amount(c.cash.refunds)));
        lines.push(row("card net", theme.amount(c.card.net)));
        if c.cash.net != c.cash_in_till && c.sessions > 0 {
            // Refunded or taken while no till was open: not in this drawer.
            lines.push(row("outside a till", theme.amount(c.cash.net - c.cash_in_till)));
        }
        let floats = if c.sessions > 1 { format!("floats ({})", c.sessions) } else { "float".to_string() };
        lines.push(row(&floats, theme.amount(c.float)));
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<16}", "cash expected")),
            Span::styled(format!("{:>12}", theme.amount(c.cash_expected)), theme.money()),
        ]));
        if let (Some(counted), Some(variance)) = (c.counted, c.variance) {
            lines.push(row("counted", theme.amount(counted)));
            lines.push(row("variance", theme.amount(variance)));
        }
    } else {
        lines.push(Line::from(Span::styled("  No takings today yet.", theme.dim())));
    }
    lines.push(Line::default());
    let prompt = match &view.open {
        Some(s) => format!("  Open since {}. Cash counted ", local(&s.opened).format("%H:%M")),
        None => "  No till open. Float ".to_string(),
    };
    let mut field = vec![Span::styled(prompt, theme.key())];
    field.extend(crate::app::text_edit::cursor_spans(&view.amount, view.cursor, ratatui::style::Style::new()));
    lines.push(Line::from(field));
    let hint = if view.open.is_some() { "  Enter closes the till." } else { "  Enter opens the till." };
    lines.push(Line::from(Span::styled(hint, theme.dim())));
    if let Some(approval) = &view.approval {
        lines.push(Line::default());
        lines.extend(super::approval::lines(approval, "reopening the till", "leaves it closed", theme));
    }
    if let Some(error) = &view.error {
        lines.push(Line::from(Span::styled(format!(" ! {error}"), theme.error())));
    }
    if !view.journal_head.is_empty() {
        // Written down at closing, `journal verify --head` later proves nothing before it changed.
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(format!("  journal head {}", view.journal_head), theme.dim())));
    }
    Paragraph::new(lines).render(body, buf);
}
