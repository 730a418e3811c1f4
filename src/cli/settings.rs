//! `config show`: the effective settings and where each came from.

use clap::Subcommand;
use serde_json::json;

use super::Context;

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print every setting, its value, and its source (default, file, env or flag).
    Show,
}

impl ConfigCmd {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let ConfigCmd::Show = self;
        let entries = ctx.config.entries();
        let file = ctx.config.file.as_ref().map(|p| p.display().to_string());
        let default_file = crate::config::default_path().map(|p| p.display().to_string());
        let database = crate::store::mask_password(&ctx.db_path.to_string_lossy());
        ctx.emit(
            json!({
                "database": database,
                "file": file,
                "default_file": default_file,
                "settings": entries.iter().map(|(k, v, s)| json!({"key": k, "value": v, "source": s})).collect::<Vec<_>>(),
            }),
            || {
                let mut out = match (&file, &default_file) {
                    (Some(f), _) => format!("# settings from {f}\n"),
                    (None, Some(d)) => format!("# no settings file ({d} does not exist): defaults\n"),
                    (None, None) => "# no settings file: defaults\n".to_string(),
                };
                out.push_str(&format!("# database: {database}\n"));
                for (key, value, source) in &entries {
                    let shown = if value.parse::<i64>().is_ok() { value.clone() } else { format!("{value:?}") };
                    out.push_str(&format!("{key:<30} = {shown:<24} # {source}\n"));
                }
                out
            },
        )
    }
}
