//! `operator add|list|disable|pin`, and the sign-in every changing command needs once a
//! theatre has operators: the operator's PIN (`TICKETLY_PIN`, or asked on a terminal), the
//! role's right, and a manager's approval for what the everyday rules refuse.

use clap::Subcommand;
use serde_json::json;

use super::{Command, Context};
use crate::domain::error::not_allowed;
use crate::domain::staff::{Right, Role, reason};

/// The environment variable holding the operator's PIN (for scripts).
pub const PIN_VAR: &str = "TICKETLY_PIN";
/// The environment variable holding the approving manager's PIN.
pub const APPROVE_PIN_VAR: &str = "TICKETLY_APPROVE_PIN";

#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    /// Add an operator; the PIN (4-8 digits) is read from standard input (twice on a terminal).
    /// The first operator must be an admin.
    Add {
        name: String,
        #[arg(long, value_name = "cashier|manager|admin")]
        role: String,
    },
    /// Every operator with their role (never a PIN).
    List,
    /// Stop an operator from signing in.
    Disable { name: String },
    /// Change an operator's PIN (read from standard input); lifts a lockout.
    Pin { name: String },
}

impl OperatorCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        match self {
            OperatorCmd::Add { name, role } => {
                let role = Role::parse(&role)?;
                let pin = read_new_pin(&format!("PIN for {name}"))?;
                let by = ctx.operator.clone();
                ctx.store.add_operator(&name, role, &pin, &by, ctx.now)?;
                ctx.emit(json!({"added": name.trim(), "role": role.name()}), || {
                    format!("operator {} added as {}", name.trim(), role.name())
                })
            }
            OperatorCmd::List => {
                let operators = ctx.store.operators()?;
                ctx.emit(json!(operators), || {
                    if operators.is_empty() {
                        return "no operators: anyone at the keyboard may sell (add an admin with 'ticketly operator add NAME --role admin')".into();
                    }
                    operators
                        .iter()
                        .map(|o| {
                            let state = match (&o.locked_until, o.disabled) {
                                (_, true) => " (disabled)".to_string(),
                                (Some(until), false) => format!(" (locked until {until})"),
                                (None, false) => String::new(),
                            };
                            format!("{:<20} {}{state}", o.name, o.role.name())
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
            }
            OperatorCmd::Disable { name } => {
                let by = ctx.operator.clone();
                ctx.store.disable_operator(&name, &by, ctx.now)?;
                ctx.emit(json!({"disabled": name}), || format!("operator {name} disabled"))
            }
            OperatorCmd::Pin { name } => {
                let pin = read_new_pin(&format!("new PIN for {name}"))?;
                let by = ctx.operator.clone();
                ctx.store.set_pin(&name, &pin, &by, ctx.now)?;
                ctx.emit(json!({"pin_changed": name}), || format!("PIN of {name} changed"))
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum JournalCmd {
    /// The journal's entries, oldest first, for an auditor.
    Show {
        /// Entries of this day, "YYYY-MM-DD".
        #[arg(long)]
        date: Option<String>,
        /// Entries of this operator.
        #[arg(long)]
        operator: Option<String>,
    },
    /// Recompute the chain: exit 0 with its length and head, exit 1 naming the first entry
    /// that does not match.
    Verify {
        /// A head printed earlier (on a cash-up): it must still be in the chain.
        #[arg(long)]
        head: Option<String>,
    },
}

impl JournalCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let (date, operator) = match self {
            JournalCmd::Show { date, operator } => (date, operator),
            JournalCmd::Verify { head } => {
                let chain = ctx.store.verify_journal(head.as_deref())?;
                return ctx.emit(json!(chain), || {
                    format!("journal verified: {} entries, head {}", chain.entries, chain.head)
                });
            }
        };
        let date = date.as_deref().map(crate::domain::time::parse_date).transpose()?;
        let entries = ctx.store.journal_entries(date, operator.as_deref())?;
        ctx.emit(json!(entries), || {
            entries
                .iter()
                .map(|e| format!("{:>5}  {}  {:<12} {:<22} {}", e.id, e.at, e.operator, e.action, e.detail))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}

/// A new PIN from standard input: one line when piped, typed twice (hidden) on a terminal.
fn read_new_pin(prompt: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("{prompt}: "))?;
        let again = rpassword::prompt_password("again: ")?;
        if first != again {
            anyhow::bail!(crate::domain::Error::Invalid("the two PINs differ".into()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// A PIN for signing in: from `var`, else asked (hidden) on a terminal.
fn read_pin(var: &str, who: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if let Ok(pin) = std::env::var(var) {
        return Ok(pin);
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(format!("PIN for {who}: "))?);
    }
    Err(not_allowed(format!("no PIN for {who}: set {var} (or run on a terminal to be asked)")).into())
}

/// The counter screen on a terminal: who is at the counter (the configured name by default)
/// and their PIN, three tries.
fn sign_in_at_counter(ctx: &mut Context) -> anyhow::Result<()> {
    let mut last = None;
    for _ in 0..3 {
        eprint!("Who is at the counter [{}]: ", ctx.operator);
        let mut name = String::new();
        std::io::stdin().read_line(&mut name)?;
        let name = Some(name.trim()).filter(|n| !n.is_empty()).unwrap_or(&ctx.operator).to_string();
        let pin = rpassword::prompt_password(format!("PIN for {name}: "))?;
        match ctx.store.sign_in(&name, &pin, ctx.now) {
            Ok((name, role)) => {
                (ctx.operator, ctx.role) = (name, Some(role));
                return Ok(());
            }
            Err(e) => {
                eprintln!("ticketly: {e}");
                last = Some(e);
            }
        }
    }
    Err(last.map_or_else(|| anyhow::anyhow!("not signed in"), anyhow::Error::from))
}

/// The right a command needs, if it changes anything someone answers for.
pub fn right_for(command: Option<&Command>) -> Option<Right> {
    use super::{card::CardCmd, setup::CinemaCmd, setup::HallCmd, slot::SlotCmd, till::TillCmd};
    match command? {
        Command::Book(_) | Command::Rebook(_) | Command::Cancel(_) | Command::Waitlist(_) => Some(Right::Sell),
        Command::Checkin(_) | Command::Door(_) => Some(Right::CheckIn),
        Command::Till(TillCmd::Open { .. } | TillCmd::Close { .. }) => Some(Right::Till),
        // The demo writes a schedule and sales: into a theatre with operators, only an admin.
        Command::Init(init) if init.with_demo() => Some(Right::Schedule),
        Command::Demo(_)
        | Command::Slot(SlotCmd::Add(_) | SlotCmd::Import(_))
        | Command::Hall(HallCmd::Add(_))
        | Command::Cinema(CinemaCmd::Add { .. })
        | Command::Card(CardCmd::Set { .. } | CardCmd::Remove { .. } | CardCmd::Default { .. }) => {
            Some(Right::Schedule)
        }
        Command::Operator(OperatorCmd::Add { .. } | OperatorCmd::Disable { .. } | OperatorCmd::Pin { .. }) => {
            Some(Right::ManageOperators)
        }
        _ => None,
    }
}

/// Whether a command overrides the everyday rules (and so needs a manager's approval): what it
/// is, naming the ticket or booking, for the journal.
pub fn overrides(command: Option<&Command>) -> Option<String> {
    match command? {
        Command::Cancel(c) if c.forced() => Some(format!("refund past the cut-off (cancel --force {})", c.code())),
        Command::Rebook(c) if c.forced() => Some(format!("rebooking past the cut-off (rebook --force {})", c.code())),
        Command::Checkin(c) if c.forced() => {
            Some(format!("check-in outside the door's window (checkin --force {})", c.code()))
        }
        Command::Book(b) if b.price_override().is_some() => b.price_override(),
        Command::Checkin(c) if c.undoing() => Some(format!("undo of a check-in (checkin --undo {})", c.code())),
        _ => None,
    }
}

/// A role's refusal, journalled under the operator refused before it is returned (exit 7).
/// Should the record fail (a busy database), the refusal still stands as the answer.
fn refuse_recorded(ctx: &mut Context, operator: &str, checked: crate::domain::Result<()>) -> anyhow::Result<()> {
    if let Err(refusal) = checked {
        let _ = ctx.store.record_refusal(operator, &refusal.to_string(), ctx.now);
        return Err(refusal.into());
    }
    Ok(())
}

/// Once the theatre has operators: the operator signs in with their PIN, and must have the
/// command's right; an override needs a manager's approval (`--approve NAME` with
/// `TICKETLY_APPROVE_PIN`, and `--reason`). Nothing is done when any of it fails (exit 7).
pub fn authorize(
    ctx: &mut Context,
    command: Option<&Command>,
    approve: Option<&str>,
    why: Option<&str>,
) -> anyhow::Result<()> {
    // The counter screen (no subcommand) sells.
    let right = if command.is_none() { Some(Right::Sell) } else { right_for(command) };
    let Some(right) = right else { return Ok(()) };
    if !ctx.store.has_operators()? {
        return Ok(());
    }
    if command.is_none() && std::env::var(PIN_VAR).is_err() && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return sign_in_at_counter(ctx);
    }
    let operator = ctx.operator.clone();
    let pin = read_pin(PIN_VAR, &operator)?;
    let (name, role) = ctx.store.sign_in(&operator, &pin, ctx.now)?;
    refuse_recorded(ctx, &name, role.check(&name, right))?;
    ctx.operator = name.clone();
    ctx.role = Some(role);
    let reopening = matches!(command, Some(Command::Till(super::till::TillCmd::Open { .. })))
        && ctx.store.reopens_till(&name, ctx.now)?;
    let action = if reopening { Some(format!("reopening {name}'s till closed today")) } else { overrides(command) };
    if let Some(action) = action {
        let reason = match why {
            Some(r) => reason(r)?,
            None => anyhow::bail!(crate::domain::Error::Invalid(format!(
                "give the reason for the {action}: --reason {}",
                crate::domain::staff::REASONS.join("|")
            ))),
        };
        let approver = match (approve, role >= Role::Manager) {
            (Some(manager), _) => {
                let pin = read_pin(APPROVE_PIN_VAR, manager)?;
                let (approver, approver_role) = ctx.store.sign_in(manager, &pin, ctx.now)?;
                refuse_recorded(ctx, &approver, approver_role.check(&approver, Right::Approve))?;
                approver
            }
            // A manager at the counter approves their own override; it is recorded as such.
            (None, true) => name.clone(),
            (None, false) => anyhow::bail!(not_allowed(format!(
                "the {action} needs a manager's approval: --approve NAME with the manager's PIN in {APPROVE_PIN_VAR}"
            ))),
        };
        let asked = ctx.operator.clone();
        ctx.store.approve_next_write(&action, &asked, &approver, reason, ctx.now);
    }
    Ok(())
}
