#!/usr/bin/env bash
# stage-flow on one realistic month of BTCUSDT (January 2024, ~44 M trades, a 0.75 GB
# zip, 2.7 GB of CSV), next to two floors on the same zip in the same run:
#   unzip -p ZIP > /dev/null          Info-ZIP's own inflater
#   Python zipfile, 1 MiB reads       zlib's inflate, the bytes discarded
# stage-flow runs with each inflater this build has (ISA-L where libisal-dev was
# installed, zlib always), then on the same month stored (no compression): the parse,
# CRC and sums alone. Prints wall and CPU (user + system) seconds, peak RSS, the
# machine's load, and the ratios.
# Targets (issue 14): stage-flow <= 0.6 x the zlib floor, <= 10 s CPU, <= 512 MiB peak;
# the stored month <= 3 s.
#
# The month comes from $BENCH_ARCHIVE (a directory with data/futures/um below it) or
# is generated once into data/bench/month by ../shared/tools/fake-binance-archive,
# else by this repo's demo-archive (slower to make, same shape); the stored month
# from $BENCH_STORED_ARCHIVE or data/bench/stored, generated likewise (--compress-level 0).
# BENCH_BEFORE=path/to/an/older/stage-flow times that binary too, on both months (it must
# give the same series), for a before/after in one run.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/release/stage-flow
[[ -x $bin ]] || { echo "bench/flow.sh: $bin is missing: run 'make bench' (it builds it)" >&2; exit 1; }
archive=${BENCH_ARCHIVE:-data/bench/month}
stored_archive=${BENCH_STORED_ARCHIVE:-data/bench/stored}
symbol=BTCUSDT
month=2024-01
zip_of() { echo "$1/data/futures/um/monthly/aggTrades/$symbol/$symbol-aggTrades-$month.zip"; }

generate() {  # directory, compress level
  [[ -f $(zip_of "$1") ]] && return
  mkdir -p "$1"
  if [[ -x ../shared/tools/fake-binance-archive ]]; then
    echo "generating the month (compression level $2) with fake-binance-archive into $1 (about a minute, once)"
    ../shared/tools/fake-binance-archive --out "$1" --symbols $symbol --start $month-01 --today 2024-02-01 \
      --trades-per-hour 60000 --compress-level "$2" --quiet >/dev/null
  elif [[ $2 == 6 ]]; then
    echo "generating the month with demo-archive into $1 (several minutes, once)"
    [[ -x .build/release/demo-archive ]] || swift build -c release --product demo-archive
    .build/release/demo-archive generate "$1" --end 2024-02-01 --days 31 --trades-per-hour 60000
  else
    return 1
  fi
}
generate "$archive" 6
zip=$(zip_of "$archive")
stored=""
generate "$stored_archive" 0 && stored=$(zip_of "$stored_archive") || echo "(no stored month: fake-binance-archive is needed to write one)"

scratch=$(mktemp -d /tmp/backfill-bench-flow.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# A cache holding the month of archive $1: the archive by symlink, and the month list
# stage-download would write (dataset,file,sha256 from the CHECKSUM files).
make_cache() {
  local cache=$scratch/cache-$(basename "$1")
  mkdir -p "$cache/download/$symbol/months"
  ln -s "$(cd "$1/data/futures/um" && pwd)" "$cache/archive"
  {
    echo "dataset,file,sha256"
    for pattern in "monthly/aggTrades/$symbol/*-$month.zip" "monthly/klines/$symbol/1h/*-$month.zip" \
                   "daily/metrics/$symbol/*-$month-*.zip" "monthly/fundingRate/$symbol/*-$month.zip"; do
      for f in $(cd "$cache/archive" && ls $pattern 2>/dev/null | sort); do
        echo "$(cut -d/ -f2 <<< "$f"),$f,$(cut -d' ' -f1 < "$cache/archive/$f.CHECKSUM")"
      done
    done
  } > "$cache/download/$symbol/months/$month.csv"
  echo "$cache"
}
cache=$(make_cache "$archive")

member=$symbol-aggTrades-$month.csv
csv_bytes=$(unzip -Zl "$zip" "$member" | awk 'NR==1 {print $4}')
zip_bytes=$(stat -c %s "$zip")
echo "input: $zip ($((zip_bytes / 1000000)) MB zip, $((csv_bytes / 1000000)) MB CSV)"

# label, command...: appends "label wall user sys rss_kB load" to the results
results=$scratch/results.txt
measure() {
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time.txt" "$@" > /dev/null
  echo "$label $(cat "$scratch/time.txt") $load" >> "$results"
}
dd if="$zip" of=/dev/null bs=1M status=none   # every run reads the zip from the page cache
measure unzip unzip -p "$zip" "$member"
measure zlib-floor python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f:
    while f.read(1 << 20): pass' "$zip" "$member"
inflaters=$("$bin" month --help | grep -q 'zlib or isal' && echo "isal zlib" || echo zlib)
for inflater in $inflaters; do
  measure "stage-flow/$inflater" "$bin" month --cache "$cache" --symbol $symbol --month $month --inflater "$inflater" --quiet
done
rows=$(cut -d, -f2 < "$cache/series/$symbol/months/$month.threshold.csv" | tail -1)
before=${BENCH_BEFORE:-}
if [[ -n $before ]]; then
  cp "$cache/series/$symbol/months/$month.csv" "$scratch/after.csv"
  measure "before" "$before" month --cache "$cache" --symbol $symbol --month $month --quiet
  cmp -s "$scratch/after.csv" "$cache/series/$symbol/months/$month.csv" ||
    { echo "bench/flow.sh: $before gives other series than $bin" >&2; exit 1; }
fi
if [[ -n $stored ]]; then
  stored_cache=$(make_cache "$stored_archive")
  dd if="$stored" of=/dev/null bs=1M status=none
  measure "stored/${inflaters%% *}" "$bin" month --cache "$stored_cache" --symbol $symbol --month $month --quiet
  [[ -z $before ]] || measure "stored/before" "$before" month --cache "$stored_cache" --symbol $symbol --month $month --quiet
  cmp -s "$cache/series/$symbol/months/$month.csv" "$stored_cache/series/$symbol/months/$month.csv" ||
    { echo "bench/flow.sh: the stored month gives other series than the deflated one" >&2; exit 1; }
fi

python3 - "$csv_bytes" "$rows" "$results" <<'PY'
import sys
csv, rows = int(sys.argv[1]), int(sys.argv[2])
runs = {}
for line in open(sys.argv[3]):
    label, wall, user, sys_, rss, load = line.split()
    runs[label] = (float(wall), float(user) + float(sys_), int(rss) / 1024, load)
floor = runs["zlib-floor"][0]
unzip = runs["unzip"][0]
names = {"unzip": "unzip -p", "zlib-floor": "python zipfile (zlib)", "before": "stage-flow month, BEFORE",
         "stored/before": "stored month, BEFORE"}
print(f"{'':26} {'wall':>7} {'CPU':>7} {'MB/s':>6} {'peak RSS':>9}  {'/zlib':>5} {'/unzip':>6}  load")
for label, (wall, cpu, rss, load) in runs.items():
    name = names.get(label, label.replace("stage-flow/", "stage-flow month, ").replace("stored/", "stored month, "))
    print(f"{name:26} {wall:6.1f}s {cpu:6.1f}s {csv / wall / 1e6:6.0f} {rss:6.0f} MiB  {wall / floor:5.2f} {wall / unzip:6.2f}  {load}")
print(f"{rows} trades; targets: stage-flow <= 0.60 x zlib, <= 10 s CPU, <= 512 MiB; stored month <= 3 s")
PY
