//! Rebooking: choosing the new show, and the confirmation with the price difference.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use ratatui::style::Style;

use super::theme::Theme;
use crate::app::rebook::{RebookConfirm, RebookSlots};
use crate::app::text_edit::cursor_spans;
use crate::domain::model::PaymentMethod;
use crate::domain::time::{Time, format_time};

pub fn render_slots(pick: &RebookSlots, now: Time, body: Rect, buf: &mut Buffer, theme: Theme) {
    let [title, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(body);
    let t = &pick.ticket;
    Paragraph::new(Line::from(vec![
        Span::styled(
            if pick.together { format!(" Rebook {} together ", t.booking) } else { format!(" Rebook {} ", t.code) },
            theme.title(),
        ),
        Span::raw(if pick.together {
            format!("({} · {})", t.slot.name, format_time(&t.slot.start))
        } else {
            format!("(seat {} · {} · {})", t.seat, t.slot.name, format_time(&t.slot.start))
        }),
    ]))
    .render(title, buf);
    if pick.slots.is_empty() {
        Paragraph::new(Span::styled(" No show is on sale.", theme.dim())).render(list, buf);
        return;
    }
    let height = list.height as usize;
    let first = pick.selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = pick
        .slots
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, s)| {
            let same = s.slot.name.eq_ignore_ascii_case(&t.slot.name);
            let marker = if i == pick.selected { "> " } else { "  " };
            let current = if s.slot.id == t.slot.id { " (this show)" } else { "" };
            let running = if now >= s.slot.start { " running" } else { "" };
            // The title gives way on a narrow screen, never the free seats ("20" for "200").
            let fixed = 2 + 16 + 2 + 1 + 10 + 1 + 9;
            let title = (list.width as usize).saturating_sub(fixed).clamp(8, 26);
            let line = Line::from(format!(
                "{marker}{} {}  {} {} {:>4} free{current}{running}",
                crate::domain::time::local(&s.slot.start).format("%a %d %b"),
                crate::domain::time::local(&s.slot.start).format("%H:%M"),
                crate::domain::text::fit(&s.slot.name, title),
                crate::domain::text::fit(&s.slot.hall, 10),
                s.seats_free
            ));
            match (i == pick.selected, same) {
                (true, _) => line.style(theme.highlight()),
                (false, true) => line,
                (false, false) => line.style(theme.dim()),
            }
        })
        .collect();
    Paragraph::new(lines).render(list, buf);
}

pub fn render_confirm(confirm: &RebookConfirm, body: Rect, buf: &mut Buffer, theme: Theme) {
    let Some(first) = confirm.old.first() else { return };
    let title = if confirm.together {
        format!(" Rebook {} together ({} tickets)", first.booking, confirm.old.len())
    } else {
        format!(" Rebook {}", first.code)
    };
    let seats = |labels: Vec<String>, total: i64| {
        let word = if labels.len() == 1 { "seat" } else { "seats" };
        format!("{word} {} · {}", labels.join(" "), theme.amount(total))
    };
    let mut lines = vec![
        Line::from(Span::styled(title, theme.title())),
        Line::default(),
        // Show and seats on lines of their own: the prices must not be cut on a narrow screen.
        Line::from(format!(" From  {} · {} · {}", first.slot.name, first.slot.hall, format_time(&first.slot.start))),
        Line::from(format!(
            "       {}",
            seats(confirm.old.iter().map(|t| t.seat.clone()).collect(), confirm.old.iter().map(|t| t.price).sum())
        )),
        Line::from(format!(
            " To    {} · {} · {}",
            confirm.slot.name,
            confirm.slot.hall,
            format_time(&confirm.slot.start)
        )),
        Line::from(format!(
            "       {}",
            seats(confirm.seats.iter().map(|s| s.label()).collect(), confirm.seats.iter().map(|s| s.price).sum())
        )),
        Line::default(),
    ];
    let difference = confirm.difference();
    let money = match difference {
        0 => "No price difference".to_string(),
        d if d > 0 => format!("Charge {} more", theme.amount(d)),
        d => format!("Refund {}", theme.amount(-d)),
    };
    lines.push(Line::from(Span::styled(format!(" {money}"), theme.money())));
    if difference != 0 {
        let pay = match confirm.method {
            PaymentMethod::Cash => "(*) cash  ( ) card",
            PaymentMethod::Card => "( ) cash  (*) card",
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<10}", "Settle by"), theme.dim()),
            Span::raw(pay),
            Span::styled("  Tab switches", theme.dim()),
        ]));
    }
    if confirm.takes_cash() {
        let mut tendered = vec![Span::styled(format!("> {:<10}", "Tendered"), theme.key())];
        tendered.extend(cursor_spans(&confirm.tendered, confirm.cursor, Style::new()));
        tendered.push(Span::styled("  empty: exact money", theme.dim()));
        lines.push(Line::from(tendered));
        lines.push(super::booking::change_line(confirm.tendered_amount(""), difference, theme));
    }
    lines.push(Line::default());
    if let Some(error) = &confirm.error {
        lines.push(Line::from(Span::styled(format!(" ! {error}"), theme.error())));
    }
    if let Some(approval) = &confirm.approval {
        lines.extend(super::approval::lines(approval, "the rebooking", "goes back", theme));
        return Paragraph::new(lines).render(body, buf);
    }
    let what = if confirm.together {
        " Enter moves them together as one new booking. Esc goes back."
    } else {
        " Enter rebooks: the old ticket is archived and a new one issued. Esc goes back."
    };
    lines.push(Line::from(Span::styled(what, theme.dim())));
    Paragraph::new(lines).render(body, buf);
}
