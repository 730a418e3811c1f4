//! The schedule screen: one day's slots with availability, stepped by day, filtered by genre
//! and by a typed search on the title.

use chrono::{Duration, NaiveDate};

use super::lookup::Lookup;
use super::seats::{Purpose, SeatPicker};
use super::{Action, Ctx, InputMode, Nav, Screen};
use crate::domain::model::SlotSummary;
use crate::domain::policy::Policy;
use crate::domain::time::Time;
use crate::store::{Result, SlotFilter, Store};

#[derive(Debug, Clone)]
pub struct Schedule {
    pub date: NaiveDate,
    /// The schedule day it was when the counter last looked (to follow midnight).
    pub today: NaiveDate,
    /// Every slot of the day; the filters below pick what is shown.
    pub slots: Vec<SlotSummary>,
    pub genre: Option<String>,
    pub search: String,
    /// Where the cursor is in `search` (in characters).
    pub search_cursor: usize,
    /// The search box has the focus.
    pub searching: bool,
    /// Index into `visible()`.
    pub selected: usize,
}

/// Where a slot stands at a moment, for marking it on the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotPhase {
    Upcoming,
    /// Started, still inside the late-sale window or not: marked as running.
    Running,
    Ended,
}

pub fn phase(slot: &SlotSummary, now: Time) -> SlotPhase {
    if now >= slot.slot.end {
        SlotPhase::Ended
    } else if now >= slot.slot.start {
        SlotPhase::Running
    } else {
        SlotPhase::Upcoming
    }
}

impl Schedule {
    pub fn new(date: NaiveDate) -> Schedule {
        Schedule {
            date,
            today: date,
            search_cursor: 0,
            slots: Vec::new(),
            genre: None,
            search: String::new(),
            searching: false,
            selected: 0,
        }
    }

    pub fn input_mode(&self) -> InputMode {
        if self.searching { InputMode::Text } else { InputMode::Command }
    }

    /// The slots that pass the genre filter and the title search.
    pub fn visible(&self) -> Vec<&SlotSummary> {
        let search = self.search.to_lowercase();
        self.slots
            .iter()
            .filter(|s| self.genre.as_ref().is_none_or(|g| s.slot.genre.eq_ignore_ascii_case(g)))
            .filter(|s| search.is_empty() || s.slot.name.to_lowercase().contains(&search))
            .collect()
    }

    pub fn selected_slot(&self) -> Option<&SlotSummary> {
        self.visible().get(self.selected).copied()
    }

    /// Loads the day's slots, keeping the highlighted slot where it still exists, or else
    /// highlighting the first show still on sale.
    pub fn reload(&mut self, store: &mut Store, now: Time, policy: &Policy, cinema: Option<&str>) -> Result<()> {
        let keep = self.selected_slot().map(|s| s.slot.id);
        let filter = SlotFilter { date: Some(self.date), cinema: cinema.map(str::to_string), ..SlotFilter::default() };
        self.slots = store.slots(&filter, now)?;
        let visible = self.visible();
        self.selected = keep
            .and_then(|id| visible.iter().position(|s| s.slot.id == id))
            .or_else(|| visible.iter().position(|s| policy.check_sellable(&s.slot, now).is_ok()))
            .unwrap_or(0);
        Ok(())
    }

    /// Genres of the day, in order of first appearance, for cycling the filter.
    pub fn genres(&self) -> Vec<String> {
        let mut genres: Vec<String> = Vec::new();
        for s in &self.slots {
            if !s.slot.genre.is_empty() && !genres.contains(&s.slot.genre) {
                genres.push(s.slot.genre.clone());
            }
        }
        genres.sort();
        genres
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        if self.searching {
            return self.handle_search(action);
        }
        let count = self.visible().len();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(count.saturating_sub(1)),
            Action::PrevDay | Action::Left => self.change_day(self.date - Duration::days(1), ctx),
            Action::NextDay | Action::Right => self.change_day(self.date + Duration::days(1), ctx),
            Action::Today => self.change_day(crate::domain::time::show_day(&ctx.now), ctx),
            Action::Search => self.searching = true,
            Action::CycleGenre => {
                let genres = self.genres();
                let next = match &self.genre {
                    None => genres.first().cloned(),
                    Some(g) => genres.iter().position(|x| x == g).and_then(|i| genres.get(i + 1)).cloned(),
                };
                self.genre = next;
                self.selected = 0;
            }
            Action::Back => {
                self.search.clear();
                self.genre = None;
            }
            Action::Lookup => return Nav::Push(Screen::Lookup(Lookup::new())),
            Action::Dashboard => return Nav::Push(Screen::Dashboard(super::dashboard::Dashboard::open(ctx))),
            Action::Till => return Nav::Push(Screen::Till(super::till::TillView::open(ctx))),
            Action::Waitlist => {
                if let Some(summary) = self.selected_slot() {
                    let view = super::waitlist::WaitlistView::open(summary.slot.clone(), ctx);
                    return Nav::Push(Screen::Waitlist(view));
                }
            }
            Action::Confirm => return self.open_selected(ctx),
            _ => {}
        }
        Nav::Stay
    }

    fn handle_search(&mut self, action: Action) -> Nav {
        match action {
            Action::Back => {
                self.search.clear();
                self.search_cursor = 0;
                self.searching = false;
            }
            Action::Confirm | Action::Down | Action::Up => self.searching = false,
            edit if super::text_edit::edit(&mut self.search, &mut self.search_cursor, edit) => self.selected = 0,
            _ => {}
        }
        Nav::Stay
    }

    fn change_day(&mut self, date: NaiveDate, ctx: &mut Ctx) {
        self.date = date;
        self.selected = 0;
        if let Err(e) = self.reload(ctx.store, ctx.now, ctx.policy, ctx.cinema) {
            ctx.error(e);
        }
    }

    fn open_selected(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(summary) = self.selected_slot() else {
            ctx.error("No show selected");
            return Nav::Stay;
        };
        if let Err(e) = ctx.policy.check_sellable(&summary.slot, ctx.now) {
            ctx.error(e);
            return Nav::Stay;
        }
        match SeatPicker::open(summary.slot.clone(), Purpose::Sale, ctx) {
            Some(picker) => Nav::Push(Screen::Seats(picker)),
            None => Nav::Stay,
        }
    }
}
