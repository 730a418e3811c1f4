//! `copy --to TARGET`: the whole theatre into an empty database, SQLite to PostgreSQL and back.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::Context;
use super::output::progress_bar;
use crate::domain::Error;
use crate::domain::money::format_amount;
use crate::store::engine::Target;
use crate::store::{Store, mask_password};

#[derive(Debug, Args)]
pub struct Copy {
    /// Where to copy to: a new SQLite file, or an empty PostgreSQL database (postgres:// URL).
    #[arg(long, value_name = "PATH|URL")]
    to: PathBuf,
}

impl Copy {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let (from, to) = (shown(&ctx.db_path), shown(&self.to));
        if from == to {
            anyhow::bail!(Error::Invalid(format!("'{to}' is the database being copied: name another")));
        }
        let new_file = match Target::from_path(&self.to) {
            Target::Sqlite(path) => (!path.exists()).then_some(path),
            Target::Postgres(_) => None,
        };
        let copied = Store::open(&self.to).and_then(|mut target| {
            let bar = progress_bar(0, ctx.json || ctx.quiet, "copying {bar:40} {pos}/{len} rows");
            let summary = ctx.store.copy_to(&mut target, &mut |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            });
            bar.finish_and_clear();
            summary
        });
        let summary = match copied {
            Ok(summary) => summary,
            Err(e) => {
                // All or nothing: a file this run created is not left behind half made.
                if let Some(path) = new_file {
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                }
                return Err(e.into());
            }
        };
        let a = &summary.audit;
        ctx.emit(
            json!({
                "from": from,
                "to": to,
                "rows": summary.rows,
                "bookings": a.bookings,
                "tickets": a.tickets,
                "payments": a.payments,
                "net": a.payments_net,
                "audit": "ok",
            }),
            || {
                format!(
                    "copied '{from}' to '{to}': {} bookings, {} tickets, {} payments ({} net); the audit passes on both",
                    a.bookings,
                    a.tickets,
                    a.payments,
                    format_amount(a.payments_net)
                )
            },
        )
    }
}

/// A path, or a URL with its password masked.
fn shown(target: &std::path::Path) -> String {
    mask_password(&target.to_string_lossy())
}
