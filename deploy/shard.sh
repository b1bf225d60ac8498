#!/usr/bin/env bash
# deploy/shard.sh: one shard of the universe, as a plain `make all`.
#
#   deploy/shard.sh [--print] INDEX COUNT [VAR=value…]
#
# Reads the archive's listing (make universe: CACHE/universe/, cached LIST_MAX_AGE
# hours), takes the perpetuals trading in the range (END, DAYS), weighs each by the
# bytes of its aggTrades zips in the range's months (CACHE/universe/months.csv; a
# symbol with none weighs 1 MB: its klines, metrics and funding), and deals them to
# COUNT shards, heaviest first, each to the lightest shard so far (ties: the lower
# index). Every shard computes the same deal from the same listing. Then runs
#
#   make all SYMBOLS='<this shard's symbols>' CACHE=… DB=…
#
# INDEX defaults to JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or
# SLURM_ARRAY_TASK_ID (an sbatch array); COUNT to SHARDS. CACHE and DB default to
# data/shard-INDEX/cache and data/shard-INDEX.db; `make merge DB=… SHARDS='…'` joins
# the shard databases. --print prints the shard's symbols and their bytes, runs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

print=""
if [[ ${1:-} == --print ]]; then print=1; shift; fi
index=${1:-${JOB_COMPLETION_INDEX:-${SLURM_ARRAY_TASK_ID:-}}}
count=${2:-${SHARDS:-}}
[[ $# -ge 2 ]] && shift 2 || shift $#
for arg in "$@"; do
  [[ $arg == *=* ]] || { echo "deploy/shard.sh: expected VAR=value, got '$arg'" >&2; exit 64; }
  export "${arg?}"
done
[[ $index =~ ^[0-9]+$ && $count =~ ^[0-9]+$ ]] && (( count >= 1 && index < count )) || {
  echo "deploy/shard.sh: usage: deploy/shard.sh [--print] INDEX COUNT [VAR=value…] (INDEX < COUNT; or JOB_COMPLETION_INDEX/SLURM_ARRAY_TASK_ID and SHARDS)" >&2
  exit 64
}

export CACHE=${CACHE:-data/shard-$index/cache}
export DB=${DB:-data/shard-$index.db}
export END=${END:-$(date -u +%F)}
export DAYS=${DAYS:-365}
unset SYMBOL
# the first month of the range: the Makefile's rule (the 1st of the month of END - DAYS)
first_month=$(date -u -d "$END -$DAYS days" +%Y-%m)

make --no-print-directory universe QUIET=1 >&2
universe=$(sed -n 's/^UNIVERSE := //p' "$CACHE/universe/symbols.mk")
[[ -n $universe ]] || { echo "deploy/shard.sh: the listing shows no perpetual trading in the range ($CACHE/universe/symbols.mk)" >&2; exit 1; }

# the deal: "symbol bytes" lines of this shard, heaviest first
mine=$(awk -F, -v first="$first_month" -v symbols="$universe" -v count="$count" -v shard="$index" '
  BEGIN { n = split(symbols, list, " "); for (i = 1; i <= n; i++) { wanted[list[i]] = 1; bytes[list[i]] = 0 } }
  NR > 1 && ($1 in wanted) && $2 >= first { bytes[$1] += $3 }
  END {
    for (s in bytes) { if (bytes[s] == 0) bytes[s] = 1000000; order[++m] = s }
    # heaviest first, then by name: the same order on every shard (insertion sort: ~1,000 symbols)
    for (i = 2; i <= m; i++) { s = order[i]; j = i - 1
      while (j > 0 && (bytes[order[j]] < bytes[s] || (bytes[order[j]] == bytes[s] && order[j] > s))) { order[j + 1] = order[j]; j-- }
      order[j + 1] = s }
    for (k = 0; k < count; k++) load[k] = 0
    for (i = 1; i <= m; i++) {
      best = 0; for (k = 1; k < count; k++) if (load[k] < load[best]) best = k
      load[best] += bytes[order[i]]
      if (best == shard) print order[i], bytes[order[i]]
    }
  }' "$CACHE/universe/months.csv")

if [[ -n $print ]]; then
  printf '%s\n' "$mine"
  exit 0
fi
if [[ -z $mine ]]; then
  echo "deploy/shard.sh: shard $index of $count has no symbol (more shards than symbols); nothing to do" >&2
  exit 0
fi
symbols=$(awk '{ printf "%s%s", sep, $1; sep = " " }' <<<"$mine")
echo "deploy/shard.sh: shard $index of $count: $(wc -l <<<"$mine") symbols, CACHE=$CACHE DB=$DB" >&2
exec make --no-print-directory all SYMBOLS="$symbols"
