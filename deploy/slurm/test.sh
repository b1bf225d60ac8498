#!/usr/bin/env bash
# make test-slurm: the sbatch array script on a real one-node Slurm cluster.
#
# Starts munged, slurmctld and slurmd of this machine (Debian: munge, slurmctld, slurmd,
# slurm-client) with a configuration of their own in a temporary directory, serves a
# synthetic archive (demo-archive) with its listing on loopback, runs
# `sbatch --wait --array=0-1 deploy/slurm/backfill.sbatch` (two shards), and checks that
# the two shard databases, and their `make merge`, hold exactly the rows of one
# `make all SYMBOLS=all`.
# Every daemon it started is stopped, by its pid, however the test ends.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in munged mungekey slurmctld slurmd sbatch sinfo sqlite3; do
  command -v "$tool" >/dev/null || {
    echo "test-slurm: $tool is missing: apt-get install munge slurmctld slurmd slurm-client sqlite3" >&2; exit 1; }
done
for binary in stage-download stage-flow stage-detect stage-prices stage-load stage-report demo-archive; do
  [[ -x .build/release/$binary ]] || { echo "test-slurm: .build/release/$binary is missing: run 'make test-slurm' (it builds it)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/backfill-slurm.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n ${KEEP:-} ]] && echo "test-slurm: kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname)
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/shards"
mungekey --create --keyfile="$work/munge.key" --force
cat >"$work/slurm.conf" <<CONF
ClusterName=backfill-test
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=$(id -un)
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) RealMemory=$(free -m | awk '/^Mem:/ { print $2 }') State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

munged -F --force --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --seed-file="$work/munged.seed" --log-file="$work/log/munged.log" &
pids+=($!)
for _ in $(seq 50); do [[ -S $work/munge.sock ]] && break; sleep 0.1; done
slurmctld -D -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do sinfo -h -o %t 2>/dev/null | grep -qx idle && break; sleep 0.2; done
sinfo -h -o %t | grep -qx idle || { echo "test-slurm: the node did not come up:" >&2; tail -20 "$work/log/"*.log >&2; exit 1; }

end=2024-03-12 days=60
.build/release/demo-archive generate "$work/archive" --end $end --days $days
.build/release/demo-archive serve "$work/archive" --port-file "$work/port" 2>"$work/log/archive.log" &
pids+=($!)
until [[ -s $work/port ]]; do sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")

echo "test-slurm: one run over every symbol…"
make --no-print-directory all SYMBOLS=all SYMBOL= END=$end DAYS=$days CACHE="$work/whole/cache" DB="$work/whole.db" \
  BASE_URL="$base" QUIET=1 >"$work/log/whole.log" 2>&1 || { tail -30 "$work/log/whole.log" >&2; exit 1; }

echo "test-slurm: sbatch --wait --array=0-1 deploy/slurm/backfill.sbatch…"
started=$(date +%s)
sbatch --wait --array=0-1 --output="$work/log/shard-%a.log" \
  --export=ALL,SHARDS=2,END=$end,DAYS=$days,BASE_URL="$base",BACKFILL_DATA="$work/shards",BACKFILL_REPO="$PWD",QUIET=1 \
  deploy/slurm/backfill.sbatch || { tail -30 "$work/log/shard-"*.log >&2; exit 1; }
echo "test-slurm: both tasks done in $(( $(date +%s) - started )) s"

rows() { for db in "$@"; do sqlite3 "$db" "select symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger, price_4h, price_12h, price_24h, price_48h from extreme_events"; done | sort; }
whole=$(rows "$work/whole.db")
shards=$(rows "$work/shards/shard-0.db" "$work/shards/shard-1.db")
[[ -n $whole ]] || { echo "test-slurm: FAILED: the whole run loaded no row" >&2; exit 1; }
for index in 0 1; do
  n=$(sqlite3 "$work/shards/shard-$index.db" 'select count(distinct symbol) from extreme_events')
  [[ $n == 1 ]] || { echo "test-slurm: FAILED: shard $index holds $n symbols, expected 1 of the 2" >&2; exit 1; }
done
if [[ $whole != "$shards" ]]; then
  echo "test-slurm: FAILED: the shards' rows differ from the one run's:" >&2
  diff <(echo "$whole") <(echo "$shards") | head -20 >&2
  exit 1
fi
make --no-print-directory merge DB="$work/merged.db" SHARDS="$work/shards/shard-0.db $work/shards/shard-1.db" \
  CACHE="$work/merge-cache" END=$end DAYS=$days QUIET=1 >"$work/log/merge.log" 2>&1 || { cat "$work/log/merge.log" >&2; exit 1; }
merged=$(rows "$work/merged.db")
if [[ $whole == "$merged" ]]; then
  echo "test-slurm: passed: make merge of the 2 shards (one symbol each) holds the $(wc -l <<<"$whole") rows of the one run"
else
  echo "test-slurm: FAILED: the merged rows differ from the one run's:" >&2
  diff <(echo "$whole") <(echo "$merged") | head -20 >&2
  exit 1
fi
