//! The dashboard: occupancy of today's shows as bars, the takings so far by payment method,
//! and the next shows to start.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::theme::Theme;
use crate::app::dashboard::Dashboard;
use crate::app::schedule::{SlotPhase, phase};
use crate::domain::time::Time;

pub fn render(dash: &Dashboard, now: Time, body: Rect, buf: &mut Buffer, theme: Theme) {
    let side = if body.width >= 100 { 40 } else { 35 };
    let [bars, right] = Layout::horizontal([Constraint::Min(30), Constraint::Length(side)]).areas(body);
    // Two more lines for the tickets by type, when there are types to tell apart.
    let typed = dash.report.as_ref().is_some_and(|r| r.types.len() > 1);
    let [takings, next] =
        Layout::vertical([Constraint::Length(if typed { 10 } else { 8 }), Constraint::Min(3)]).areas(right);

    let block = Block::default().borders(Borders::ALL).title(" Occupancy today ");
    let inner = block.inner(bars);
    block.render(bars, buf);
    // Room for the door's count ("in 120/206") once anyone was admitted.
    let door_width = if dash.slots.iter().any(|s| s.checked_in > 0) { 11 } else { 0 };
    let bar_width = inner.width.saturating_sub(24 + door_width) as usize;
    let mut lines = Vec::new();
    for s in &dash.slots {
        let sold = s.seats_total - s.seats_free;
        let share = (sold * 100).checked_div(s.seats_total).unwrap_or(0);
        let filled = (sold * bar_width).checked_div(s.seats_total).unwrap_or(0);
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(bar_width - filled));
        let style = match phase(s, now) {
            SlotPhase::Ended => theme.dim(),
            SlotPhase::Running => theme.running(),
            SlotPhase::Upcoming => ratatui::style::Style::new(),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {:<12.12} ", crate::domain::time::local(&s.slot.start).format("%H:%M"), s.slot.name),
                style,
            ),
            Span::styled(bar, style),
            Span::styled(format!(" {share:>3}%"), style),
            // Attendance: admitted at the door, of the tickets sold.
            Span::styled(
                match s.seats_total - s.seats_free - s.seats_held {
                    booked if door_width > 0 && booked > 0 => format!(" in {:>3}/{booked:<3}", s.checked_in),
                    _ => String::new(),
                },
                theme.dim(),
            ),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No shows today.", theme.dim())));
    }
    Paragraph::new(lines).render(inner, buf);

    // The same figures in the same words as `ticketly report`: sales, refunds and net by method.
    let block = Block::default().borders(Borders::ALL).title(" Takings today ");
    let inner = block.inner(takings);
    block.render(takings, buf);
    let mut lines = Vec::new();
    if let Some(report) = &dash.report {
        let row = |label: &str, sales, refunds, net| format!("{label:<6}{sales:>9}{refunds:>9}{net:>9}");
        lines.push(Line::from(Span::styled(row("", "sales".into(), "refunds".into(), "net".into()), theme.dim())));
        for m in &report.methods {
            lines.push(Line::from(row(
                m.method.name(),
                theme.amount(m.sales),
                theme.amount(m.refunds),
                theme.amount(m.net),
            )));
        }
        let total =
            row("total", theme.amount(report.sales()), theme.amount(report.refunds()), theme.amount(report.net()));
        lines.push(Line::from(Span::styled(total, theme.money())));
        let (sold, refunded): (usize, usize) =
            report.methods.iter().fold((0, 0), |(s, r), m| (s + m.tickets_sold, r + m.tickets_refunded));
        lines.push(Line::from(Span::styled(format!("{sold} tickets sold, {refunded} refunded"), theme.dim())));
        if report.types.len() > 1 {
            // The same tickets by type: "Adult 40 · Child 6 · Senior 3".
            let types: Vec<String> = report.types.iter().map(|(t, m)| format!("{t} {}", m.tickets_sold)).collect();
            lines.push(Line::from(Span::styled(types.join(" · "), theme.dim())));
        }
    }
    // The types line wraps onto the box's extra lines rather than being cut.
    Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }).render(inner, buf);

    let block = Block::default().borders(Borders::ALL).title(" Next shows ");
    let inner = block.inner(next);
    block.render(next, buf);
    let upcoming: Vec<Line> = dash
        .slots
        .iter()
        .filter(|s| s.slot.start > now)
        .take(inner.height as usize)
        .map(|s| {
            let name_width = (inner.width as usize).saturating_sub(16).max(4);
            Line::from(format!(
                "{} {:<name_width$.name_width$} {:>4} free",
                crate::domain::time::local(&s.slot.start).format("%H:%M"),
                s.slot.name,
                s.seats_free
            ))
        })
        .collect();
    if upcoming.is_empty() {
        Paragraph::new(Span::styled("No more shows today.", theme.dim())).render(inner, buf);
    } else {
        Paragraph::new(upcoming).render(inner, buf);
    }
}
