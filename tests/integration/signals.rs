//! A counter stopped politely (SIGTERM) or whose terminal is closed (SIGHUP) gives back the
//! seats it holds at once, as Ctrl-C does, instead of leaving them blocked for the hold time.
//! Driven through tmux, as a cashier's terminal.

use std::process::Command;
use std::time::{Duration, Instant};

use super::support::{Fixture, NOW};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("run tmux");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Waits up to 15 s for `done`.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_counter_stopped_by_sigterm_or_sighup_gives_its_held_seats_back() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("SKIPPED: tmux is not installed, so the signal test did not run");
        return;
    }
    for signal in ["TERM", "HUP"] {
        let (f, slot) = Fixture::with_slot();
        let session = format!("ticketly-{signal}-{}-{slot}", std::process::id());
        let counter = format!(
            "exec env TICKETLY_NOW='{NOW}' TICKETLY_TIMEZONE=UTC TICKETLY_CONFIG=none TICKETLY_LOG=off TICKETLY_OPERATOR=till1 '{}' --db '{}'",
            env!("CARGO_BIN_EXE_ticketly"),
            f.db.display()
        );
        tmux(&["new-session", "-d", "-s", &session, "-x", "100", "-y", "30", &counter]);
        wait_for("the schedule", || tmux(&["capture-pane", "-p", "-t", &session]).contains("Avatar"));
        for key in ["Enter", "2", "Enter"] {
            tmux(&["send-keys", "-t", &session, key]);
            std::thread::sleep(Duration::from_millis(300));
        }
        wait_for("two seats held", || f.seats_in(slot, "held").len() == 2);
        if signal == "TERM" {
            let pid = tmux(&["display-message", "-p", "-t", &session, "#{pane_pid}"]);
            let killed = Command::new("kill").args(["-TERM", pid.trim()]).status().expect("kill");
            assert!(killed.success());
        } else {
            // Closing the terminal: tmux hangs up on the program in it.
            tmux(&["kill-session", "-t", &session]);
        }
        wait_for(&format!("SIG{signal} to release the hold"), || f.seats_in(slot, "held").is_empty());
        assert!(f.seats_in(slot, "booked").is_empty(), "nothing was sold");
        tmux(&["kill-session", "-t", &session]);
    }
}
