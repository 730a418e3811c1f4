//! Rebooking: choosing the new show, and the confirmation with the price difference.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::Theme;
use crate::app::rebook::{RebookConfirm, RebookSlots};
use crate::domain::time::{Time, format_time};

pub fn render_slots(pick: &RebookSlots, now: Time, body: Rect, buf: &mut Buffer, theme: Theme) {
    let [title, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(body);
    let t = &pick.ticket;
    Paragraph::new(Line::from(vec![
        Span::styled(
            if pick.together { format!(" Rebook {} together ", t.booking) } else { format!(" Rebook {} ", t.code) },
            theme.title(),
        ),
        Span::raw(format!("(seat {} · {} · {})", t.seat, t.slot.name, format_time(&t.slot.start))),
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
            let line = Line::from(format!(
                "{marker}{} {}  {:<26} {:<10} {:>3} free{current}{running}",
                crate::domain::time::local(&s.slot.start).format("%a %d %b"),
                crate::domain::time::local(&s.slot.start).format("%H:%M"),
                s.slot.name,
                s.slot.hall,
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
    let t = &confirm.ticket;
    let difference = confirm.difference();
    let money = match difference {
        0 => "No price difference".to_string(),
        d if d > 0 => format!("Charge {} more ({})", theme.amount(d), t.payment.name()),
        d => format!("Refund {} ({})", theme.amount(-d), t.payment.name()),
    };
    let lines = vec![
        Line::from(Span::styled(format!(" Rebook {}", t.code), theme.title())),
        Line::default(),
        Line::from(format!(
            " From  {} · {} · {} · seat {} · {}",
            t.slot.name,
            t.slot.hall,
            format_time(&t.slot.start),
            t.seat,
            theme.amount(t.price)
        )),
        Line::from(format!(
            " To    {} · {} · {} · seat {} · {}",
            confirm.slot.name,
            confirm.slot.hall,
            format_time(&confirm.slot.start),
            confirm.seat.label(),
            theme.amount(confirm.seat.price)
        )),
        Line::default(),
        Line::from(Span::styled(format!(" {money}"), theme.money())),
        Line::default(),
        Line::from(Span::styled(
            " Enter rebooks: the old ticket is archived and a new one issued. Esc goes back.",
            theme.dim(),
        )),
    ];
    Paragraph::new(lines).render(body, buf);
}
