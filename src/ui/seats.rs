//! The seating grid: rows with their letters, seat numbers over the columns, seats three cells
//! wide (`[o]` under the cursor), aisles as gaps, the screen at the top, a legend, the seat
//! under the cursor, and the running selection and total. Halls wider or deeper than the
//! terminal scroll to keep the cursor in view, with a mark on every row that goes on beyond it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::{HELD, SELECTED, SOLD, Theme, category_symbol, seat_symbol};
use crate::app::seats::{Purpose, SeatPicker};
use crate::domain::time::Time;

const CELL: u16 = 3;
/// Left of the cells: the up/down scroll mark, the row name (two letters fit), a space, and
/// the row's left scroll mark.
const LABEL: u16 = 5;

/// Where the grid is drawn: the cells' area and the first row and column shown.
struct Geometry {
    cells: Rect,
    first_row: u32,
    first_col: u32,
}

/// Info, screen bar, seat numbers, grid, legend, the seat under the cursor and the selection.
fn parts(body: Rect) -> [Rect; 7] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(body)
}

fn geometry(picker: &SeatPicker, grid: Rect) -> Geometry {
    let (rows, cols) = picker.map.grid_size();
    let (cursor_row, cursor_col) = picker.cursor_seat().map_or((0, 0), |s| (s.grid_row, s.grid_col));
    // One column on the right stays free for the `>` mark.
    let view_cols = (grid.width.saturating_sub(LABEL + 1) / CELL) as u32;
    let view_rows = grid.height as u32;
    let first_col = scroll(cursor_col, cols, view_cols);
    let first_row = scroll(cursor_row, rows, view_rows);
    let shown_cols = cols.min(view_cols) as u16;
    let width = LABEL + shown_cols * CELL;
    let x = grid.x + grid.width.saturating_sub(width) / 2;
    let cells = Rect::new(x + LABEL, grid.y, shown_cols * CELL, (rows.min(view_rows)) as u16);
    Geometry { cells, first_row, first_col }
}

/// The first index to show so that `cursor` stays in a window of `view` out of `total`.
fn scroll(cursor: u32, total: u32, view: u32) -> u32 {
    if total <= view || view == 0 { 0 } else { cursor.saturating_sub(view / 2).min(total - view) }
}

/// The index of the seat drawn at terminal cell (x, y), for mouse clicks.
pub fn seat_at(picker: &SeatPicker, size: (u16, u16), x: u16, y: u16) -> Option<usize> {
    let body = super::areas(Rect::new(0, 0, size.0, size.1))[1];
    let g = geometry(picker, parts(body)[3]);
    if !g.cells.contains(ratatui::layout::Position::new(x, y)) {
        return None;
    }
    let col = g.first_col + u32::from((x - g.cells.x) / CELL);
    let row = g.first_row + u32::from(y - g.cells.y);
    picker.map.seats.iter().position(|s| s.grid_row == row && s.grid_col == col)
}

pub fn render(picker: &SeatPicker, now: Time, body: Rect, buf: &mut Buffer, theme: Theme) {
    let [info, screen, numbers, grid, legend, under_cursor, selection] = parts(body);
    let slot = &picker.slot;
    let mut spans = vec![
        Span::styled(format!(" {} ", slot.name), theme.title()),
        Span::raw(format!(
            "· {} · {} {}-{} · {}/{} free",
            slot.hall,
            crate::domain::time::local(&slot.start).format("%d %b"),
            crate::domain::time::local(&slot.start).format("%H:%M"),
            crate::domain::time::local(&slot.end).format("%H:%M"),
            picker.map.free_count(),
            picker.map.seats.len()
        )),
    ];
    if now >= slot.start {
        spans.push(Span::styled(" · late sale", theme.running()));
    }
    Paragraph::new(Line::from(spans)).render(info, buf);

    let g = geometry(picker, grid);
    let marker = "SCREEN";
    let bar_width = g.cells.width.max(marker.len() as u16 + 4);
    let bar = format!("{:─^width$}", format!(" {marker} "), width = bar_width as usize);
    let bar_x = g.cells.x + g.cells.width.saturating_sub(bar_width) / 2;
    buf.set_stringn(bar_x.max(screen.x), screen.y, &bar, screen.width as usize, theme.dim());

    let selected = |id| picker.selected.contains(&id);
    let cursor_id = picker.cursor_seat().map(|s| s.id);
    for seat in &picker.map.seats {
        if seat.grid_row < g.first_row || seat.grid_col < g.first_col {
            continue;
        }
        let (row, col) = ((seat.grid_row - g.first_row) as u16, (seat.grid_col - g.first_col) as u16);
        if row >= g.cells.height || col * CELL >= g.cells.width {
            continue;
        }
        let (x, y) = (g.cells.x + col * CELL, g.cells.y + row);
        let symbol = seat_symbol(seat.status, seat.category, selected(seat.id));
        let text = if Some(seat.id) == cursor_id { format!("[{symbol}]") } else { format!(" {symbol} ") };
        let style = theme.seat(seat.status, seat.category, selected(seat.id));
        let style =
            if Some(seat.id) == cursor_id { style.add_modifier(ratatui::style::Modifier::REVERSED) } else { style };
        buf.set_string(x, y, text, style);
    }
    // Row letters, also for rows whose seats are all scrolled out of view.
    for seat in &picker.map.seats {
        if seat.grid_row >= g.first_row && ((seat.grid_row - g.first_row) as u16) < g.cells.height {
            let y = g.cells.y + (seat.grid_row - g.first_row) as u16;
            buf.set_string(g.cells.x - LABEL + 1, y, format!("{:>2}", seat.row_label), theme.dim());
        }
    }
    seat_numbers(picker, &g, numbers, buf, theme);
    scroll_marks(picker, &g, buf, theme);
    if let Some(seat) = picker.cursor_seat().filter(|_| under_cursor.height > 0) {
        let status = match seat.status {
            _ if picker.selected.contains(&seat.id) => "selected",
            crate::domain::seatmap::SeatStatus::Available => "free",
            crate::domain::seatmap::SeatStatus::Held => "held elsewhere",
            crate::domain::seatmap::SeatStatus::Booked => "sold",
        };
        let text = format!(" {} · {} · {} · {status}", seat.label(), seat.category, theme.amount(seat.price));
        buf.set_stringn(under_cursor.x, under_cursor.y, text, under_cursor.width as usize, theme.key());
    }

    let mut prices: Vec<Span> = vec![Span::raw(" ")];
    for (category, price) in picker.map.prices() {
        prices.push(Span::styled(
            format!("{} ", category_symbol(category)),
            theme.seat(crate::domain::seatmap::SeatStatus::Available, category, false),
        ));
        prices.push(Span::raw(format!("{category} {}  ", theme.amount(price))));
    }
    // The card on the shorter line, so that it is not cut at 80 columns.
    let card = slot.card.as_ref().map(|c| format!("  · card {c}")).unwrap_or_default();
    let statuses = Line::from(format!(" {SELECTED} selected  {HELD} held elsewhere  {SOLD} sold  [ ] cursor{card}"));
    Paragraph::new(vec![Line::from(prices), statuses.style(theme.dim())]).render(legend, buf);

    let labels: Vec<String> = picker.selected_seats().iter().map(|s| s.label()).collect();
    let line = match &picker.purpose {
        Purpose::Sale => Line::from(vec![
            Span::raw(format!(" Selected {}/{}: ", labels.len(), picker.max_seats())),
            Span::styled(if labels.is_empty() { "none".to_string() } else { labels.join(" ") }, theme.key()),
            Span::raw("   Total "),
            Span::styled(theme.amount(picker.total()), theme.money()),
        ]),
        Purpose::Rebook(ticket) => Line::from(vec![
            Span::raw(format!(
                " Rebooking {} (seat {}, {}) to: ",
                ticket.code,
                ticket.seat,
                theme.amount(ticket.price)
            )),
            Span::styled(if labels.is_empty() { "pick a seat".to_string() } else { labels.join(" ") }, theme.key()),
            Span::raw(if labels.is_empty() { String::new() } else { format!(" {}", theme.amount(picker.total())) }),
        ]),
    };
    Paragraph::new(line).render(selection, buf);
}

/// Seat numbers over the columns in view: those of the cursor's row (rows are numbered on
/// their own, so another row's numbers over a gap would mislead).
fn seat_numbers(picker: &SeatPicker, g: &Geometry, line: Rect, buf: &mut Buffer, theme: Theme) {
    if line.height == 0 {
        return;
    }
    let cursor_row = picker.cursor_seat().map(|s| s.grid_row);
    for column in 0..u32::from(g.cells.width / CELL) {
        let col = g.first_col + column;
        let seat = picker.map.seats.iter().find(|s| s.grid_col == col && Some(s.grid_row) == cursor_row);
        if let Some(seat) = seat {
            let x = g.cells.x + column as u16 * CELL;
            buf.set_string(x, line.y, format!("{:^3}", seat.number), theme.dim());
        }
    }
}

/// Marks where the hall goes on beyond the view: `<` and `>` on every row with seats hidden
/// on that side, `^` and `v` beside the first and last rows shown when rows are hidden.
fn scroll_marks(picker: &SeatPicker, g: &Geometry, buf: &mut Buffer, theme: Theme) {
    let (rows, _) = picker.map.grid_size();
    if g.cells.height == 0 {
        return;
    }
    let last_col = g.first_col + u32::from(g.cells.width / CELL);
    for row in 0..g.cells.height {
        let grid_row = g.first_row + u32::from(row);
        let seats = picker.map.seats.iter().filter(|s| s.grid_row == grid_row);
        let (mut left, mut right) = (false, false);
        for seat in seats {
            left |= seat.grid_col < g.first_col;
            right |= seat.grid_col >= last_col;
        }
        if left {
            buf.set_string(g.cells.x - 1, g.cells.y + row, "<", theme.key());
        }
        if right {
            buf.set_string(g.cells.right(), g.cells.y + row, ">", theme.key());
        }
    }
    let label_x = g.cells.x - LABEL;
    if g.first_row > 0 {
        buf.set_string(label_x, g.cells.y, "^", theme.key());
    }
    if g.first_row + u32::from(g.cells.height) < rows {
        buf.set_string(label_x, g.cells.bottom() - 1, "v", theme.key());
    }
}
