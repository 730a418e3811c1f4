//! The booking form: ticket types, a manager's price override (F4), the customer, payment and
//! cash tendered; Enter sells the held seats.

use super::seats::SeatPicker;
use super::sold::{sold, sold_screen};
use super::{Action, Ctx, InputMode, Nav};
use crate::domain::model::{Customer, PaymentMethod, Sale, SeatRequest};
use crate::domain::money::{Cents, format_amount, parse_typed_amount};
use crate::store::Hold;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// How many tickets of each type (on a show that prices more than one).
    Types,
    /// The price of each ticket, overriding the card's (after F4; a manager approves it).
    Price,
    Name,
    Phone,
    Payment,
    Tendered,
}

/// What was typed on a booking form the cashier backed out of (to change seats): the same
/// customer's details come back on the next form for that show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub slot: crate::domain::model::SlotId,
    pub name: String,
    pub phone: String,
    pub method: PaymentMethod,
    pub tendered: String,
}

impl Draft {
    /// What the cashier typed, to name it ("Ann Lee", "0113 496 0000", "tendered 20"), or
    /// `None` when nothing was.
    pub fn typed(&self) -> Option<String> {
        let name = self.name.trim();
        let phone = self.phone.trim();
        let tendered = self.tendered.trim();
        if !name.is_empty() {
            Some(format!("'{}'", crate::domain::text::excerpt(name)))
        } else if !phone.is_empty() {
            Some(format!("phone '{}'", crate::domain::text::excerpt(phone)))
        } else if !tendered.is_empty() {
            Some(format!("tendered '{}'", crate::domain::text::excerpt(tendered)))
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct BookingForm {
    pub picker: SeatPicker,
    /// The seats held in the database while the customer pays.
    pub hold: Hold,
    pub name: String,
    pub phone: String,
    pub method: PaymentMethod,
    /// Cash handed over, as typed; empty means the exact amount.
    pub tendered: String,
    pub focus: Field,
    pub error: Option<String>,
    /// The connection dropped while this sale was being committed: whether it went through is
    /// known only once the database answers again, by the hold's booking code.
    pub in_doubt: bool,
    /// Selling the seats offered to this waiting-list entry: backing out keeps the offer.
    pub waitlist: Option<i64>,
    /// Where the cursor is in the focused text field (in characters).
    pub cursor: usize,
    /// The fields were filled from a draft the cashier backed out of.
    pub resumed: bool,
    /// Tickets of each type the show sells, in its order; the first (the default) has what the
    /// others leave.
    pub types: Vec<(String, usize)>,
    /// The type the Types field's `+`/`-` and digits change.
    pub type_cursor: usize,
    /// F4: every ticket at this price instead of the card's, as typed (0: free tickets).
    pub price_override: Option<String>,
    /// A manager's approval of the override, asked for at Enter (with operators).
    pub approval: Option<super::approval::Approval>,
}

impl BookingForm {
    pub fn new(picker: SeatPicker, hold: Hold) -> BookingForm {
        let types = hold.slot.ticket_types().iter().map(|t| (t.to_string(), 0)).collect();
        let mut form = BookingForm {
            picker,
            hold,
            name: String::new(),
            phone: String::new(),
            method: PaymentMethod::Cash,
            tendered: String::new(),
            focus: Field::Name,
            error: None,
            in_doubt: false,
            waitlist: None,
            cursor: 0,
            resumed: false,
            types,
            type_cursor: 0,
            price_override: None,
            approval: None,
        };
        form.set_count(0, form.hold.seats.len());
        form
    }

    /// The form for the seats offered to a waiting party, with their name and phone.
    pub fn for_offer(
        picker: SeatPicker,
        hold: Hold,
        entry: &crate::domain::waitlist::WaitlistEntry,
        method: PaymentMethod,
    ) -> BookingForm {
        let mut form = BookingForm::new(picker, hold);
        form.name = entry.name.clone();
        form.phone = entry.phone.clone().unwrap_or_default();
        form.method = method;
        form.waitlist = Some(entry.id);
        form.cursor = form.name.chars().count();
        form
    }

    /// A new form, with what was typed on the last one for this show if the cashier backed
    /// out of it to change seats.
    pub fn resume(picker: SeatPicker, hold: Hold, draft: Option<Draft>) -> BookingForm {
        let mut form = BookingForm::new(picker, hold);
        // Only what was typed comes back: a payment switched and left is not the next customer's.
        if let Some(d) = draft.filter(|d| d.slot == form.hold.slot.id && d.typed().is_some()) {
            form.resumed = d.typed().is_some();
            (form.name, form.phone, form.method, form.tendered) = (d.name, d.phone, d.method, d.tendered);
        }
        form.cursor = form.name.chars().count();
        form
    }

    pub fn input_mode(&self) -> InputMode {
        if self.focus == Field::Payment && self.approval.is_none() { InputMode::Command } else { InputMode::Text }
    }

    /// The override's price each, or why what was typed is not one.
    fn override_amount(&self) -> Result<Option<Cents>, String> {
        match self.price_override.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Err("Type the price of each ticket (0: free), or F4 for the card's prices".into()),
            Some(text) => parse_typed_amount(text).map(Some).map_err(|e| e.to_string()),
        }
    }

    /// F4: override the card's prices (a manager approves at Enter), or back to them.
    fn toggle_override(&mut self) {
        self.error = None;
        if self.price_override.take().is_none() {
            self.price_override = Some(String::new());
            self.focus = Field::Price;
            self.cursor = 0;
        } else if self.focus == Field::Price {
            self.focus = Field::Name;
            self.cursor = self.name.chars().count();
        }
    }

    /// The counts of the types other than the default, as a sale names them.
    pub fn named_types(&self) -> Vec<(String, usize)> {
        self.types.iter().skip(1).filter(|(_, n)| *n > 0).cloned().collect()
    }

    /// Each held seat's type and price, or why these counts cannot be sold.
    pub fn priced(&self) -> Result<Vec<(String, Cents)>, String> {
        let price_override = self.override_amount()?;
        self.hold.slot.price_sale(&self.hold.seats, &self.named_types(), price_override).map_err(|e| e.to_string())
    }

    pub fn total(&self) -> Cents {
        self.priced().map_or_else(|_| self.hold.total(), |p| p.iter().map(|(_, price)| price).sum())
    }

    /// The show sells more than one type: the form has a Types field.
    pub fn has_types(&self) -> bool {
        self.types.len() > 1
    }

    /// Sets type `index`'s count (at most the seats the others leave); the default type takes
    /// the rest.
    fn set_count(&mut self, index: usize, count: usize) {
        let seats = self.hold.seats.len();
        if index > 0 {
            let others: usize =
                self.types.iter().enumerate().filter(|(i, _)| *i != index && *i > 0).map(|(_, t)| t.1).sum();
            if let Some(t) = self.types.get_mut(index) {
                t.1 = count.min(seats.saturating_sub(others));
            }
        }
        let typed: usize = self.types.iter().skip(1).map(|t| t.1).sum();
        if let Some(first) = self.types.first_mut() {
            first.1 = seats.saturating_sub(typed);
        }
    }

    /// A key in the Types field: a letter picks the type with that initial (again: the next
    /// one), ←/→ move, `+`/`-` add or take one, a digit is the count.
    fn edit_types(&mut self, action: Action) {
        let at = self.type_cursor;
        let count = self.types.get(at).map_or(0, |t| t.1);
        match action {
            Action::Left => self.type_cursor = at.saturating_sub(1),
            Action::Right => self.type_cursor = (at + 1).min(self.types.len().saturating_sub(1)),
            Action::Char('+') if at == 0 => {}
            Action::Char('+') => self.set_count(at, count + 1),
            Action::Char('-') | Action::Backspace => self.set_count(at, count.saturating_sub(1)),
            Action::Char(d) if d.is_ascii_digit() && at > 0 => self.set_count(at, d as usize - '0' as usize),
            Action::Char(c) if c.is_alphabetic() => {
                let initial = |t: &(String, usize)| t.0.chars().next().is_some_and(|f| f.eq_ignore_ascii_case(&c));
                let n = self.types.len();
                if let Some(i) = (1..=n).map(|k| (at + k) % n).find(|&i| initial(&self.types[i])) {
                    self.type_cursor = i;
                }
            }
            _ => {}
        }
    }

    /// The fields in tab order (no cash tendered when paying by card).
    fn fields(&self) -> Vec<Field> {
        let mut fields = if self.has_types() { vec![Field::Types] } else { vec![] };
        if self.price_override.is_some() {
            fields.push(Field::Price);
        }
        fields.extend([Field::Name, Field::Phone, Field::Payment]);
        if self.method == PaymentMethod::Cash {
            fields.push(Field::Tendered);
        }
        fields
    }

    /// Cash tendered, or `None` for exact money / card; an error when it does not cover the total.
    pub fn tendered_amount(&self) -> Result<Option<Cents>, String> {
        if self.method != PaymentMethod::Cash || self.tendered.trim().is_empty() {
            return Ok(None);
        }
        let amount = parse_typed_amount(&self.tendered).map_err(|e| e.to_string())?;
        if amount < self.total() {
            return Err(format!(
                "Tendered {} is less than the total {}",
                format_amount(amount),
                format_amount(self.total())
            ));
        }
        Ok(Some(amount))
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        if self.approval.is_some() {
            let booking = &self.hold.booking;
            let what = |a: &super::approval::Approval| format!("{} ({booking})", a.why);
            return match super::approval::answer(&mut self.approval, action, ctx.store, ctx.now, what) {
                Some(approved) => self.commit(ctx, Some(approved)),
                None => Nav::Stay,
            };
        }
        match action {
            Action::PriceOverride if self.waitlist.is_none() => self.toggle_override(),
            Action::Back if self.waitlist.is_some() => return Nav::Pop,
            Action::Back => {
                // Backing out gives the seats back at once, not when the hold runs out, and
                // keeps what was typed for when the customer has chosen other seats.
                if let Err(e) = ctx.store.release_hold(&self.hold.booking, ctx.now, ctx.policy) {
                    ctx.error(e);
                }
                *ctx.draft = Some(Draft {
                    slot: self.hold.slot.id,
                    name: self.name.clone(),
                    phone: self.phone.clone(),
                    method: self.method,
                    tendered: self.tendered.clone(),
                });
                return Nav::Pop;
            }
            Action::Confirm => return self.commit(ctx, None),
            Action::NextField | Action::Down => self.move_focus(1),
            Action::PrevField | Action::Up => self.move_focus(-1),
            action if self.focus == Field::Types => {
                self.edit_types(action);
                self.error = None;
            }
            Action::Toggle | Action::Left | Action::Right if self.focus == Field::Payment => {
                self.method = match self.method {
                    PaymentMethod::Cash => PaymentMethod::Card,
                    PaymentMethod::Card => PaymentMethod::Cash,
                };
            }
            edit if self.focus != Field::Payment => {
                let mut cursor = self.cursor;
                if let Some(text) = self.focused_text()
                    && super::text_edit::edit(text, &mut cursor, edit)
                {
                    self.cursor = cursor;
                    self.error = None;
                }
            }
            _ => {}
        }
        Nav::Stay
    }

    fn focused_text(&mut self) -> Option<&mut String> {
        match self.focus {
            Field::Name => Some(&mut self.name),
            Field::Phone => Some(&mut self.phone),
            Field::Tendered => Some(&mut self.tendered),
            Field::Price => self.price_override.as_mut(),
            Field::Payment | Field::Types => None,
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let next = (at + delta).rem_euclid(fields.len() as isize) as usize;
        self.focus = fields[next];
        self.cursor = self.focused_text().map_or(0, |t| t.chars().count());
    }

    /// Enter: sells the held seats. `approved`: a manager's approval of the override, just given.
    fn commit(&mut self, ctx: &mut Ctx, approved: Option<super::approval::Approved>) -> Nav {
        if let Err(e) = self.priced() {
            self.error = Some(e);
            return Nav::Stay;
        }
        let price_override = self.override_amount().ok().flatten();
        if price_override.is_some() && ctx.role.is_some() && approved.is_none() && !self.in_doubt {
            // What the card would have charged, so the journal says what was waived.
            let card = self.hold.slot.price_sale(&self.hold.seats, &self.named_types(), None);
            let card = ctx.money(card.map_or(0, |p| p.iter().map(|(_, price)| price).sum()));
            let why = match price_override {
                Some(0) => format!("Free tickets ({card} at the card's prices)"),
                _ => format!(
                    "Price override: {} a ticket ({card} at the card's prices)",
                    ctx.money(price_override.unwrap_or_default())
                ),
            };
            self.approval = Some(super::approval::Approval::new(why));
            return Nav::Stay;
        }
        let tendered = match self.tendered_amount() {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(e);
                return Nav::Stay;
            }
        };
        if self.in_doubt {
            return self.settle_doubt(ctx, tendered);
        }
        if let Some(entry) = self.waitlist {
            // The party's own details were taken when they joined the list.
            return match ctx.store.waitlist_confirm(entry, self.method, &self.named_types(), ctx.operator, ctx.now) {
                Ok(sale) => self.sold(sale, tendered, "", ctx),
                Err(e) => {
                    self.error = Some(e.to_string());
                    Nav::Stay
                }
            };
        }
        if ctx.now >= self.hold.expires {
            return self.hold_again(ctx);
        }
        let customer = Customer { name: Some(self.name.clone()), phone: Some(self.phone.clone()) };
        // An approved override is journalled in the sale's own transaction: both or neither.
        let note =
            approved.as_ref().map(|a| format!(" · approved by {} ({})", a.manager, a.reason)).unwrap_or_default();
        let approval = approved.as_ref().map(|a| a.for_store(ctx.operator));
        let (booking, method, types) = (&self.hold.booking, self.method, self.named_types());
        let (operator, now) = (ctx.operator, ctx.now);
        let sold = ctx.store.approved(approval, now, |store| {
            store.confirm_hold_as(booking, &customer, method, (&types, price_override), operator, now)
        });
        match sold {
            Ok(sale) => self.sold(sale, tendered, &note, ctx),
            Err(e) if e.is_connection_lost() => {
                self.in_doubt = true;
                self.settle_doubt(ctx, tendered)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Nav::Stay
            }
        }
    }

    /// The sold screen after a sale (`note`: who approved its override).
    fn sold(&self, sale: Sale, tendered: Option<Cents>, note: &str, ctx: &mut Ctx) -> Nav {
        ctx.info(format!("Sold {} · {}{note}", sale.booking, ctx.money(sale.total)));
        sold_screen(sale, tendered, ctx)
    }

    /// After the connection dropped in the middle of a sale: connect again and find out, by the
    /// hold's booking code, whether the sale committed (show it as sold, never sell it twice)
    /// or not (the seats are still held: Enter sells them).
    fn settle_doubt(&mut self, ctx: &mut Ctx, tendered: Option<Cents>) -> Nav {
        let tickets = ctx.store.reconnect().and_then(|()| ctx.store.booking_tickets(&self.hold.booking));
        let tickets = match tickets {
            Ok(tickets) => tickets,
            Err(e) => {
                self.error = Some(format!("{e}: whether the sale went through is not known yet; Enter asks again"));
                return Nav::Stay;
            }
        };
        self.in_doubt = false;
        match sold(&tickets) {
            Some(sale) => {
                ctx.info(format!(
                    "The connection dropped, but the sale went through: {} · {}",
                    sale.booking,
                    ctx.money(sale.total)
                ));
                sold_screen(sale, tendered, ctx)
            }
            None => {
                self.error = Some("The connection dropped before the sale: nothing was sold. Enter sells".into());
                Nav::Stay
            }
        }
    }

    /// The hold ran out: hold the same seats again if they are still free.
    fn hold_again(&mut self, ctx: &mut Ctx) -> Nav {
        let seats = self.hold.seats.iter().map(|s| (s.row_label.clone(), s.number)).collect();
        match ctx.store.hold(self.hold.slot.id, &SeatRequest::Seats(seats), ctx.operator, ctx.now, ctx.policy) {
            Ok(hold) => {
                self.hold = hold;
                self.error = None;
                ctx.info(format!(
                    "Seats held again until {}: Enter sells",
                    crate::domain::time::local(&self.hold.expires).format("%H:%M")
                ));
            }
            Err(e) => self.error = Some(format!("The hold ran out and the seats cannot be held again: {e}")),
        }
        Nav::Stay
    }

    /// Seconds left on the hold at `now` (0 once it ran out).
    pub fn hold_seconds_left(&self, now: crate::domain::time::Time) -> i64 {
        (self.hold.expires - now).num_seconds().max(0)
    }
}
