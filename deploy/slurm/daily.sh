#!/usr/bin/env bash
# deploy/slurm/daily.sh: one morning of the whole market on Slurm. Pins END once (today,
# UTC, unless --end), submits the shard array with it, and the merge + whole-market
# report as a job that starts only when every shard succeeded:
#
#   sbatch --array=0-(N-1) --export=ALL,END=…,DAYS=…,SHARDS_TOTAL=N deploy/slurm/backfill.sbatch
#   sbatch --dependency=afterok:<array> --kill-on-invalid-dep=yes --export=ALL,… deploy/slurm/merge.sbatch
#
#   deploy/slurm/daily.sh [--shards N] [--end YYYY-MM-DD] [--days D] [--data DIR] [--wait]
#                         [--sbatch 'OPTIONS'] [VAR=value…]
#
# --shards  the shard count (default 4; changing it moves symbols: docs/UNIVERSE.md)
# --data    BACKFILL_DATA: the shards' caches and databases, the merged database and report,
#           and logs/ (default the repository's data/; a file system every node sees)
# --wait    wait for the merge to end; exit non-zero when a shard or the merge failed
# --sbatch  more sbatch options for both jobs, e.g. '--partition=batch --account=quant'
# VAR=value make's knobs for every job (QUIET=1, REFRESH=1, BASE_URL=…).
# Prints the two job ids. deploy/slurm/scrontab runs it every morning.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

usage() { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
fail() { echo "deploy/slurm/daily.sh: $*" >&2; exit 64; }

shards=4 end="" days=${DAYS:-365} data=${BACKFILL_DATA:-$repo/data} wait="" extra=()
while (( $# )); do
  case $1 in
    --shards) shards=${2:?--shards needs a count}; shift 2 ;;
    --end) end=${2:?--end needs a day}; shift 2 ;;
    --days) days=${2:?--days needs a number}; shift 2 ;;
    --data) data=${2:?--data needs a directory}; shift 2 ;;
    --sbatch) read -r -a more <<<"${2:?--sbatch needs options}"; extra+=("${more[@]}"); shift 2 ;;
    --wait) wait=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *=*) [[ ${1%%=*} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || fail "'$1' is not VAR=value"; export "${1?}"; shift ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "--shards must be a whole number >= 1, got '$shards'"
[[ $days =~ ^[1-9][0-9]*$ ]] || fail "--days must be a whole number >= 1, got '$days'"
end=${end:-$(date -u +%F)}
[[ $end =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] && date -u -d "$end" >/dev/null 2>&1 || fail "--end must be a day, YYYY-MM-DD, got '$end'"
command -v sbatch >/dev/null || fail "sbatch is not on PATH: run this on a Slurm submit host"
mkdir -p "$data/logs"
data=$(cd "$data" && pwd)

# every job gets the same END, DAYS and count, whatever day it starts on
export END=$end DAYS=$days SHARDS_TOTAL=$shards BACKFILL_DATA=$data BACKFILL_REPO=$repo
array=$(sbatch --parsable --array=0-$((shards - 1)) --chdir="$repo" --output="$data/logs/shard-%A_%a.log" \
  ${extra[@]+"${extra[@]}"} --export=ALL "$repo/deploy/slurm/backfill.sbatch")
array=${array%%;*}
echo "daily: END=$end DAYS=$days: shards 0-$((shards - 1)) are job $array (logs: $data/logs/shard-${array}_*.log)"

merge=(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --chdir="$repo"
       --output="$data/logs/merge-%j.log" ${extra[@]+"${extra[@]}"} --export=ALL)
if [[ -n $wait ]]; then
  # sbatch --wait prints the id only when the job ends: say what it is waiting for first
  echo "daily: the merge waits for job $array; waiting for it to end…"
  status=0
  id=$("${merge[@]}" --wait "$repo/deploy/slurm/merge.sbatch") || status=$?
  echo "daily: merge job ${id%%;*} ended with status $status (log: $data/logs/merge-${id%%;*}.log)"
  exit $status
fi
id=$("${merge[@]}" "$repo/deploy/slurm/merge.sbatch")
echo "daily: merge + report is job ${id%%;*}, after job $array (database: $data/monitor.db, report: $data/merged/cache/report/)"
