#!/usr/bin/env bash
# What checking a monthly aggTrades file's days costs stage-download: one extra pass
# over the inflated member (transact_time of each line, `stage-download days`), paid once per
# published version of the file; next to the SHA-256 every fetched file already gets
# (`stage-download hash`), over the same zip. The best of ROUNDS runs of each counts.
#
# Knobs (environment): ZIP (an existing monthly aggTrades zip, e.g. one written by
# fake-binance-archive at full size), else TRADES_PER_HOUR (archive size), ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."

fake=../shared/tools/fake-binance-archive
bin=.build/release/stage-download
[[ -x $bin ]] || { echo "bench/coverage.sh: $bin is missing: run 'make bench' (it builds it)" >&2; exit 1; }
rounds=${ROUNDS:-3}

work=$(mktemp -d /tmp/backfill-bench-coverage.XXXXXX)
trap 'rm -rf "$work"' EXIT
zip=${ZIP:-}
if [[ -z $zip ]]; then
  if [[ ! -x $fake ]]; then
    echo "bench/coverage.sh: skipped: no ZIP given and $fake not found"
    exit 0
  fi
  trades=${TRADES_PER_HOUR:-20000}
  echo "generating January 2024 of BTCUSDT, $trades trades per hour…"
  "$fake" --out "$work/archive" --symbols BTCUSDT --start 2024-01-01 --today 2024-02-01 \
    --trades-per-hour "$trades" --quiet
  zip=$work/archive/data/futures/um/monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip
fi
echo "zip: $zip ($(du -h "$zip" | cut -f1))"

now() { date +%s.%N; }
best() { sort -g | head -1; }
hash_times=() days_times=()
for _ in $(seq "$rounds"); do
  t0=$(now); "$bin" hash "$zip" >/dev/null; t1=$(now)
  "$bin" days "$zip" >"$work/days"; t2=$(now)
  hash_times+=("$(echo "$t1 - $t0" | bc -l)")
  days_times+=("$(echo "$t2 - $t1" | bc -l)")
done
hash=$(printf '%s\n' "${hash_times[@]}" | best)
days=$(printf '%s\n' "${days_times[@]}" | best)
printf 'sha256 (paid by every fetch): %.2f s\n' "$hash"
printf 'days check (once per version): %.2f s\n' "$days"
echo "days without rows: $(cut -d, -f2- "$work/days")"
