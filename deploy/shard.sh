#!/usr/bin/env bash
# deploy/shard.sh: one shard of the universe, as a plain `make all`.
#
#   deploy/shard.sh [--print] [INDEX [COUNT]] [VAR=value…]
#
# Runs `make all SYMBOLS=all SHARD=INDEX/COUNT`: the perpetuals of the archive's listing
# trading in the range (END, DAYS) whose FNV-1a-32 hash of the full name (BTCUSDT) mod
# COUNT is INDEX. A symbol's shard depends on its name and COUNT only, never on the
# day's listing: when the range moves, no symbol changes shard (docs/UNIVERSE.md).
#
# INDEX: the argument, else JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), else
#   SLURM_ARRAY_TASK_ID (an sbatch array task).
# COUNT: the argument, else SHARDS_TOTAL, else SLURM_ARRAY_TASK_COUNT when INDEX came from
#   Slurm and the array is 0…COUNT-1 with at least two tasks (a task re-run alone,
#   `sbatch --array=2`, cannot know the count from its array: give SHARDS_TOTAL), else
#   SHARDS (the older name).
# VAR=value: make's knobs (END, DAYS, BASE_URL, QUIET…), also read from the environment.
#   CACHE and DB default to data/shard-INDEX/cache and data/shard-INDEX.db; END to today
#   (UTC), read once here so that a shard that runs past midnight keeps its day.
# --print: prints the shard's symbols (after `make universe`), runs nothing.
#
# `make merge DB=… SHARDS='…' SHARD_CACHES='…'` then joins the shards: deploy/slurm/merge.sbatch,
# deploy/kubernetes/render --merge. Exit 64: bad arguments, or a count it cannot know.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
fail() { echo "deploy/shard.sh: $*" >&2; exit 64; }

print="" numbers=() knobs=()
for arg in "$@"; do
  case $arg in
    -h|--help) usage; exit 0 ;;
    --print) print=1 ;;
    *=*) [[ ${arg%%=*} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || fail "'$arg' is not VAR=value"; knobs+=("$arg") ;;
    *[!0-9]*|"") fail "expected INDEX, COUNT or VAR=value, got '$arg' (see --help)" ;;
    *) numbers+=("$arg") ;;
  esac
done
(( ${#numbers[@]} <= 2 )) || fail "too many numbers: ${numbers[*]} (INDEX COUNT at most)"
for knob in ${knobs[@]+"${knobs[@]}"}; do export "${knob?}"; done

if (( ${#numbers[@]} >= 1 )); then index=${numbers[0]} from=argument
elif [[ -n ${JOB_COMPLETION_INDEX:-} ]]; then index=$JOB_COMPLETION_INDEX from=kubernetes
elif [[ -n ${SLURM_ARRAY_TASK_ID:-} ]]; then index=$SLURM_ARRAY_TASK_ID from=slurm
else fail "no INDEX: give it, or run as an Indexed Job (JOB_COMPLETION_INDEX) or an sbatch array task (SLURM_ARRAY_TASK_ID)"
fi
if (( ${#numbers[@]} == 2 )); then count=${numbers[1]}
elif [[ -n ${SHARDS_TOTAL:-} ]]; then count=$SHARDS_TOTAL
elif [[ $from == slurm && -n ${SLURM_ARRAY_TASK_COUNT:-} ]]; then
  count=$SLURM_ARRAY_TASK_COUNT
  if (( count < 2 )) || [[ ${SLURM_ARRAY_TASK_MIN:-} != 0 || ${SLURM_ARRAY_TASK_MAX:-} != $((count - 1)) ]]; then
    fail "cannot tell the shard count from this array (tasks ${SLURM_ARRAY_TASK_MIN:-?}-${SLURM_ARRAY_TASK_MAX:-?}, $count of them): a task re-run alone must be told, e.g. sbatch --array=$index --export=ALL,SHARDS_TOTAL=N,END=YYYY-MM-DD deploy/slurm/backfill.sbatch"
  fi
elif [[ -n ${SHARDS:-} ]]; then count=$SHARDS
else fail "no COUNT: give it, or set SHARDS_TOTAL (shard $index of how many?)"
fi
[[ $index =~ ^[0-9]+$ && $count =~ ^[0-9]+$ ]] || fail "INDEX and COUNT must be whole numbers, got '$index' and '$count'"
index=$((10#$index)) count=$((10#$count))
(( count >= 1 && index < count )) || fail "INDEX must be below COUNT (at least 1), got shard $index of $count"

export CACHE=${CACHE:-data/shard-$index/cache}
export DB=${DB:-data/shard-$index.db}
export END=${END:-$(date -u +%F)}
unset SYMBOL SYMBOLS

if [[ -n $print ]]; then
  make --no-print-directory universe QUIET=1 >&2
  universe=$(sed -n 's/^UNIVERSE := //p' "$CACHE/universe/symbols.mk")
  # FNV-1a, 32 bits, of the name's bytes: the Makefile's SHARD rule
  for symbol in $universe; do
    hash=2166136261
    for (( i = 0; i < ${#symbol}; i++ )); do
      printf -v byte '%d' "'${symbol:i:1}"
      hash=$(( ((hash ^ byte) * 16777619) & 0xFFFFFFFF ))
    done
    (( hash % count == index )) && echo "$symbol"
  done
  exit 0
fi

echo "deploy/shard.sh: shard $index of $count, END=$END, CACHE=$CACHE DB=$DB" >&2
exec make --no-print-directory all SYMBOLS=all SHARD="$index/$count" ${knobs[@]+"${knobs[@]}"}
