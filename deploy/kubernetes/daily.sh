#!/usr/bin/env bash
# deploy/kubernetes/daily.sh: one morning of the whole market on Kubernetes, run by the
# CronJob's driver pod (deploy/kubernetes/cronjob.yaml) or by hand with kubectl set up.
#
#   deploy/kubernetes/daily.sh [--shards N] [--end YYYY-MM-DD] [--image IMAGE] [--storage SIZE]
#                              [--storage-class CLASS] [--timeout SECONDS] [--poll SECONDS]
#
# 1. END: --end, else the date of the CronJob's schedule (the annotation
#    batch.kubernetes.io/cronjob-scheduled-timestamp of the Job named by JOB_NAME, which the
#    CronJob sets), else today (UTC). Every Job of the morning gets that one END.
# 2. Deletes yesterday's shard and merge Jobs (their claims stay: the caches), then applies
#    `deploy/kubernetes/render --shards N --end END …`: a claim and a Job per shard.
# 3. Waits until every shard Job is complete; a failed one stops the morning (exit 1) with
#    the end of its log. Then applies `render … --merge` (the merged database and the
#    whole-market report) and waits for it the same way.
# --timeout bounds each wait (default 86400 s), --poll is the time between looks (30 s).
# Needs kubectl (in the image: KUBECTL_VERSION) and the rights of cronjob.yaml's Role.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
fail() { echo "deploy/kubernetes/daily.sh: $1" >&2; exit "${2:-64}"; }
say() { echo "daily: $(date -u +%FT%TZ) $*"; }

shards=4 end="" timeout=86400 poll=30 render_args=()
while (( $# )); do
  case $1 in
    --shards) shards=${2:?--shards needs a count}; shift 2 ;;
    --end) end=${2:?--end needs a day}; shift 2 ;;
    --image|--storage|--storage-class) render_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    --poll) poll=${2:?--poll needs seconds}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $timeout =~ ^[1-9][0-9]*$ && $poll =~ ^[1-9][0-9]*$ ]] || fail "--timeout and --poll must be whole seconds, got '$timeout' and '$poll'"
command -v kubectl >/dev/null || fail "kubectl is not on PATH (build the image with KUBECTL_VERSION, or run where kubectl is set up)" 1

if [[ -z $end && -n ${JOB_NAME:-} ]]; then
  scheduled=$(kubectl get job "$JOB_NAME" -o jsonpath='{.metadata.annotations.batch\.kubernetes\.io/cronjob-scheduled-timestamp}' 2>/dev/null || true)
  if [[ -n $scheduled ]]; then end=$(date -u -d "$scheduled" +%F); say "END $end: the date of the schedule ($scheduled, Job $JOB_NAME)"; fi
fi
if [[ -z $end ]]; then end=$(date -u +%F); say "END $end: today (UTC)"; fi

# wait_for COMPONENT COUNT: until COUNT Jobs of the component are complete; exit 1 on a failed one
wait_for() {
  local component=$1 count=$2 deadline=$(( $(date +%s) + timeout )) states complete failed
  while :; do
    states=$(kubectl get jobs -l "app.kubernetes.io/name=backfill,app.kubernetes.io/component=$1" \
      -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.status=="True")].type}{"\n"}{end}')
    complete=$(grep -c ' .*Complete' <<<"$states" || true)
    failed=$(awk '/ .*Failed/ { print $1 }' <<<"$states")
    if [[ -n $failed ]]; then
      for job in $failed; do
        echo "daily: $job failed; the end of its log:" >&2
        kubectl logs "job/$job" --tail=30 >&2 || true
      done
      fail "the $component Jobs failed: $(echo $failed); the morning stops here (END $end)" 1
    fi
    (( complete >= count )) && { say "$complete of $count $component Jobs complete"; return 0; }
    (( $(date +%s) < deadline )) || fail "$complete of $count $component Jobs complete after ${timeout} s: giving up (END $end)" 1
    sleep "$poll"
  done
}

say "deleting the previous morning's Jobs (the claims stay)"
kubectl delete jobs -l 'app.kubernetes.io/name=backfill,app.kubernetes.io/component in (shard,merge)' --ignore-not-found --wait=true
say "applying $shards shards, END $end"
deploy/kubernetes/render --shards "$shards" --end "$end" ${render_args[@]+"${render_args[@]}"} | kubectl apply -f -
wait_for shard "$shards"
say "applying the merge, END $end"
deploy/kubernetes/render --shards "$shards" --end "$end" ${render_args[@]+"${render_args[@]}"} --merge | kubectl apply -f -
wait_for merge 1
say "done: END $end, the merged database and report are on the claim backfill-db"
