//! What a stress run counts and prints: per-kind tallies, each worker's report, the figures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::money::format_amount;
use crate::store::Audit;

/// How attempts of one kind turned out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub ok: u64,
    /// Refused with the conflict code (4): a legal outcome under contention.
    pub conflict: u64,
    /// Anything else: a failure of the run.
    pub other: u64,
}

impl Tally {
    pub fn attempts(&self) -> u64 {
        self.ok + self.conflict + self.other
    }

    pub(super) fn add(&mut self, other: &Tally) {
        self.ok += other.ok;
        self.conflict += other.conflict;
        self.other += other.other;
    }
}

/// The kinds of attempt, in the order the figures list them.
pub const ACTIONS: [&str; 11] = [
    "book by count",
    "book seats",
    "cancel ticket",
    "cancel booking",
    "rebook",
    "hold+confirm",
    "hold+release",
    "hold+abandon",
    "expire",
    "waitlist add",
    "waitlist confirm/remove",
];

/// What one worker did: its tallies per kind of attempt, printed as one JSON line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerReport {
    pub id: u64,
    pub actions: BTreeMap<String, Tally>,
    /// Sales made (bookings paid: by count, by seat, confirmed holds and offers).
    pub sales: u64,
    pub tickets_sold: u64,
    /// Conflicts raised by the schema's constraints rather than by the code's checks: each is
    /// a race the checks missed (the writes are serialized, so there should be none).
    #[serde(default)]
    pub schema_refusals: u64,
    /// The first few failures that were not conflicts (or were schema refusals).
    pub errors: Vec<String>,
}

/// The figures of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub db: String,
    pub procs: usize,
    pub attempts_per_proc: u64,
    pub seed: u64,
    pub attempts: u64,
    pub ok: u64,
    pub conflict: u64,
    pub other: u64,
    pub actions: BTreeMap<String, Tally>,
    pub sales: u64,
    pub tickets_sold: u64,
    pub schema_refusals: u64,
    pub elapsed_secs: f64,
    pub sales_per_sec: f64,
    pub attempts_per_sec: f64,
    /// Workers that did not finish or report (exit status, message).
    pub failed_workers: Vec<String>,
    pub errors: Vec<String>,
    pub audit: Audit,
    pub passed: bool,
}

impl Figures {
    /// Why the run failed (empty when it passed).
    pub fn failures(&self) -> Vec<String> {
        let mut out = self.failed_workers.clone();
        if self.other > 0 {
            out.push(format!("{} attempts ended neither ok nor in conflict", self.other));
        }
        if self.schema_refusals > 0 {
            out.push(format!("{} conflicts were caught only by the schema's constraints", self.schema_refusals));
        }
        if self.attempts != self.procs as u64 * self.attempts_per_proc {
            out.push(format!(
                "{} attempts reported, {} expected",
                self.attempts,
                self.procs as u64 * self.attempts_per_proc
            ));
        }
        out.extend(self.audit.problems());
        out
    }

    /// The figures as a table for people.
    pub fn table(&self) -> String {
        let mut out = format!(
            "ticketly stress: {} processes × {} attempts, seed {}, database {}\n\n",
            self.procs, self.attempts_per_proc, self.seed, self.db
        );
        out.push_str(&format!("{:<24}{:>10}{:>10}{:>10}{:>8}\n", "attempt", "count", "ok", "conflict", "other"));
        let mut names: Vec<&str> = ACTIONS.to_vec();
        names.extend(self.actions.keys().map(String::as_str).filter(|k| !ACTIONS.contains(k)));
        for name in names {
            let t = self.actions.get(name).copied().unwrap_or_default();
            out.push_str(&format!("{name:<24}{:>10}{:>10}{:>10}{:>8}\n", t.attempts(), t.ok, t.conflict, t.other));
        }
        out.push_str(&format!(
            "{:<24}{:>10}{:>10}{:>10}{:>8}\n\n",
            "total", self.attempts, self.ok, self.conflict, self.other
        ));
        let a = &self.audit;
        let rows = [
            ("sales", format!("{} ({} tickets)", self.sales, self.tickets_sold)),
            ("refused by the schema", self.schema_refusals.to_string()),
            ("elapsed", format!("{:.2} s", self.elapsed_secs)),
            ("sales/s", format!("{:.1}", self.sales_per_sec)),
            ("attempts/s", format!("{:.1}", self.attempts_per_sec)),
            ("integrity_check", a.integrity.clone()),
            ("double-sold seats", a.double_sold.to_string()),
            ("partial bookings", a.partial_bookings.to_string()),
            ("money mismatches", a.money_mismatch.to_string()),
            ("broken rebookings", a.broken_rebookings.to_string()),
            ("sales − refunds", format_amount(a.payments_net)),
            ("paid tickets' value", format_amount(a.ticket_value)),
            ("reports' net", format_amount(a.report_net)),
            ("bookings/tickets/payments", format!("{}/{}/{}", a.bookings, a.tickets, a.payments)),
            (
                "tickets by status",
                a.tickets_by_status.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", "),
            ),
        ];
        for (name, value) in rows {
            out.push_str(&format!("{name:<27}{value}\n"));
        }
        for e in &self.errors {
            out.push_str(&format!("error: {e}\n"));
        }
        let failures = self.failures();
        if failures.is_empty() {
            out.push_str("result: PASS (every attempt ok or conflict; every invariant holds)\n");
        } else {
            out.push_str(&format!("result: FAIL: {}\n", failures.join("; ")));
        }
        out
    }
}
