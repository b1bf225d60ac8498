#!/usr/bin/env bash
# stage-download next to curl, over loopback from python3 -m http.server serving a
# fake archive; and its SHA-256 next to sha256sum over the same bytes.
#
#   download ratio = curl's time / stage-download's time   (target >= 0.8)
#   hashing ratio  = sha256sum's time / `hash`'s time (target >= 0.9)
#
# Each side runs ROUNDS times, alternating; the best time of each counts. curl gets
# the same URLs stage-download requests (every zip and its .CHECKSUM), split over 4
# processes (xargs -P4), each reusing its connections.
#
# Knobs (environment): TRADES_PER_HOUR (archive size), ROUNDS, SYMBOL.
set -euo pipefail
cd "$(dirname "$0")/.."

fake=../shared/tools/fake-binance-archive
bin=.build/release/stage-download
if [[ ! -x $fake ]]; then
  echo "bench/download.sh: skipped: $fake not found (it generates the archive this benchmark serves)"
  exit 0
fi
[[ -x $bin ]] || { echo "bench/download.sh: $bin is missing: run 'make bench' (it builds it)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench/download.sh: curl is missing" >&2; exit 1; }

trades=${TRADES_PER_HOUR:-20000}
rounds=${ROUNDS:-3}
symbol=${SYMBOL:-BTCUSDT}
end=2024-03-05
days=64

work=$(mktemp -d /tmp/backfill-bench.XXXXXX)
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s.%N; }
best() { sort -g | head -1; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
rate() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]) / 1e6:.0f} MB/s')" "$1" "$2"; }

echo "generating a fake archive: $symbol, $end, $days days, $trades trades per hour…"
"$fake" --out "$work/archive" --symbols "$symbol" --start 2024-01-01 --today "$end" \
  --trades-per-hour "$trades" --quiet

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/archive" "$port" >"$work/http.log" 2>&1 &
server=$!
base=http://127.0.0.1:$port
for _ in $(seq 50); do curl -s -o /dev/null "$base/" && break; sleep 0.1; done

# the URLs stage-download asks for: every planned zip and its CHECKSUM
"$bin" planned --symbol "$symbol" --cache "$work/plan" --end "$end" --days "$days" --base-url "$base" --quiet |
  cut -f1 | while read -r url; do echo "$url.CHECKSUM"; echo "$url"; done >"$work/urls"
files=$(( $(wc -l <"$work/urls") / 2 ))
per_process=$(( ($(wc -l <"$work/urls") + 3) / 4 ))

stage_times=() curl_times=()
for round in $(seq "$rounds"); do
  rm -rf "$work/cache" "$work/curl"
  t0=$(now)
  "$bin" --symbol "$symbol" --cache "$work/cache" --end "$end" --days "$days" --base-url "$base" --jobs 4 --quiet
  t1=$(now)
  stage_times+=("$(python3 -c "print($t1 - $t0)")")

  mkdir -p "$work/curl"
  t0=$(now)
  xargs -P4 -n "$per_process" curl -sS -f --remote-name-all --output-dir "$work/curl" <"$work/urls"
  t1=$(now)
  curl_times+=("$(python3 -c "print($t1 - $t0)")")
done
bytes=$(find "$work/curl" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
stage_best=$(printf '%s\n' "${stage_times[@]}" | best)
curl_best=$(printf '%s\n' "${curl_times[@]}" | best)

# the stage verified exactly what curl fetched
zips=$(find "$work/cache/archive" -name '*.zip' | sort)
[[ $(wc -l <<<"$zips") == "$files" ]] || { echo "bench/download.sh: stage-download left $(wc -l <<<"$zips") zips, expected $files" >&2; exit 1; }

# hashing: the same zips, hot in the page cache
cat $zips >/dev/null
hash_bytes=$(cat $zips | wc -c)
stage_hash=() sum_hash=()
for round in $(seq "$rounds"); do
  t0=$(now); "$bin" hash $zips >"$work/stage.sha256"; t1=$(now)
  stage_hash+=("$(python3 -c "print($t1 - $t0)")")
  t0=$(now); sha256sum $zips >"$work/sum.sha256"; t1=$(now)
  sum_hash+=("$(python3 -c "print($t1 - $t0)")")
done
cmp -s "$work/stage.sha256" "$work/sum.sha256" || { echo "bench/download.sh: stage-download hash and sha256sum disagree" >&2; exit 1; }
stage_hash_best=$(printf '%s\n' "${stage_hash[@]}" | best)
sum_hash_best=$(printf '%s\n' "${sum_hash[@]}" | best)

download_ratio=$(ratio "$curl_best" "$stage_best")
hash_ratio=$(ratio "$sum_hash_best" "$stage_hash_best")
printf 'download  %d files + CHECKSUMs, %s bytes, best of %d\n' "$files" "$bytes" "$rounds"
printf '  stage-download --jobs 4   %6.2f s  %s\n' "$stage_best" "$(rate "$bytes" "$stage_best")"
printf '  curl, xargs -P4           %6.2f s  %s\n' "$curl_best" "$(rate "$bytes" "$curl_best")"
printf '  ratio (curl time / stage time) %s  (target >= 0.8)\n' "$download_ratio"
printf 'sha256    %s bytes in %d files, best of %d\n' "$hash_bytes" "$files" "$rounds"
printf '  stage-download hash      %6.3f s  %s\n' "$stage_hash_best" "$(rate "$hash_bytes" "$stage_hash_best")"
printf '  sha256sum                  %6.3f s  %s\n' "$sum_hash_best" "$(rate "$hash_bytes" "$sum_hash_best")"
printf '  ratio (sha256sum time / stage time) %s  (target >= 0.9)\n' "$hash_ratio"

python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 0.8 and float(sys.argv[2]) >= 0.9 else 1)" \
  "$download_ratio" "$hash_ratio" || { echo "bench/download.sh: below target" >&2; exit 1; }
