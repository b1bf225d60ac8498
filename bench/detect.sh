#!/usr/bin/env bash
# stage-detect on five years of hourly random series (43,824 points, no gap) for
# each of the six dimensions, windows 7, 30 and 90 days, in a temporary cache.
# Prints the wall and CPU time and peak RSS of each of three runs (CPU time is the
# steadier figure on a busy machine), and the number of events found.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/release/stage-detect
[[ -x $bin ]] || { echo "bench/detect.sh: $bin is missing; build it with: swift build -c release --product stage-detect" >&2; exit 1; }

cache=$(mktemp -d /tmp/backfill-bench-detect.XXXXXX)
trap 'rm -rf "$cache"' EXIT

hours=$((5 * 365 * 24 + 24))   # 2020-01-01 to 2024-12-31: five years, one leap day
seed=1
for d in flow_1h oi_change_1h funding_rate top_position_ratio global_account_ratio taker_ratio; do
  mkdir -p "$cache/series/BTCUSDT"
  # ratios: e^u with u uniform in (-1, 1); the others: uniform in (-10^6, 10^6)
  awk -v n="$hours" -v seed="$seed" -v ratio="$([[ $d == *ratio ]] && echo 1 || echo 0)" 'BEGIN {
    srand(seed); print "timestamp,value"
    for (i = 0; i < n; i++) {
      v = ratio ? exp(2 * rand() - 1) : (2 * rand() - 1) * 1000000
      printf "%.0f,%.10g\n", 1577836800000 + i * 3600000, v
    }
  }' > "$cache/series/BTCUSDT/$d.csv"
  seed=$((seed + 1))
done
echo "input: 6 series x $hours hourly points ($(du -sh "$cache/series" | cut -f1))"

for run in 1 2 3; do
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -v "$bin" --cache "$cache" --symbol BTC --quiet 2> "$cache/time.txt"
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$cache/time.txt")
    user=$(sed -n 's/.*User time (seconds): //p' "$cache/time.txt")
    sys=$(sed -n 's/.*System time (seconds): //p' "$cache/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$cache/time.txt")
    echo "run $run: wall $wall, cpu ${user} s user + ${sys} s sys, peak RSS $rss kB"
  else
    TIMEFORMAT="run $run: wall %R s"
    time "$bin" --cache "$cache" --symbol BTC --quiet
  fi
done
echo "events: $(wc -l < "$cache/events/BTCUSDT.jsonl") lines in events/BTCUSDT.jsonl"
