//! The cashier's till at the counter: open it with a float, see the drawer's expected cash as
//! the day goes, close it with the cash counted (the same figures as `ticketly report`).

use super::{Action, Ctx, InputMode, Nav};
use crate::domain::cashup::{OperatorCashUp, TillSession};
use crate::domain::money::parse_typed_amount;

#[derive(Debug, Clone)]
pub struct TillView {
    /// The signed-in cashier's open till, if any.
    pub open: Option<TillSession>,
    /// Their cash-up for today (sales, refunds, the drawer).
    pub cash_up: Option<OperatorCashUp>,
    /// The float to open with, or the cash counted to close, as typed.
    pub amount: String,
    pub cursor: usize,
    pub error: Option<String>,
    /// The journal's head at this cash-up (see `journal verify --head`); empty without one.
    pub journal_head: String,
    /// A manager's approval, asked for when the till being opened was closed today.
    pub approval: Option<super::approval::Approval>,
}

impl TillView {
    pub fn open(ctx: &mut Ctx) -> TillView {
        let mut view = TillView {
            open: None,
            cash_up: None,
            amount: String::new(),
            cursor: 0,
            error: None,
            journal_head: String::new(),
            approval: None,
        };
        view.refresh(ctx);
        view
    }

    pub fn input_mode(&self) -> InputMode {
        InputMode::Text
    }

    pub fn refresh(&mut self, ctx: &mut Ctx) {
        let today = crate::domain::time::local(&ctx.now).date();
        match ctx.store.open_till_of(ctx.operator) {
            Ok(open) => self.open = open,
            Err(e) => ctx.error(e),
        }
        match ctx.store.cash_up(today) {
            Ok(all) => self.cash_up = all.into_iter().find(|o| o.operator == ctx.operator),
            Err(e) => ctx.error(e),
        }
        match ctx.store.journal_head() {
            Ok(head) => self.journal_head = head,
            Err(e) => ctx.error(e),
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        if self.approval.is_some() {
            let what = |_: &super::approval::Approval| format!("reopening {}'s till closed today", ctx.operator);
            if let Some(approved) = super::approval::answer(&mut self.approval, action, ctx.store, ctx.now, what) {
                self.submit(ctx, Some(approved));
            }
            return Nav::Stay;
        }
        match action {
            Action::Back | Action::Quit => return Nav::Pop,
            Action::Confirm => self.submit(ctx, None),
            edit if super::text_edit::edit(&mut self.amount, &mut self.cursor, edit) => self.error = None,
            _ => {}
        }
        Nav::Stay
    }

    /// Enter: opens the till with the float typed, or closes it with the cash counted.
    /// `approved`: a manager's approval of reopening it, just given.
    fn submit(&mut self, ctx: &mut Ctx, approved: Option<super::approval::Approved>) {
        let amount = match parse_typed_amount(&self.amount) {
            Ok(amount) => amount,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        // Reopening a till closed today: a manager approves (with operators) before it opens.
        if self.open.is_none() && ctx.role.is_some() && approved.is_none() {
            match ctx.store.reopens_till(ctx.operator, ctx.now) {
                Ok(true) => {
                    let why = "Your till was closed today: reopening it needs a manager";
                    self.approval = Some(super::approval::Approval::new(why));
                    return;
                }
                Ok(false) => {}
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            }
        }
        let done = match &self.open {
            None => {
                // An approved reopening is journalled with the opening: both or neither.
                let approval = approved.as_ref().map(|a| a.for_store(ctx.operator));
                let (operator, now) = (ctx.operator, ctx.now);
                let opened = ctx.store.approved(approval, now, |store| store.open_till(operator, amount, now));
                opened.map(|_| format!("Till open with a float of {}", ctx.money(amount)))
            }
            Some(_) => ctx
                .store
                .close_till(ctx.operator, amount, ctx.now)
                .map(|_| format!("Till closed: {} counted", ctx.money(amount))),
        };
        match done {
            Ok(message) => {
                ctx.info(message);
                self.amount.clear();
                self.cursor = 0;
                self.error = None;
                self.refresh(ctx);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}
