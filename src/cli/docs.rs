//! `completions SHELL` and `man`: the command line describing itself, generated from the same
//! clap definitions that parse it, so they never drift.

use clap::CommandFactory;

use super::Cli;

/// Prints the completion script for `shell` (install it where the shell looks, see README).
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ticketly", &mut out);
    super::output::write_out(&String::from_utf8_lossy(&out))
}

/// Prints the man page (roff): `ticketly man > ticketly.1`.
pub fn man() -> anyhow::Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    super::output::write_out(&String::from_utf8_lossy(&out))
}
