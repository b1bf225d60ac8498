#!/usr/bin/env bash
# The pipeline at the scale of a universe: a synthetic archive of SCALE_SYMBOLS
# perpetuals with a realistic spread of trade density (SCALE_BIG BTC-like symbols at
# SCALE_TRADES trades an hour, the rest log-spaced down to a thousandth of that),
# SCALE_DAYS days each (365 is the real year; the default is one month, to run in
# minutes), served on loopback with its bucket listing, and `make all SYMBOLS=all`
# from an empty cache at -j1 and at -j2. Prints, per run: wall and CPU seconds, per
# million trades and per symbol-month of metrics, and the bytes downloaded; cpu/wall
# (how many cores make's jobs kept busy on average) and cores_busy (the machine's
# busy cores, from /proc/stat every half second: others' work counts too, so run it
# on a quiet machine) and server_s (the loopback server's CPU, not make's); then the
# same runs without the download (make clean, make all OFFLINE=1: the part -j2 spreads
# over the cores); then the next morning's run (END one day later) on the last run's
# cache.
# docs/SCALE.md turns these into a projection for the real universe.
#
# Knobs (environment): SCALE_SYMBOLS (12), SCALE_BIG (3), SCALE_TRADES (6000),
# SCALE_DAYS (31), SCALE_JOBS ("1 2"), SCALE_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."

fake=../shared/tools/fake-binance-archive
if [[ ! -x $fake ]]; then
  echo "bench/scale.sh: skipped: $fake not found (it generates the archive this benchmark serves)"
  exit 0
fi
for binary in stage-download stage-flow stage-detect stage-prices stage-load stage-report demo-archive; do
  [[ -x .build/release/$binary ]] || { echo "bench/scale.sh: .build/release/$binary is missing: run 'make bench' (it builds it)" >&2; exit 1; }
done

symbols=${SCALE_SYMBOLS:-12}
big=${SCALE_BIG:-3}
top=${SCALE_TRADES:-6000}
days=${SCALE_DAYS:-31}
jobs_list=${SCALE_JOBS:-1 2}
start=2023-01-01
end=$(date -u -d "$start +$days days" +%F)

work=$(mktemp -d /tmp/backfill-scale.XXXXXX)
server=""
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  [[ -n ${SCALE_KEEP:-} ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

# the trades an hour of each symbol: SCALE_BIG at the top, then log-spaced to top/1000
python3 - "$symbols" "$big" "$top" >"$work/density" <<'PY'
import sys
n, big, top = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
rest = max(n - big, 0)
for i in range(n):
    if i < big:
        rate = top
    else:
        k = i - big
        rate = top * (1000 ** (-(k + 1) / rest)) if rest else top
    print(f"S{i:03d}USDT {max(rate, 0.5):.2f}")
PY

echo "generating $symbols symbols, $start to $end, $big at $top trades/hour down to $(tail -1 "$work/density" | cut -d' ' -f2)…"
mkdir -p "$work/archive"
while read -r symbol rate; do
  "$fake" --out "$work/gen/$symbol" --symbols "$symbol" --start "$start" --today "$end" --trades-per-hour "$rate" --quiet >/dev/null
  cp -r "$work/gen/$symbol/data" "$work/archive/"
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(sum(f["rows"] for f in m["files"] if f["dataset"] == "aggTrades" and f["present"]))' \
    "$work/gen/$symbol/MANIFEST.json" >>"$work/trades"
  rm -rf "$work/gen/$symbol"
done <"$work/density"
trades=$(paste -sd+ "$work/trades" | bc)
zip_bytes=$(find "$work/archive" -name '*.zip' -printf '%s\n' | paste -sd+ | bc)
months=$(( $(date -u -d "$end -1 day" +%Y) * 12 + 10#$(date -u -d "$end -1 day" +%m) - $(date -u -d "$start" +%Y) * 12 - 10#$(date -u -d "$start" +%m) + 1 ))
symbol_months=$(( symbols * months ))

.build/release/demo-archive serve "$work/archive" --port-file "$work/port" 2>"$work/server.log" &
server=$!
until [[ -s $work/port ]]; do kill -0 "$server"; sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")

echo "archive: $trades trades, $symbol_months symbol-months, $(( zip_bytes / 1000000 )) MB of zips; served at $base"
# how busy the machine's cores are, every half second, while make runs: "busy total"
# jiffies from /proc/stat (everything but idle and iowait), whoever uses them
sample_cores() {
  local previous current
  previous=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  while sleep 0.5; do
    current=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
    echo "$previous $current"
    previous=$current
  done
}

# cores busy: the machine's mean over a sampled run, in cores (nproc at most)
busy_cores() {
  awk -v cores="$(nproc)" '{ b = $3 - $1; t = b + $4 - $2; if (t > 0) { sum += cores * b / t; n++ } }
    END { printf "%.2f", n ? sum / n : 0 }' "$1"
}
# CPU seconds the loopback server has used so far (it is not make's child, so make's
# cpu_s leaves it out; on the real archive that work is the CDN's)
server_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$server/stat"
}

printf '%-4s %9s %9s %8s %14s %14s %16s %16s %12s %10s %8s\n' jobs wall_s cpu_s cpu/wall wall_s/Mtrade cpu_s/Mtrade wall_s/sym-month cpu_s/sym-month download_MB cores_busy server_s
for jobs in $jobs_list; do
  cache=$work/cache-j$jobs db=$work/j$jobs.db
  sample_cores >"$work/cores-j$jobs" &
  sampler=$!
  server_before=$(server_cpu)
  /usr/bin/time -f '%e %U %S' -o "$work/time-j$jobs" \
    make --no-print-directory -j"$jobs" all SYMBOLS=all SYMBOL= END="$end" DAYS="$days" CACHE="$cache" DB="$db" \
      BASE_URL="$base" QUIET=1 >"$work/make-j$jobs.log" 2>&1 || { kill "$sampler"; tail -30 "$work/make-j$jobs.log" >&2; exit 1; }
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  read -r wall user sys <"$work/time-j$jobs"
  downloaded=$(find "$cache/archive" -name '*.zip' -printf '%s\n' | paste -sd+ | bc)
  python3 - "$jobs" "$wall" "$user" "$sys" "$trades" "$symbol_months" "$downloaded" "$(busy_cores "$work/cores-j$jobs")" \
    "$(bc <<<"$(server_cpu) - $server_before")" <<'PY'
import sys
jobs, wall, user, sys_, trades, sm, dl, busy, server = sys.argv[1], *map(float, sys.argv[2:])
cpu = user + sys_
mt = trades / 1e6
print(f"{jobs:<4} {wall:9.1f} {cpu:9.1f} {cpu / wall:8.2f} {wall / mt:14.2f} {cpu / mt:14.2f} {wall / sm:16.2f} {cpu / sm:16.2f} {dl / 1e6:12.1f} {busy:10.2f} {server:8.1f}")
PY
done
# the same work without the download: `make clean` (series, events, prices, report go;
# the verified zips stay), then `make all OFFLINE=1` on the same cache, at each -j.
# This is the part -j2 should spread over both cores: flow's months and every
# per-symbol stage, then stage-load (reloading: every row unchanged) and stage-report.
echo "processing only (make clean, then make all OFFLINE=1 on the held downloads):"
printf '%-4s %9s %9s %8s %10s\n' jobs wall_s cpu_s cpu/wall cores_busy
for jobs in $jobs_list; do
  cache=$work/cache-j$jobs db=$work/j$jobs.db
  make --no-print-directory clean CACHE="$cache" SYMBOLS=all SYMBOL= END="$end" DAYS="$days" BASE_URL="$base" QUIET=1 >/dev/null
  sample_cores >"$work/cores-offline-j$jobs" &
  sampler=$!
  /usr/bin/time -f '%e %U %S' -o "$work/time-offline-j$jobs" \
    make --no-print-directory -j"$jobs" all SYMBOLS=all SYMBOL= END="$end" DAYS="$days" CACHE="$cache" DB="$db" \
      BASE_URL="$base" QUIET=1 OFFLINE=1 >"$work/make-offline-j$jobs.log" 2>&1 || { kill "$sampler"; tail -30 "$work/make-offline-j$jobs.log" >&2; exit 1; }
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  read -r wall user sys <"$work/time-offline-j$jobs"
  printf '%-4s %9.1f %9.1f %8.2f %10s\n' "$jobs" "$wall" "$(bc <<<"$user + $sys")" "$(bc -l <<<"($user + $sys) / $wall")" "$(busy_cores "$work/cores-offline-j$jobs")"
done
# the next morning: the archive one day further, `make all` on the last run's cache
next=$(date -u -d "$end +1 day" +%F)
before=$(find "$work/archive" -name '*.zip' -printf '%s\n' | paste -sd+ | bc)
while read -r symbol rate; do
  "$fake" --out "$work/gen/$symbol" --symbols "$symbol" --start "$start" --today "$next" --trades-per-hour "$rate" --quiet >/dev/null
  cp -r "$work/gen/$symbol/data" "$work/archive/"
  rm -rf "$work/gen/$symbol"
done <"$work/density"
new_bytes=$(( $(find "$work/archive" -name '*.zip' -printf '%s\n' | paste -sd+ | bc) - before ))
jobs=${jobs_list##* }
/usr/bin/time -f '%e %U %S' -o "$work/time-daily" \
  make --no-print-directory -j"$jobs" all SYMBOLS=all SYMBOL= END="$next" DAYS="$days" CACHE="$work/cache-j$jobs" DB="$work/j$jobs.db" \
    BASE_URL="$base" QUIET=1 LIST_MAX_AGE=0 >"$work/make-daily.log" 2>&1 || { tail -30 "$work/make-daily.log" >&2; exit 1; }
read -r wall user sys <"$work/time-daily"
echo "daily run (END=$next, -j$jobs, listing read again): wall $wall s, CPU $(bc <<<"$user + $sys") s, $(( new_bytes / 1000 )) kB of new zips"
rows=$(sqlite3 "$work/j${jobs_list##* }.db" 'select count(*) from extreme_events' 2>/dev/null || echo "?")
echo "rows loaded: $rows ($symbols symbols, $days days)"
