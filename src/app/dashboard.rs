//! The day at a glance: how full each show is, the takings so far, the next shows to start.

use super::{Action, Ctx, Nav};
use crate::domain::model::{DayReport, SlotSummary};
use crate::store::SlotFilter;

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub slots: Vec<SlotSummary>,
    pub report: Option<DayReport>,
}

impl Dashboard {
    pub fn open(ctx: &mut Ctx) -> Dashboard {
        let mut dashboard = Dashboard { slots: Vec::new(), report: None };
        dashboard.refresh(ctx);
        dashboard
    }

    /// Re-reads today's shows and takings (on open, and when another counter commits).
    pub fn refresh(&mut self, ctx: &mut Ctx) {
        let today = crate::domain::time::local(&ctx.now).date();
        let filter = SlotFilter { date: Some(today), cinema: ctx.cinema.map(str::to_string), ..SlotFilter::default() };
        match ctx.store.slots(&filter, ctx.now) {
            Ok(slots) => self.slots = slots,
            Err(e) => ctx.error(e),
        }
        match ctx.store.report_for(today, ctx.cinema) {
            Ok(report) => self.report = Some(report),
            Err(e) => ctx.error(e),
        }
    }

    pub fn handle(&mut self, action: Action) -> Nav {
        match action {
            Action::Back | Action::Quit | Action::Dashboard | Action::Confirm => Nav::Pop,
            _ => Nav::Stay,
        }
    }
}
