//! How records look on stdout: JSON objects for scripts (keys are part of the CLI contract;
//! amounts are integer minor units) and short text for people.

use serde_json::{Value, json};

use super::Context;
use crate::domain::model::{Slot, SlotSummary, TicketDetails};
use crate::domain::money::format_amount;
use crate::domain::time::format_time;

impl Context {
    /// Prints `value` as JSON with `--json`, otherwise the text `text` builds.
    /// An amount in messages, with the theatre's currency symbol: "£25.00".
    pub fn money(&self, amount: crate::domain::money::Cents) -> String {
        let sign = if amount < 0 { "-" } else { "" };
        format!("{sign}{}{}", self.config.currency_symbol.value, format_amount(amount.abs()))
    }

    pub fn emit(&self, value: Value, text: impl FnOnce() -> String) -> anyhow::Result<()> {
        if self.quiet {
            return Ok(());
        }
        if self.json {
            write_out(&format!("{}\n", serde_json::to_string_pretty(&value)?))
        } else {
            let out = text();
            if out.is_empty() { Ok(()) } else { write_out(&format!("{}\n", out.trim_end())) }
        }
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error worth a word.
pub fn write_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

pub fn slot_json(slot: &Slot) -> Value {
    let prices: serde_json::Map<String, Value> =
        slot.prices.iter().map(|(c, a)| (c.name().to_string(), json!(a))).collect();
    json!({
        "id": slot.id,
        "name": slot.name,
        "description": slot.description,
        "type": slot.kind,
        "genre": slot.genre,
        "hall": slot.hall,
        "start": format_time(&slot.start),
        "end": format_time(&slot.end),
        "prices": prices,
        "card": slot.card,
        "default_type": slot.default_type,
        "prices_by_type": prices_by_type(slot),
    })
}

/// `{"Adult": {"Regular": 950, …}, "Child": {…}}`, in the theatre's type order.
fn prices_by_type(slot: &Slot) -> Value {
    let mut by_type = serde_json::Map::new();
    for ticket_type in slot.ticket_types() {
        let prices: serde_json::Map<String, Value> = slot
            .type_prices
            .iter()
            .filter(|p| p.ticket_type == ticket_type)
            .map(|p| (p.category.name().to_string(), json!(p.amount)))
            .collect();
        by_type.insert(ticket_type.to_string(), Value::Object(prices));
    }
    Value::Object(by_type)
}

pub fn summary_json(s: &SlotSummary) -> Value {
    let mut v = slot_json(&s.slot);
    v["seats_total"] = json!(s.seats_total);
    v["seats_free"] = json!(s.seats_free);
    v["seats_held"] = json!(s.seats_held);
    v["seats_offered"] = json!(s.seats_offered);
    v["checked_in"] = json!(s.checked_in);
    v["availability"] = json!(s.availability().name());
    v
}

pub fn ticket_json(t: &TicketDetails) -> Value {
    json!({
        "id": t.code,
        "booking": t.booking,
        "status": t.status,
        "seat": t.seat,
        "category": t.category.name(),
        "type": t.ticket_type,
        "price": t.price,
        "slot": slot_json(&t.slot),
        "customer": t.customer,
        "payment": t.payment,
        "operator": t.operator,
        "created": format_time(&t.created),
        "changed": format_time(&t.changed),
        "replaces": t.replaces,
        "replaced_by": t.replaced_by,
        "checked_in": t.checked_in.as_ref().map(format_time),
    })
}

/// "Avatar · Hall 1 · 2026-11-23 20:00-22:00"
pub fn slot_line(slot: &Slot) -> String {
    format!(
        "{} · {} · {}-{}",
        slot.name,
        slot.hall,
        format_time(&slot.start),
        crate::domain::time::local(&slot.end).format("%H:%M")
    )
}

pub fn ticket_text(t: &TicketDetails) -> String {
    let mut out = format!(
        "{}  {}  seat {} ({})  {}  {}\n  {}\n  customer: {}{}\n  booking {} · paid {} · sold by {} · slot #{} · issued {}\n",
        t.code,
        t.status.name(),
        t.seat,
        t.category,
        t.ticket_type,
        format_amount(t.price),
        slot_line(&t.slot),
        t.customer.display_name(),
        t.customer.phone.as_deref().map(|p| format!(" ({p})")).unwrap_or_default(),
        t.booking,
        t.payment.name(),
        t.operator,
        t.slot.id,
        format_time(&t.created),
    );
    if let Some(r) = &t.replaces {
        out.push_str(&format!("  replaces {r}\n"));
    }
    if let Some(r) = &t.replaced_by {
        out.push_str(&format!("  replaced by {r}\n"));
    }
    if let Some(at) = &t.checked_in {
        out.push_str(&format!("  checked in {}\n", format_time(at)));
    }
    out
}

/// A progress bar on a terminal drawn with `template` (indicatif's); nothing when piped, or
/// with `silent` (--json, --quiet).
pub fn progress_bar(len: u64, silent: bool, template: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if silent || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
