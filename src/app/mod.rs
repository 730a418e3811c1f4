//! The counter TUI's state and its update function. Keys become [`Action`]s (see `action`),
//! `App::update` applies them to the screen on top, screens call the store for every change,
//! and `ui` draws the result without touching anything. `runtime` owns the terminal.

pub mod action;
pub mod approval;
#[cfg(test)]
mod approval_tests;
pub mod booking;
#[cfg(test)]
mod chain_tests;
#[cfg(test)]
mod counter_pass_tests;
pub mod dashboard;
#[cfg(test)]
mod expiry_tests;
#[cfg(test)]
mod flow_tests;
pub mod keys;
pub mod lookup;
#[cfg(test)]
mod outage_tests;
#[cfg(test)]
pub(crate) mod price_card_tests;
pub mod printing;
pub mod rebook;
pub mod runtime;
pub mod schedule;
pub mod seats;
pub mod sign_in;
pub mod sold;
#[cfg(test)]
pub mod testing;
pub mod text_edit;
pub mod till;
pub mod waitlist;

use crate::domain::policy::Policy;
use crate::domain::time::Time;
use crate::store::Changes;
use crate::store::Store;

pub use action::{Action, InputMode};
use booking::BookingForm;
use lookup::{CancelConfirm, Lookup};
use rebook::{RebookConfirm, RebookSlots};
use schedule::Schedule;
use seats::SeatPicker;
use sold::Confirmed;
use waitlist::{WaitlistForm, WaitlistView};

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Info(String),
    Error(String),
}

/// The screens that open on top of the schedule.
#[derive(Debug, Clone)]
pub enum Screen {
    Seats(SeatPicker),
    Booking(Box<BookingForm>),
    Confirmed(Confirmed),
    Lookup(Lookup),
    RebookSlots(RebookSlots),
    RebookConfirm(RebookConfirm),
    CancelConfirm(CancelConfirm),
    Waitlist(WaitlistView),
    WaitlistForm(WaitlistForm),
    Dashboard(dashboard::Dashboard),
    Till(till::TillView),
}

/// What a screen asks the app to do after handling an action.
pub enum Nav {
    Stay,
    Push(Screen),
    Pop,
    /// Back to the schedule, reloaded (after a sale, say).
    Home,
    /// Replace everything above the schedule with this screen.
    Reset(Screen),
}

/// What screens may use while handling an action.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub now: Time,
    pub policy: &'a Policy,
    pub operator: &'a str,
    /// The cinema whose shows the counter sells (None: the whole chain).
    pub cinema: Option<&'a str>,
    /// The currency symbol, for amounts in messages.
    pub currency: &'a str,
    /// What the cashier typed on a booking form they backed out of (to the seats, or on to the
    /// schedule), for the same customer's next try at that show. A sale, or another show's form,
    /// ends it.
    pub draft: &'a mut Option<booking::Draft>,
    /// The counter's receipt printer, if it has one (`[printer] device`).
    pub printer: Option<&'a Printer>,
    /// The theatre's name, for printed tickets.
    pub theatre: &'a str,
    /// The signed-in operator's role (None: the theatre has no operators).
    pub role: Option<crate::domain::staff::Role>,
    pub message: &'a mut Option<Message>,
}

impl Ctx<'_> {
    pub fn info(&mut self, text: impl Into<String>) {
        *self.message = Some(Message::Info(text.into()));
    }

    pub fn error(&mut self, text: impl std::fmt::Display) {
        *self.message = Some(Message::Error(text.to_string()));
    }

    /// An amount as the counter shows it: "£25.00".
    pub fn money(&self, amount: crate::domain::money::Cents) -> String {
        let sign = if amount < 0 { "-" } else { "" };
        format!("{sign}{}{}", self.currency, crate::domain::money::format_amount(amount.abs()))
    }
}

/// What the header says when an office PC shows every cinema of the chain.
const ALL_CINEMAS: &str = "all cinemas";

/// Everything the counter screen knows.
pub struct App {
    pub store: Store,
    pub policy: Policy,
    pub operator: String,
    /// The cinema's name, for the header.
    pub theatre: String,
    pub now: Time,
    pub schedule: Schedule,
    pub screens: Vec<Screen>,
    pub help: bool,
    /// How far the help overlay is scrolled (on a terminal too small for it).
    pub help_scroll: u16,
    pub message: Option<Message>,
    pub quit: bool,
    /// The terminal's size at the last draw, to map mouse clicks to seats.
    pub size: (u16, u16),
    /// Colours on; off with `NO_COLOR` (symbols carry every meaning either way).
    pub color: bool,
    /// The currency symbol shown before amounts.
    pub currency: String,
    /// `TICKETLY_NOW` fixes the clock (tests, training): the header says so, since holds
    /// taken meanwhile may never run out in real time.
    pub clock_fixed: bool,
    /// The cinema whose shows are on the schedule: the counter's own, or on an office PC the
    /// one picked with `v` (None: the whole chain).
    pub cinema: Option<String>,
    /// What `v` steps through (empty when the counter belongs to one cinema).
    pub cinemas: Vec<String>,
    /// See [`Ctx::draft`].
    pub draft: Option<booking::Draft>,
    /// `q` was pressed once with a customer's details still typed: a second `q` quits.
    pub quit_asked: bool,
    /// The counter's receipt printer: `p` prints there (without one, `p` shows the ticket).
    pub printer: Option<Printer>,
    /// The signed-in operator's role, once the theatre has operators (None: it has none).
    pub role: Option<crate::domain::staff::Role>,
    /// Minutes without a key before the counter locks (0: never), when it has operators.
    pub lock_minutes: i64,
    /// When the last key was pressed.
    pub last_key: Time,
    /// The sign-in dialog, over whatever screen is open (locked, or a change of cashier).
    pub sign_in: Option<sign_in::SignIn>,
}

/// A receipt printer: where it is (a device, or `tcp://HOST:9100`) and its paper width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    pub device: String,
    pub width: usize,
}

impl App {
    pub fn new(mut store: Store, policy: Policy, operator: String, now: Time) -> App {
        let theatre = store.halls().ok().and_then(|h| h.first().map(|h| h.cinema.clone())).unwrap_or_default();
        // The first look only notes where the database stands.
        let _ = store.changes();
        let mut app = App {
            store,
            policy,
            operator,
            theatre,
            now,
            schedule: Schedule::new(crate::domain::time::show_day(&now)),
            screens: Vec::new(),
            help: false,
            help_scroll: 0,
            message: None,
            quit: false,
            size: (80, 24),
            color: true,
            currency: String::new(),
            clock_fixed: false,
            cinema: None,
            cinemas: Vec::new(),
            draft: None,
            quit_asked: false,
            printer: None,
            role: None,
            lock_minutes: 10,
            last_key: now,
            sign_in: None,
        };
        app.reload_schedule();
        app
    }

    /// How keys should be read right now.
    pub fn input_mode(&self) -> InputMode {
        if let Some(dialog) = &self.sign_in {
            return dialog.input_mode();
        }
        match self.screens.last() {
            None => self.schedule.input_mode(),
            Some(Screen::Booking(form)) => form.input_mode(),
            Some(Screen::Lookup(lookup)) => lookup.input_mode(),
            Some(Screen::WaitlistForm(form)) => form.input_mode(),
            Some(Screen::Till(view)) => view.input_mode(),
            Some(Screen::RebookConfirm(confirm)) => confirm.input_mode(),
            Some(Screen::CancelConfirm(confirm)) if confirm.approval.is_some() => InputMode::Text,
            Some(_) => InputMode::Command,
        }
    }

    /// Applies one action. Never fails: refusals and errors become a status message.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Tick | Action::Resize(..)) {
            self.last_key = self.now;
        }
        match action {
            Action::Tick => return self.tick(),
            Action::Resize(w, h) => {
                self.size = (w, h);
                return;
            }
            Action::ForceQuit => return self.shut_down(),
            _ if self.sign_in.is_some() => return self.signing_in(action),
            Action::Help => {
                self.help = !self.help;
                return;
            }
            Action::SwitchOperator if self.role.is_some() => {
                self.sign_in = Some(sign_in::SignIn::change_of_cashier());
                return;
            }
            Action::NextCinema if self.screens.is_empty() && !self.help => return self.next_cinema(),
            _ if self.help => {
                // The help overlay swallows keys until it is closed; on a small terminal the
                // arrows scroll it.
                match action {
                    Action::Back | Action::Confirm | Action::Quit => {
                        self.help = false;
                        self.help_scroll = 0;
                    }
                    Action::Down | Action::PageDown => self.help_scroll = self.help_scroll.saturating_add(1),
                    Action::Up | Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(1),
                    _ => {}
                }
                return;
            }
            _ => {}
        }
        if !matches!(action, Action::Char(_) | Action::Backspace) {
            self.message = None;
        }
        if action == Action::Quit && self.screens.is_empty() && self.schedule.input_mode() == InputMode::Command {
            match self.draft.as_ref().and_then(booking::Draft::typed) {
                Some(typed) if !self.quit_asked => {
                    // A cashier who stepped back to the schedule mid-sale would lose the
                    // customer's details to a stray `q`; Ctrl-C still quits at once.
                    self.quit_asked = true;
                    self.message = Some(Message::Error(format!(
                        "{typed} is still typed for a sale: q again quits, any other key stays"
                    )));
                }
                _ => self.quit = true,
            }
            return;
        }
        self.quit_asked = false;
        let size = self.size;
        let (mut ctx, schedule, screens) = self.parts();
        let nav = match screens.last_mut() {
            None => schedule.handle(action, &mut ctx),
            Some(Screen::Seats(picker)) => picker.handle(action, &mut ctx, size),
            Some(Screen::Booking(form)) => form.handle(action, &mut ctx),
            Some(Screen::Confirmed(done)) => done.handle(action, &mut ctx),
            Some(Screen::Lookup(lookup)) => lookup.handle(action, &mut ctx),
            Some(Screen::RebookSlots(pick)) => pick.handle(action, &mut ctx),
            Some(Screen::RebookConfirm(confirm)) => confirm.handle(action, &mut ctx),
            Some(Screen::CancelConfirm(confirm)) => confirm.handle(action, &mut ctx),
            Some(Screen::Waitlist(view)) => view.handle(action, &mut ctx),
            Some(Screen::WaitlistForm(form)) => form.handle(action, &mut ctx),
            Some(Screen::Dashboard(dash)) => dash.handle(action),
            Some(Screen::Till(view)) => view.handle(action, &mut ctx),
        };
        self.navigate(nav);
    }

    fn navigate(&mut self, nav: Nav) {
        match nav {
            Nav::Stay => {}
            Nav::Push(screen) => self.screens.push(screen),
            Nav::Pop => {
                self.screens.pop();
                if self.screens.is_empty() {
                    // Back on the schedule: what we changed ourselves is shown at once.
                    self.reload_schedule();
                }
                self.refresh_top();
            }
            Nav::Home => {
                self.screens.clear();
                self.reload_schedule();
            }
            Nav::Reset(screen) => {
                self.screens.clear();
                self.reload_schedule();
                self.screens.push(screen);
            }
        }
    }

    /// What screens may use, beside the schedule and the screens themselves (split borrows).
    fn parts(&mut self) -> (Ctx<'_>, &mut Schedule, &mut Vec<Screen>) {
        let ctx = Ctx {
            store: &mut self.store,
            now: self.now,
            policy: &self.policy,
            operator: &self.operator,
            cinema: self.cinema.as_deref(),
            currency: &self.currency,
            draft: &mut self.draft,
            message: &mut self.message,
            printer: self.printer.as_ref(),
            theatre: &self.theatre,
            role: self.role,
        };
        (ctx, &mut self.schedule, &mut self.screens)
    }

    /// Leaves the program; seats this counter holds go back on sale now, not in five minutes.
    pub fn shut_down(&mut self) {
        for screen in &self.screens {
            if let Screen::Booking(form) = screen {
                let _ = self.store.release_hold(&form.hold.booking, self.now, &self.policy);
            }
        }
        self.quit = true;
    }

    /// A key while the sign-in dialog is open: only it sees keys until someone signs in.
    fn signing_in(&mut self, action: Action) {
        let Some(dialog) = self.sign_in.as_mut() else { return };
        if action == Action::Back && dialog.cancellable {
            self.sign_in = None;
            return;
        }
        if let sign_in::Outcome::SignedIn(name, role) = dialog.handle(action, &mut self.store, self.now) {
            self.message = Some(Message::Info(format!("{name} is at the counter ({})", role.name())));
            self.operator = name;
            self.role = Some(role);
            self.sign_in = None;
            self.last_key = self.now;
        }
    }

    /// Locks the counter when no key was pressed for `lock_minutes` (with operators only).
    fn lock_when_idle(&mut self) {
        if self.role.is_some()
            && self.sign_in.is_none()
            && self.lock_minutes > 0
            && self.now - self.last_key >= chrono::Duration::minutes(self.lock_minutes)
        {
            let minutes =
                if self.lock_minutes == 1 { "1 minute".to_string() } else { format!("{} minutes", self.lock_minutes) };
            let why = format!("Locked after {minutes} without a key");
            self.sign_in = Some(sign_in::SignIn::new(why, &self.operator));
        }
    }

    /// The clock moved on: keep `now` current and pick up other counters' commits.
    fn tick(&mut self) {
        self.lock_when_idle();
        // A counter open across midnight follows the day on its own, if it showed today.
        let today = crate::domain::time::show_day(&self.now);
        if self.schedule.today != today {
            if self.schedule.date == self.schedule.today {
                self.schedule.date = today;
                self.schedule.selected = 0;
                self.reload_schedule();
            }
            self.schedule.today = today;
        }
        let changes = match self.store.changes() {
            Ok(changes) => changes,
            Err(e) if e.is_connection_lost() => return self.reconnect(&e),
            Err(_) => Changes::Nothing,
        };
        if changes.any() {
            self.reload_schedule();
        }
        // Only a screen whose show changed reads it again (any change, where the engine cannot
        // say which show it touched). Holds and offers also run out with time, not with a
        // commit: a seat map showing a hold past its deadline (another counter's, say) reads
        // again and shows the seats free; the waiting list passes lapsed offers on as it reads.
        let refresh = match self.screens.last() {
            Some(Screen::Seats(picker)) => {
                changes.touches(picker.slot.id) || picker.map.stale_at.is_some_and(|at| at <= self.now)
            }
            Some(Screen::Waitlist(_)) => true,
            Some(Screen::Lookup(_) | Screen::Dashboard(_) | Screen::Till(_)) => changes.any(),
            _ => false,
        };
        if refresh {
            self.refresh_top();
        }
    }

    /// The database server went away (a restart, a network drop): connect again on this tick
    /// and the next, until it answers, then re-read everything on screen.
    fn reconnect(&mut self, lost: &crate::store::Error) {
        match self.store.reconnect() {
            Ok(()) => {
                self.message = Some(Message::Info("connected to the database again".into()));
                let _ = self.store.changes();
                self.reload_schedule();
                self.refresh_top();
            }
            Err(_) => self.message = Some(Message::Error(format!("{lost}; trying to reconnect"))),
        }
    }

    /// Sets the clock (the runtime calls this on every tick; tests fix it).
    pub fn set_now(&mut self, now: Time) {
        self.now = now;
    }

    /// The cinema this counter belongs to: the schedule, dashboard and rebooking show only its
    /// shows, and `v` switches nothing. Without one (an office PC), every cinema of the chain
    /// is shown, and `v` steps through them one by one and back to all.
    pub fn set_cinema(&mut self, own: Option<String>) {
        match own {
            Some(name) => {
                self.theatre = name.clone();
                self.cinema = Some(name);
                self.cinemas.clear();
            }
            None => {
                self.cinema = None;
                self.cinemas =
                    self.store.cinemas().map(|all| all.into_iter().map(|c| c.name).collect()).unwrap_or_default();
                if self.cinemas.len() > 1 {
                    self.theatre = ALL_CINEMAS.into();
                }
            }
        }
        self.reload_schedule();
    }

    /// `v` on an office PC: the next cinema of the chain, then all of them again.
    fn next_cinema(&mut self) {
        if self.cinemas.len() < 2 {
            self.message = Some(Message::Info("this counter shows one cinema".into()));
            return;
        }
        let next = match &self.cinema {
            None => self.cinemas.first().cloned(),
            Some(current) => {
                self.cinemas.iter().position(|c| c == current).and_then(|i| self.cinemas.get(i + 1)).cloned()
            }
        };
        self.theatre = next.clone().unwrap_or_else(|| ALL_CINEMAS.into());
        self.cinema = next;
        self.schedule.selected = 0;
        self.reload_schedule();
    }

    pub(crate) fn reload_schedule(&mut self) {
        if let Err(e) = self.schedule.reload(&mut self.store, self.now, &self.policy, self.cinema.as_deref()) {
            self.message = Some(Message::Error(e.to_string()));
        }
    }

    /// Re-reads what the top screen shows, after a change by us or another counter.
    fn refresh_top(&mut self) {
        let (mut ctx, _, screens) = self.parts();
        match screens.last_mut() {
            Some(Screen::Seats(picker)) => picker.refresh(&mut ctx),
            Some(Screen::Lookup(lookup)) => lookup.refresh(&mut ctx),
            Some(Screen::Waitlist(view)) => view.refresh(&mut ctx),
            Some(Screen::Dashboard(dash)) => dash.refresh(&mut ctx),
            Some(Screen::Till(view)) => view.refresh(&mut ctx),
            _ => {}
        }
    }
}
