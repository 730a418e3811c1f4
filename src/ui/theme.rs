//! Colours and symbols. Every meaning colour carries is also carried by a symbol, so the
//! screens read the same on a monochrome terminal or with `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::layout::Category;
use crate::domain::seatmap::SeatStatus;

#[derive(Debug, Clone, Copy)]
pub struct Theme<'a> {
    pub color: bool,
    /// The currency symbol printed before amounts ("£"), possibly empty.
    pub symbol: &'a str,
}

impl Theme<'_> {
    /// An amount as the counter shows it: "£9.50".
    pub fn amount(&self, cents: crate::domain::money::Cents) -> String {
        let text = crate::domain::money::format_amount(cents);
        match text.strip_prefix('-') {
            Some(positive) => format!("-{}{positive}", self.symbol),
            None => format!("{}{text}", self.symbol),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn bar(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn info(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn highlight(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// A ticket's type on the printed ticket: reversed and bold, readable without colour.
    pub fn ticket_type(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub fn money(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    pub fn running(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// A seat's style: by status first, then by category for free seats.
    pub fn seat(&self, status: SeatStatus, category: Category, selected: bool) -> Style {
        if selected {
            return self.fg(Color::Yellow).add_modifier(Modifier::BOLD);
        }
        match status {
            SeatStatus::Booked => self.fg(Color::DarkGray),
            SeatStatus::Held => self.fg(Color::Magenta),
            SeatStatus::Available => match category {
                Category::Regular => self.fg(Color::Green),
                Category::Premium => self.fg(Color::Cyan),
                Category::Accessible => self.fg(Color::Blue),
                Category::Vip => self.fg(Color::LightMagenta),
            },
        }
    }
}

/// The seat's symbol on the grid.
pub fn seat_symbol(status: SeatStatus, category: Category, selected: bool) -> char {
    if selected {
        return SELECTED;
    }
    match status {
        SeatStatus::Booked => SOLD,
        SeatStatus::Held => HELD,
        SeatStatus::Available => category_symbol(category),
    }
}

pub const SELECTED: char = '*';
pub const SOLD: char = 'x';
pub const HELD: char = 'h';

/// The symbol of a free seat of a category.
pub fn category_symbol(category: Category) -> char {
    match category {
        Category::Regular => 'o',
        Category::Premium => 'p',
        Category::Accessible => 'a',
        Category::Vip => 'v',
    }
}
