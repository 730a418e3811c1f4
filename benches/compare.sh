#!/usr/bin/env bash
# Issue 5's comparison table: ticketly beside raw SQLite doing the same work, on one 1M-ticket
# database, in one run. Needs only cargo, the sqlite3 shell and coreutils.
#
#   bash benches/compare.sh                 # the whole table (a few minutes on 2 cores)
#   RUNS=10 bash benches/compare.sh         # fewer repeats, rougher medians
#   bash benches/compare.sh --only 1,3      # some rows: 1 2 3 6 7 8 (3 also gives 4 and 5)
#
# The database is generated once (ticketly demo --tickets 1000000 --seed 1, about 20 s) into
# $TICKETLY_BENCH_DIR (default: $TMPDIR or /tmp, under ticketly-bench/) and reused; measurements
# that write work on fresh copies of it. Timings are medians of repeated runs, taken by
# benches/compare.rs (a bench target without criterion's harness), which prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v sqlite3 >/dev/null; then
    echo "compare.sh: the sqlite3 shell is needed for the raw baselines (Debian: apt-get install sqlite3)" >&2
    exit 1
fi

WORK=${TICKETLY_BENCH_DIR:-${TMPDIR:-/tmp}/ticketly-bench}
RUNS=${RUNS:-30}
# The middle of the generated year of shows; the benches use the same moment.
NOW="2026-11-23 12:00"
DB="$WORK/ticketly-1m-seed1.db"
mkdir -p "$WORK"

echo "building (release)…" >&2
cargo build --release --quiet
cargo bench --bench compare --no-run --quiet 2>/dev/null

if [ ! -s "$DB" ] || [ "$(sqlite3 "$DB" 'SELECT count(*) FROM ticket' 2>/dev/null)" != "1000000" ]; then
    echo "generating $DB (1,000,000 tickets, once)…" >&2
    rm -f "$DB" "$DB-wal" "$DB-shm"
    TICKETLY_NOW="$NOW" ./target/release/ticketly --db "$DB" demo --tickets 1000000 --seed 1 >&2
fi
# Everything into the main file, so that copies of it miss nothing.
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

echo "measuring (medians of $RUNS runs)…" >&2
TICKETLY_BENCH_DB="$DB" cargo bench --bench compare --quiet -- --db "$DB" --work "$WORK/work" --runs "$RUNS" "$@"
