//! Times are instants, shown and typed on the theatre's clocks (`[theatre] timezone`, here
//! `TICKETLY_TIMEZONE=Europe/London`): a time the clocks skip is refused, and expiry counts
//! true hours across the change.

use super::support::Fixture;

fn in_london(f: &Fixture, now: &str, args: &[&str]) -> std::process::Output {
    f.cmd_at(now).env("TICKETLY_TIMEZONE", "Europe/London").arg("--json").args(args).output().expect("run")
}

fn ok(out: std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_time_the_clocks_skip_is_refused_and_expiry_counts_true_hours() {
    let f = Fixture::with_hall();
    let before = "2027-03-27 12:00";
    // 28 March 2027: London's clocks go from 01:00 straight to 02:00.
    let gap = in_london(
        &f,
        before,
        &[
            "slot",
            "add",
            "--name",
            "Night",
            "--start",
            "2027-03-28 01:30",
            "--end",
            "2027-03-28 03:00",
            "--hall",
            "Small",
            "--price",
            "9",
        ],
    );
    assert_eq!(gap.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&gap.stderr).contains("no such time in Europe/London"));
    // A late show ending at 00:30 GMT, before the change; the grace period is 8 true hours.
    let slot = ok(in_london(
        &f,
        before,
        &[
            "slot",
            "add",
            "--name",
            "Late",
            "--start",
            "2027-03-27 22:30",
            "--end",
            "2027-03-28 00:30",
            "--hall",
            "Small",
            "--price",
            "9",
        ],
    ));
    assert_eq!((slot["start"].as_str(), slot["end"].as_str()), (Some("2027-03-27 22:30"), Some("2027-03-28 00:30")));
    let id = slot["id"].as_i64().expect("id").to_string();
    ok(in_london(&f, before, &["book", "--slot", &id, "--count", "2"]));
    let noon = "2027-03-28 12:00";
    // 00:30 GMT + 8 hours is 09:30 BST (08:30 on a clock that did not change).
    let early = ok(in_london(&f, noon, &["expire", "--at", "2027-03-28 09:29"]));
    assert_eq!(early["expired"], 0, "eight true hours have not passed");
    let due = ok(in_london(&f, noon, &["expire", "--at", "2027-03-28 09:30"]));
    assert_eq!(due["expired"], 2);
}
