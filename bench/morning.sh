#!/usr/bin/env bash
# What a morning costs: `make all` for yesterday on a fresh cache, then the next
# morning's `make all` (one more day in range) on the same cache and database, and
# prints the morning's requests (by kind), wall and CPU seconds, bytes fetched and
# the files it rewrote under CACHE.
#
# The archive is $BENCH_ARCHIVE (a directory with data/futures/um below it, e.g. from
# ../shared/tools/fake-binance-archive) with END=$BENCH_END, or the demo's synthetic
# archive (END 2024-03-12), served by python3's http.server on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."

end=${BENCH_END:-2024-03-12}
days=${BENCH_DAYS:-60}
symbols=${BENCH_SYMBOLS:-BTCUSDT ETHUSDT}
work=$(mktemp -d /tmp/backfill-bench-morning.XXXXXX)
archive=${BENCH_ARCHIVE:-$work/archive}
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if [[ -z ${BENCH_ARCHIVE:-} ]]; then
  .build/release/demo-archive generate "$archive" --end "$end" --days "$days" >/dev/null
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$archive" "$port" 2>"$work/requests.log" >/dev/null & server=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done

run() {   # run LABEL END: make all, quietly, timed (wall, user and system seconds into $work/time)
  local TIMEFORMAT='%R %U %S'
  { time make --no-print-directory all QUIET=1 SYMBOLS="$symbols" SYMBOL= END="$2" DAYS="$days" \
      CACHE="$work/cache" DB="$work/monitor.db" BASE_URL="http://127.0.0.1:$port" >"$work/$1.log" 2>&1; } 2>"$work/time"
}

yesterday=$(date -u -d "$end -1 day" +%F)
run yesterday "$yesterday"
: >"$work/requests.log"
touch "$work/marker"
run morning "$end"
read -r wall user sys <"$work/time"
requests=$(grep -ac '"GET ' "$work/requests.log" || true)
checksums=$(grep -ac '\.CHECKSUM HTTP' "$work/requests.log" || true)
notfound=$(grep -ac '" 404 ' "$work/requests.log" || true)
zips=$(grep -a '.zip HTTP' "$work/requests.log" | grep -ac '" 200 ' || true)
bytes=$(grep -a '.zip HTTP' "$work/requests.log" | grep -a '" 200 ' | sed -E 's/.*GET ([^ ]*) HTTP.*/\1/' |
  while read -r path; do stat -c %s "$archive$path"; done | awk '{s += $1} END {print s + 0}')
rewritten=$(cd "$work/cache" && find . -type f -newer "$work/marker" ! -path './archive/*' ! -name lock ! -name .lock.guard | sort)
echo "morning of $end (DAYS=$days, $symbols), after yesterday's run on the same cache:"
echo "  requests   $requests ($checksums CHECKSUM, $zips zips fetched, $notfound answered 404)"
echo "  fetched    $bytes bytes of zips"
echo "  time       ${wall} s wall, $(awk "BEGIN { print $user + $sys }") s CPU"
echo "  rewritten  $(wc -l <<<"$rewritten") files under CACHE (archive/ aside):"
sed 's/^\.\//    /' <<<"$rewritten"
