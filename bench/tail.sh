#!/usr/bin/env bash
# What the REST tail costs on a morning: the demo's synthetic archive (its last day not
# published yet, no funding file for the running month) at TAIL_TRADES trades an hour
# for BTCUSDT (ETHUSDT 3/4 of it), served with the REST API over the same market by
# demo-archive; `make download` with the tail at TAIL_WEIGHT (default 1000) per symbol.
# Prints, per symbol, the requests and weight the tail spent and the hours it added per
# dataset, and the pages an hour of trades needs at that rate.
set -euo pipefail
cd "$(dirname "$0")/.."

trades=${TAIL_TRADES:-400}
weight=${TAIL_WEIGHT:-1000}
end=2024-03-12
work=$(mktemp -d /tmp/backfill-bench-tail.XXXXXX)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

.build/release/demo-archive generate "$work/archive" --end $end --days 5 --trades-per-hour "$trades" >/dev/null 2>&1
.build/release/demo-archive serve "$work/archive" --port-file "$work/port" 2>/dev/null & server=$!
until [[ -s $work/port ]]; do sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"

TIMEFORMAT='%R'
seconds=$( { time BACKFILL_NOW=${end}T00:00:00Z make --no-print-directory download SYMBOLS='BTCUSDT ETHUSDT' END=$end DAYS=5 \
  BASE_URL="$url" REST_URL="$url" TAIL_WEIGHT="$weight" CACHE="$work/cache" DB="$work/db" >"$work/log" 2>&1; } 2>&1 )
echo "tail at $trades trades an hour (BTCUSDT; ETHUSDT 3/4), TAIL_WEIGHT=$weight, one unpublished day; make download: $seconds s"
grep -o '[A-Z]*USDT: REST tail.*' "$work/log"
grep -o '[A-Z]*USDT: [0-9]* tail files not fetched.*' "$work/log" | sed 's/, listed in.*//' || true
for symbol in BTCUSDT ETHUSDT; do
  pages=$(cat "$work"/cache/tail/hourly/aggTrades/$symbol/*.csv 2>/dev/null | grep -vc '^agg_trade_id' || true)
  hours=$(ls "$work"/cache/tail/hourly/aggTrades/$symbol/ 2>/dev/null | wc -l)
  (( hours > 0 )) && echo "$symbol: $((pages / hours)) trades an hour fetched on average: $(( (pages / hours) / 1000 + 1 )) page(s) of 1,000 (weight $(( ((pages / hours) / 1000 + 1) * 20 ))) an hour"
done
