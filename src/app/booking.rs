//! The booking form (customer, payment, cash tendered) and the confirmation after a sale.

use super::seats::SeatPicker;
use super::{Action, Ctx, InputMode, Nav, Screen};
use crate::domain::model::{Customer, PaymentMethod, Sale, SaleRequest, SeatRequest};
use crate::domain::money::{Cents, format_amount, parse_amount};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Phone,
    Payment,
    Tendered,
}

#[derive(Debug, Clone)]
pub struct BookingForm {
    pub picker: SeatPicker,
    pub name: String,
    pub phone: String,
    pub method: PaymentMethod,
    /// Cash handed over, as typed; empty means the exact amount.
    pub tendered: String,
    pub focus: Field,
    pub error: Option<String>,
}

impl BookingForm {
    pub fn new(picker: SeatPicker) -> BookingForm {
        BookingForm {
            picker,
            name: String::new(),
            phone: String::new(),
            method: PaymentMethod::Cash,
            tendered: String::new(),
            focus: Field::Name,
            error: None,
        }
    }

    pub fn input_mode(&self) -> InputMode {
        if self.focus == Field::Payment { InputMode::Command } else { InputMode::Text }
    }

    pub fn total(&self) -> Cents {
        self.picker.total()
    }

    /// The fields in tab order (no cash tendered when paying by card).
    fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::Name, Field::Phone, Field::Payment];
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
        let amount = parse_amount(&self.tendered).map_err(|e| e.to_string())?;
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
        match action {
            Action::Back => return Nav::Pop,
            Action::Confirm => return self.commit(ctx),
            Action::NextField | Action::Down => self.move_focus(1),
            Action::PrevField | Action::Up => self.move_focus(-1),
            Action::Toggle | Action::Left | Action::Right if self.focus == Field::Payment => {
                self.method = match self.method {
                    PaymentMethod::Cash => PaymentMethod::Card,
                    PaymentMethod::Card => PaymentMethod::Cash,
                };
            }
            Action::Char(c) => {
                if let Some(text) = self.focused_text() {
                    text.push(c);
                }
                self.error = None;
            }
            Action::Backspace => {
                if let Some(text) = self.focused_text() {
                    text.pop();
                }
                self.error = None;
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
            Field::Payment => None,
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let next = (at + delta).rem_euclid(fields.len() as isize) as usize;
        self.focus = fields[next];
    }

    fn commit(&mut self, ctx: &mut Ctx) -> Nav {
        let tendered = match self.tendered_amount() {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(e);
                return Nav::Stay;
            }
        };
        let seats = self.picker.selected_seats().iter().map(|s| (s.row_label.clone(), s.number)).collect();
        let request = SaleRequest {
            slot: self.picker.slot.id,
            seats: SeatRequest::Seats(seats),
            customer: Customer { name: Some(self.name.clone()), phone: Some(self.phone.clone()) },
            payment: self.method,
            operator: ctx.operator.to_string(),
        };
        match ctx.store.sell(&request, ctx.now, ctx.policy) {
            Ok(sale) => {
                let change = tendered.map(|t| t - sale.total);
                ctx.info(format!("Sold {} · {}", sale.booking, format_amount(sale.total)));
                Nav::Reset(Screen::Confirmed(Confirmed { sale, tendered, change, printing: false }))
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Nav::Stay
            }
        }
    }
}

/// The sale is made: codes to read out, change to hand back, a ticket view to print.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub sale: Sale,
    pub tendered: Option<Cents>,
    pub change: Option<Cents>,
    /// Showing the printable ticket view.
    pub printing: bool,
}

impl Confirmed {
    pub fn handle(&mut self, action: Action) -> Nav {
        match action {
            Action::Print => self.printing = !self.printing,
            Action::Back if self.printing => self.printing = false,
            Action::Confirm | Action::Back | Action::Quit => return Nav::Home,
            _ => {}
        }
        Nav::Stay
    }
}
