#!/usr/bin/env bash
# stage-flow on one realistic month of BTCUSDT (January 2024, ~44 M trades, a 0.75 GB
# zip, 2.7 GB of CSV), next to two floors on the same zip in the same run:
#   unzip -p ZIP > /dev/null          Info-ZIP's own inflater
#   Python zipfile, 1 MiB reads       zlib's inflate, the bytes discarded
# and prints rows/s, MB/s of CSV, peak RSS and the ratios to both floors.
# Targets: time <= 1.2 x the zlib floor, peak RSS <= 1 GiB.
#
# The month comes from $BENCH_ARCHIVE (a directory with data/futures/um below it) or
# is generated once into data/bench/month by ../shared/tools/fake-binance-archive,
# else by this repo's demo-archive (slower to make, same shape).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/release/stage-flow
[[ -x $bin ]] || { echo "bench/flow.sh: $bin is missing: run 'make bench' (it builds it)" >&2; exit 1; }
archive=${BENCH_ARCHIVE:-data/bench/month}
symbol=BTCUSDT
month=2024-01
zip=$archive/data/futures/um/monthly/aggTrades/$symbol/$symbol-aggTrades-$month.zip
if [[ ! -f $zip ]]; then
  mkdir -p "$archive"
  if [[ -x ../shared/tools/fake-binance-archive ]]; then
    echo "generating the month with fake-binance-archive into $archive (about 2 minutes, once)"
    ../shared/tools/fake-binance-archive --out "$archive" --symbols $symbol --start $month-01 --today 2024-02-01 \
      --trades-per-hour 60000 >/dev/null
  else
    echo "generating the month with demo-archive into $archive (several minutes, once)"
    [[ -x .build/release/demo-archive ]] || swift build -c release --product demo-archive
    .build/release/demo-archive generate "$archive" --end 2024-02-01 --days 31 --trades-per-hour 60000
  fi
fi

# A cache holding the month: the archive by symlink, and the month list stage-download
# would write (dataset,file,sha256 from the CHECKSUM files).
cache=$(mktemp -d /tmp/backfill-bench-flow.XXXXXX)
trap 'rm -rf "$cache"' EXIT
ln -s "$(cd "$archive/data/futures/um" && pwd)" "$cache/archive"
mkdir -p "$cache/download/$symbol/months"
{
  echo "dataset,file,sha256"
  for pattern in "monthly/aggTrades/$symbol/*-$month.zip" "monthly/klines/$symbol/1h/*-$month.zip" \
                 "daily/metrics/$symbol/*-$month-*.zip" "monthly/fundingRate/$symbol/*-$month.zip"; do
    for f in $(cd "$cache/archive" && ls $pattern 2>/dev/null | sort); do
      echo "$(cut -d/ -f2 <<< "$f"),$f,$(cut -d' ' -f1 < "$cache/archive/$f.CHECKSUM")"
    done
  done
} > "$cache/download/$symbol/months/$month.csv"

member=$symbol-aggTrades-$month.csv
csv_bytes=$(unzip -Zl "$zip" "$member" | awk 'NR==1 {print $4}')
zip_bytes=$(stat -c %s "$zip")
echo "input: $zip ($((zip_bytes / 1000000)) MB zip, $((csv_bytes / 1000000)) MB CSV)"

measure() {  # label, command...: prints "seconds rss_kB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$cache/time.txt" "$@" > /dev/null
  read -r secs rss < "$cache/time.txt"
  echo "$secs $rss"
}
unzip_t=$(measure unzip unzip -p "$zip" "$member")
python_t=$(measure zipfile python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f:
    while f.read(1 << 20): pass' "$zip" "$member")
flow_t=$(measure stage-flow "$bin" month --cache "$cache" --symbol $symbol --month $month --quiet)
rows=$(cut -d, -f2 < "$cache/series/$symbol/months/$month.threshold.csv" | tail -1)

python3 - "$csv_bytes" "$rows" $unzip_t $python_t $flow_t <<'PY'
import sys
csv, rows = int(sys.argv[1]), int(sys.argv[2])
(u, ur), (p, pr), (f, fr) = [(float(sys.argv[i]), int(sys.argv[i + 1])) for i in (3, 5, 7)]
print(f"unzip -p          {u:6.1f} s  {csv / u / 1e6:5.0f} MB/s  peak RSS {ur / 1024:5.0f} MiB")
print(f"python zipfile    {p:6.1f} s  {csv / p / 1e6:5.0f} MB/s  peak RSS {pr / 1024:5.0f} MiB   (the zlib floor)")
print(f"stage-flow month  {f:6.1f} s  {csv / f / 1e6:5.0f} MB/s  peak RSS {fr / 1024:5.0f} MiB  {rows / f / 1e6:.2f} M rows/s ({rows} trades)")
print(f"stage-flow / zlib floor = {f / p:.2f} (target <= 1.2);  stage-flow / unzip -p = {f / u:.2f}")
PY
