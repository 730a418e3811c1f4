//! Ticket lookup: the code being typed, the tickets found, the chosen one in detail with its
//! history; and the cancellation dialog over it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::chrome::dialog;
use super::theme::Theme;
use crate::app::lookup::{CancelConfirm, Lookup};
use crate::domain::model::TicketDetails;
use crate::domain::time::format_time;

pub fn render(lookup: &Lookup, body: Rect, buf: &mut Buffer, theme: Theme) {
    let list_height = (lookup.tickets.len() as u16 + 1).min(6);
    let [input, list, detail] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(list_height), Constraint::Min(1)]).areas(body);
    let mut spans = vec![Span::raw(" Code, name or phone: ")];
    if lookup.editing {
        spans.extend(crate::app::text_edit::cursor_spans(&lookup.input, lookup.cursor, theme.key()));
    } else {
        spans.push(Span::styled(lookup.input.clone(), theme.key()));
    }
    Paragraph::new(Line::from(spans)).render(input, buf);
    if lookup.tickets.is_empty() {
        Paragraph::new(Span::styled(
            " A code (TKT-7F3K9Q, BKG-2M8D4A), or part of a name or phone, then Enter.",
            theme.dim(),
        ))
        .render(list, buf);
        return;
    }
    let mut lines = Vec::new();
    for (i, t) in lookup.tickets.iter().enumerate() {
        let marker = if i == lookup.selected { "> " } else { "  " };
        let line = Line::from(format!(
            "{marker}{}  seat {:<4} {} {:<8} {:>7}  {} {}",
            t.code,
            t.seat,
            crate::domain::text::fit(&t.ticket_type, 7),
            t.status.name(),
            theme.amount(t.price),
            t.slot.name,
            crate::domain::time::local(&t.slot.start).format("%d %b %H:%M")
        ));
        lines.push(if i == lookup.selected { line.style(theme.highlight()) } else { line });
    }
    Paragraph::new(lines).render(list, buf);
    if let Some(t) = lookup.selected_ticket() {
        Paragraph::new(details(t, theme)).render(detail, buf);
    }
}

fn details(t: &TicketDetails, theme: Theme) -> Vec<Line<'static>> {
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!("  {label:<10}"), theme.dim()), Span::raw(value)])
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", t.code), theme.title()),
            Span::styled(t.status.name().to_uppercase(), theme.key()),
        ]),
        row(
            "Show",
            format!(
                "{} · {} · {}-{}",
                t.slot.name,
                t.slot.hall,
                format_time(&t.slot.start),
                crate::domain::time::local(&t.slot.end).format("%H:%M")
            ),
        ),
        row("Seat", format!("{} ({}) · {} · {}", t.seat, t.category, t.ticket_type, theme.amount(t.price))),
        row(
            "Customer",
            format!(
                "{}{}",
                t.customer.display_name(),
                t.customer.phone.as_deref().map(|p| format!(" · {p}")).unwrap_or_default()
            ),
        ),
        row("Booking", format!("{} · paid {} · sold by {}", t.booking, t.payment.name(), t.operator)),
        row("Issued", format!("{} · last change {}", format_time(&t.created), format_time(&t.changed))),
    ];
    if let Some(old) = &t.replaces {
        lines.push(row("Replaces", old.clone()));
    }
    if let Some(new) = &t.replaced_by {
        lines.push(row("Replaced by", new.clone()));
    }
    lines
}

pub fn render_cancel(confirm: &CancelConfirm, body: Rect, buf: &mut Buffer, theme: Theme) {
    let extra = if confirm.approval.is_some() { 7 } else { 0 };
    let height = confirm.tickets.len().min(10) as u16 + 6 + extra;
    let inner = dialog(body, buf, 56, height, "Cancel and refund");
    let mut lines = vec![Line::from(format!(" Cancel {}:", confirm.code))];
    for t in confirm.tickets.iter().take(10) {
        lines.push(Line::from(format!("   {} seat {:<4} {} {}", t.code, t.seat, t.ticket_type, theme.amount(t.price))));
    }
    let method = confirm.tickets.first().map_or("", |t| t.payment.name());
    lines.push(Line::from(vec![
        Span::raw(" Refund "),
        Span::styled(theme.amount(confirm.refund()), theme.money()),
        Span::raw(format!(" ({method})")),
    ]));
    lines.push(Line::default());
    match &confirm.approval {
        None => lines.push(Line::from(Span::styled(" Enter cancels and refunds · Esc keeps them", theme.key()))),
        Some(approval) => lines.extend(super::approval::lines(approval, "the refund", "keeps the tickets", theme)),
    }
    Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }).render(inner, buf);
}
