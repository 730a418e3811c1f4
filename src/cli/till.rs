//! `till open|close|status`: the cashier's drawer, for the end-of-day cash-up in `report`.

use clap::Subcommand;
use serde_json::{Value, json};

use super::Context;
use crate::domain::cashup::TillSession;
use crate::domain::money::{format_amount, parse_amount};
use crate::domain::time::format_time;

#[derive(Debug, Subcommand)]
pub enum TillCmd {
    /// Open the operator's till with a float (the change in the drawer at the start).
    Open {
        #[arg(long, value_name = "AMOUNT")]
        float: String,
    },
    /// Close the operator's till with the cash counted in the drawer.
    Close {
        #[arg(long, value_name = "AMOUNT")]
        counted: String,
    },
    /// The operator's open till, if any.
    Status,
}

impl TillCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let operator = ctx.operator.clone();
        let session = match self {
            TillCmd::Open { float } => Some(ctx.store.open_till(&operator, parse_amount(&float)?, ctx.now)?),
            TillCmd::Close { counted } => Some(ctx.store.close_till(&operator, parse_amount(&counted)?, ctx.now)?),
            TillCmd::Status => ctx.store.open_till_of(&operator)?,
        };
        match session {
            Some(s) => ctx.emit(session_json(&s), || session_line(&s)),
            None => ctx.emit(json!(null), || format!("{operator} has no open till")),
        }
    }
}

fn session_json(s: &TillSession) -> Value {
    json!({
        "id": s.id,
        "operator": s.operator,
        "opened": format_time(&s.opened),
        "float": s.float,
        "closed": s.closed.as_ref().map(format_time),
        "counted": s.counted,
    })
}

fn session_line(s: &TillSession) -> String {
    match (s.closed, s.counted) {
        (Some(closed), Some(counted)) => format!(
            "{}'s till closed at {} with {} counted (float {}); see 'ticketly report' for the variance",
            s.operator,
            crate::domain::time::local(&closed).format("%H:%M"),
            format_amount(counted),
            format_amount(s.float)
        ),
        _ => format!(
            "{}'s till open since {} with a float of {}",
            s.operator,
            crate::domain::time::local(&s.opened).format("%H:%M"),
            format_amount(s.float)
        ),
    }
}
