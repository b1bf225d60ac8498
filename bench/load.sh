#!/usr/bin/env bash
# stage-load at the size of the whole market: LOAD_SYMBOLS synthetic prices files of
# LOAD_ROWS events each (6 dimensions x 3 windows over a year, the last 48 hours'
# prices still null: what stage-prices writes), then, each under /usr/bin/time:
#   1. the first load into an empty database;
#   2. the reload of the same files (every row read back, compared, left alone);
#   3. the load of each half of the symbols into its own shard database;
#   4. `--merge` of the two shards into an empty database, then into the loaded one.
# Prints rows, wall seconds and peak RSS of each. The default, 100 symbols (1.26 M
# rows), runs in a few minutes; a year of the whole market is LOAD_SYMBOLS=950:
# 950 x 12,605 = 11,974,750 rows, ~3 GB of JSON lines and ~5 GB of databases under
# the work directory (LOAD_WORK, default a fresh /tmp directory, removed at the end
# unless LOAD_KEEP=1). docs/SCALE.md has both.
set -euo pipefail
cd "$(dirname "$0")/.."

load=.build/release/stage-load
[[ -x $load ]] || { echo "bench/load.sh: $load is missing: run 'make bench' (it builds it)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench/load.sh: /usr/bin/time is missing (Debian: apt-get install time)" >&2; exit 1; }

symbols=${LOAD_SYMBOLS:-100}
rows=${LOAD_ROWS:-12605}
end=2024-01-01
days=365
if [[ -n ${LOAD_WORK:-} ]]; then work=$LOAD_WORK; mkdir -p "$work"; else work=$(mktemp -d /tmp/backfill-load.XXXXXX); fi
# a directory given as LOAD_WORK is the user's: kept, like one asked for with LOAD_KEEP=1
cleanup() { [[ -n ${LOAD_KEEP:-}${LOAD_WORK:-} ]] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT INT TERM

# a work directory kept from a run with the same LOAD_SYMBOLS and LOAD_ROWS keeps its
# prices files; its databases are always made anew
rm -f "$work"/*.db "$work"/*.db-wal "$work"/*.db-shm
if [[ $(cat "$work/cache/prices/generated" 2>/dev/null) == "$symbols $rows" ]]; then
  echo "reusing $symbols symbols x $rows events in $work/cache/prices"
else
echo "generating $symbols symbols x $rows events in $work/cache/prices…"
rm -rf "$work/cache/prices"
python3 - "$work/cache/prices" "$symbols" "$rows" "$end" <<'PY'
import datetime, os, random, sys
out, n, rows, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
os.makedirs(out, exist_ok=True)
dimensions = ["flow_1h", "oi_change_1h", "funding_rate", "top_position_ratio", "global_account_ratio", "taker_ratio"]
windows = [7, 30, 90]
end_ms = int(datetime.datetime.fromisoformat(end).replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000
hour = 3_600_000
start_ms = end_ms - 365 * 24 * hour
groups = [(d, w) for d in dimensions for w in windows]
random.seed(13)
for i in range(n):
    symbol = f"S{i:03d}"
    price = random.uniform(0.01, 50000)
    lines = []
    for k in range(rows):
        d, w = groups[k % len(groups)]
        # hours spread over the window-full part of the year, distinct per (dimension, window)
        first = start_ms + w * 24 * hour
        slot = k // len(groups)
        span = (end_ms - first) // hour
        triggered = first + (slot * 7919 % span) * hour
        after = [None if triggered + h * hour >= end_ms else round(price * random.uniform(0.9, 1.1), 4) for h in (0, 4, 12, 24, 48)]
        shown = ["null" if p is None else repr(p) for p in after]
        lines.append(f'{{"symbol":"{symbol}","dimension":"{d}","window_days":{w},"triggered_at":{triggered},'
                     f'"value":{random.uniform(-1e6, 1e6)!r},"percentile":{random.uniform(95, 100):.2f},'
                     f'"price_at_trigger":{shown[0]},"price_4h":{shown[1]},"price_12h":{shown[2]},"price_24h":{shown[3]},"price_48h":{shown[4]}}}\n')
    with open(f"{out}/{symbol}USDT.jsonl", "w") as f:
        f.writelines(lines)
PY
echo "$symbols $rows" >"$work/cache/prices/generated"
fi
names=()
for file in "$work"/cache/prices/*.jsonl; do names+=("$(basename "$file" .jsonl)"); done
half=$(( symbols / 2 ))
all=${names[*]}
first_half=${names[*]:0:half}
second_half=${names[*]:half}
echo "$(du -shL "$work/cache/prices" | cut -f1) of prices files"

# run NAME ARGS…: stage-load ARGS under /usr/bin/time; prints the table's rows after it
run() {
  local name=$1 db=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$load" --quiet --db "$db" --end "$end" --days "$days" "$@"
  read -r wall kib <"$work/time"
  printf '%-34s %11s rows %8s s %6d MiB peak RSS\n' "$name" "$(sqlite3 "$db" 'SELECT count(*) FROM extreme_events' 2>/dev/null || echo '?')" "$wall" "$((kib / 1024))"
}

run "first load ($symbols symbols)" "$work/monitor.db" --cache "$work/cache" --symbols "$all"
run "reload (nothing changes)" "$work/monitor.db" --cache "$work/cache" --symbols "$all"
run "shard 0 ($half symbols)" "$work/shard-0.db" --cache "$work/cache" --symbols "$first_half"
run "shard 1 ($((symbols - half)) symbols)" "$work/shard-1.db" --cache "$work/cache" --symbols "$second_half"
run "merge into an empty database" "$work/merged.db" --merge "$work/shard-0.db" "$work/shard-1.db"
run "merge into the loaded database" "$work/monitor.db" --merge "$work/shard-0.db" "$work/shard-1.db"
