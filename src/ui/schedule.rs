//! The schedule: the day's slots as a table, with availability, ended shows dimmed and
//! running ones marked.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

use super::theme::Theme;
use crate::app::schedule::{Schedule, SlotPhase, phase};
use crate::domain::model::{Availability, SlotSummary};
use crate::domain::policy::Policy;
use crate::domain::time::Time;

pub fn render(schedule: &Schedule, now: Time, policy: &Policy, area: Rect, buf: &mut Buffer, theme: Theme) {
    let [title, table_area] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let today = crate::domain::time::show_day(&now);
    let day = if schedule.date == today {
        "today".to_string()
    } else {
        let days = (schedule.date - today).num_days();
        match days {
            1 => "tomorrow".to_string(),
            -1 => "yesterday".to_string(),
            d if d > 0 => format!("in {d} days"),
            d => format!("{} days ago", -d),
        }
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", schedule.date.format("%a %d %b %Y")), theme.title()),
        Span::styled(format!("({day})"), theme.dim()),
        Span::raw("  genre: "),
        Span::styled(schedule.genre.as_deref().unwrap_or("all"), theme.key()),
    ];
    if schedule.searching || !schedule.search.is_empty() {
        spans.push(Span::raw("  search: "));
        if schedule.searching {
            spans.extend(crate::app::text_edit::cursor_spans(&schedule.search, schedule.search_cursor, theme.key()));
        } else {
            spans.push(Span::styled(schedule.search.clone(), theme.key()));
        }
    }
    Paragraph::new(Line::from(spans)).render(title, buf);

    let visible = schedule.visible();
    if visible.is_empty() {
        let text = if schedule.slots.is_empty() {
            " No shows on this day. ←→ change day, g today."
        } else {
            " No show matches the filter. Esc clears it."
        };
        Paragraph::new(Span::styled(text, theme.dim())).render(table_area, buf);
        return;
    }
    // The title keeps its room: Type shows only when wide, Genre gives way when narrow.
    // The price card (Evening, Matinee) tells the cashier which prices apply: it takes Genre's
    // place at 80 columns, and comes before Type.
    let cards = visible.iter().any(|s| s.slot.card.is_some());
    let columns = Columns {
        genre: area.width >= if cards { 100 } else { 80 },
        card: cards && area.width >= 80,
        kind: area.width >= if cards { 120 } else { 100 },
        // Free as "free/total", right-aligned to the largest hall of the day (996/1000 fits).
        digits: visible.iter().map(|s| s.seats_total.to_string().len()).max().unwrap_or(3).max(3),
    };
    let digits = columns.digits;
    let rows = visible.iter().map(|s| slot_row(s, schedule.date, now, policy.sales_close(&s.slot), &columns, theme));
    let mut widths = vec![Constraint::Length(11), Constraint::Fill(1)];
    let mut header = vec!["Time", "Title"];
    if columns.genre {
        widths.push(Constraint::Length(10));
        header.push("Genre");
    }
    if columns.card {
        widths.push(Constraint::Length(9));
        header.push("Card");
    }
    if columns.kind {
        widths.push(Constraint::Length(11));
        header.push("Type");
    }
    widths.extend([Constraint::Length(10), Constraint::Length(2 * digits as u16 + 1), Constraint::Length(12)]);
    header.extend(["Hall", "Free", "Status"]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .row_highlight_style(theme.highlight())
        .highlight_symbol("> ");
    // A day longer than the screen says that more shows are above or below: the last line is
    // kept for the mark below, the empty line under the date takes the mark above.
    let overflow = visible.len() > table_area.height.saturating_sub(1) as usize;
    let mut rows_area = table_area;
    if overflow && rows_area.height > 2 {
        rows_area.height -= 1;
    }
    let mut state = TableState::default().with_selected(Some(schedule.selected));
    StatefulWidget::render(table, rows_area, buf, &mut state);
    let shown = rows_area.height.saturating_sub(1) as usize;
    let marks = [
        (state.offset() > 0, title.y + 1, "▲ more above"),
        (state.offset() + shown < visible.len(), rows_area.bottom(), "▼ more below"),
    ];
    for (more, y, mark) in marks {
        let width = crate::domain::text::columns(mark) as u16;
        if more && y < area.bottom() && width < area.width {
            buf.set_string(area.right() - width, y, mark, theme.key());
        }
    }
}

/// Which optional columns the schedule has room for, and how wide Free is.
struct Columns {
    genre: bool,
    card: bool,
    kind: bool,
    digits: usize,
}

fn slot_row<'a>(
    s: &'a SlotSummary,
    day: chrono::NaiveDate,
    now: Time,
    late_until: Time,
    columns: &Columns,
    theme: Theme,
) -> Row<'a> {
    let digits = columns.digits;
    let phase = phase(s, now);
    let status = match phase {
        SlotPhase::Ended => "ended".to_string(),
        SlotPhase::Running if now <= late_until && s.seats_free > 0 => "late sale".to_string(),
        SlotPhase::Running => "running".to_string(),
        // Seats held for the waiting list: the counter knows to send callers to the list.
        SlotPhase::Upcoming if s.seats_offered > 0 => format!("{} offered", s.seats_offered),
        SlotPhase::Upcoming => s.availability().name().to_string(),
    };
    let mut cells = vec![
        Cell::from(format!(
            "{}-{}",
            crate::domain::time::local(&s.slot.start).format("%H:%M"),
            crate::domain::time::local(&s.slot.end).format("%H:%M")
        )),
        // A show after midnight is on the evening's schedule, marked with its real date.
        Cell::from(match crate::domain::time::local(&s.slot.start).date() {
            real if real != day => format!("{} ({})", s.slot.name, real.format("%a %d")),
            _ => s.slot.name.clone(),
        }),
    ];
    if columns.genre {
        cells.push(Cell::from(s.slot.genre.as_str()));
    }
    if columns.card {
        cells.push(Cell::from(s.slot.card.as_deref().unwrap_or("")));
    }
    if columns.kind {
        cells.push(Cell::from(s.slot.kind.as_str()));
    }
    cells.extend([
        Cell::from(s.slot.hall.as_str()),
        Cell::from(format!("{:>digits$}/{}", s.seats_free, s.seats_total)),
        Cell::from(status),
    ]);
    let style = match phase {
        SlotPhase::Ended => theme.dim(),
        SlotPhase::Running => theme.running(),
        SlotPhase::Upcoming if s.availability() == Availability::Full => theme.dim(),
        SlotPhase::Upcoming => ratatui::style::Style::new(),
    };
    Row::new(cells).style(style)
}
