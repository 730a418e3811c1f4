//! `checkin CODE`: the door admits a ticket (or a booking's tickets) once.

use clap::Args;
use serde_json::json;

use super::Context;
use super::output::slot_json;
use crate::domain::time::format_time;
use crate::store::Door;

#[derive(Debug, Args)]
pub struct Checkin {
    /// A ticket code, or a booking code to admit all its tickets (case and dash optional).
    code: String,
    /// Admit outside the door's window (recorded in the journal).
    #[arg(long, conflicts_with = "undo")]
    force: bool,
    /// Reverse the ticket's check-in (recorded).
    #[arg(long)]
    undo: bool,
    /// Only admit tickets of this show (a door in front of one hall).
    #[arg(long, value_name = "ID")]
    slot: Option<i64>,
    /// This door's name (default: `[door] name`, else "main").
    #[arg(long)]
    door: Option<String>,
}

impl Checkin {
    /// A check-in outside the door's window.
    pub fn forced(&self) -> bool {
        self.force
    }

    /// Reversing a check-in.
    pub fn undoing(&self) -> bool {
        self.undo
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        if self.undo {
            let undone = ctx.store.undo_check_in(&self.code, &ctx.operator, ctx.now)?;
            return ctx.emit(json!({"undone": undone}), || {
                format!("check-in of {} undone ({undone} ticket{})", self.code, if undone == 1 { "" } else { "s" })
            });
        }
        let name = match self.door {
            Some(d) => crate::domain::text::clean("door", &d, 40)?,
            None => ctx.config.door_name.value.clone(),
        };
        let door = Door { name, operator: ctx.operator.clone(), slot: self.slot };
        if let Some(slot) = door.slot {
            ctx.store.slot(slot)?;
        }
        match ctx.store.check_in(&self.code, &door, self.force, ctx.now, &ctx.policy)? {
            Ok(admitted) => {
                let value: Vec<_> = admitted
                    .iter()
                    .map(|a| {
                        json!({
                            "id": a.code,
                            "seat": a.seat,
                            "category": a.category.name(),
                            "type": a.ticket_type,
                            "slot": slot_json(&a.slot),
                            "customer": a.customer,
                            "checked_in": format_time(&a.checked_in),
                            "forced": a.forced,
                        })
                    })
                    .collect();
                ctx.emit(json!({"admitted": value}), || {
                    admitted
                        .iter()
                        .map(|a| {
                            format!(
                                "ADMIT{} {} · seat {} · {} · {} · {} {} · {}",
                                if a.forced { " (forced)" } else { "" },
                                a.code,
                                a.seat,
                                a.ticket_type,
                                a.slot.name,
                                a.slot.hall,
                                crate::domain::time::local(&a.slot.start).format("%H:%M"),
                                a.customer.display_name()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
            }
            Err(refusal) => {
                anyhow::bail!(crate::domain::Error::Conflict(format!("refused: {}", refusal.reason())))
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct DoorScreen {
    /// Admit only this show's tickets (a door in front of one hall); others are sent on.
    #[arg(long, value_name = "ID")]
    slot: Option<i64>,
    /// This door's name (default: `[door] name`, else "main").
    #[arg(long)]
    door: Option<String>,
}

impl DoorScreen {
    pub fn run(self, ctx: Context) -> anyhow::Result<()> {
        use std::io::IsTerminal;
        if !std::io::stdout().is_terminal() {
            anyhow::bail!("the door screen needs a terminal; for scripts use 'ticketly checkin CODE'");
        }
        let name = match self.door {
            Some(d) => crate::domain::text::clean("door", &d, 40)?,
            None => ctx.config.door_name.value.clone(),
        };
        let place = Door { name, operator: ctx.operator.clone(), slot: self.slot };
        let mut screen = crate::door::DoorScreen::new(ctx.store, ctx.policy, place, ctx.now)?;
        screen.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        crate::door::run::run(screen, || super::context::clock().unwrap_or_else(|_| crate::domain::time::now()))
    }
}
