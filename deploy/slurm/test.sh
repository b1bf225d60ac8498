#!/usr/bin/env bash
# make test-slurm: two mornings of the whole market on a real one-node Slurm cluster.
#
# Starts munged, slurmctld and slurmd of this machine (Debian: munge, slurmctld, slurmd,
# slurm-client) with a configuration of their own in a temporary directory, and serves on
# loopback a synthetic archive with its bucket listing: demo-archive's BTCUSDT and ETHUSDT
# and three symbols copied from them (renamed zips and members, new CHECKSUMs).
#   - deploy/slurm/scrontab is accepted by slurmctld (scrontab, then scrontab -l).
#   - Day 1 (END 2024-03-12; BTCUSDT ETHUSDT SOLUSDT DOGEUSDT XRPUSDT) and day 2 (END one day
#     later; XRPUSDT gone from the listing, BTCUSDC listed on March 1st): each morning is
#     deploy/slurm/daily.sh --shards 3 --wait, i.e. the sbatch array with END pinned and the
#     merge + whole-market report after it (--dependency=afterok).
#   - Between the mornings, task 1 re-run alone: refused without SHARDS_TOTAL, a no-op with it.
#   - Each shard holds the symbols whose FNV-1a-32 hash mod 3 is its index, and no symbol
#     changed shard; no zip held after day 1 was fetched again (same inode and mtime).
#   - The merged database equals one machine's two mornings (make all SYMBOLS=all on one
#     cache and database), and, for day 2's symbols, a clean run of day 2; the merged
#     report's summary.csv equals that clean run's, byte for byte.
# Every daemon it started is stopped, by its pid, however the test ends; KEEP=1 keeps the
# work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in munged mungekey slurmctld slurmd sbatch sinfo sqlite3 python3; do
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

fail() { echo "test-slurm: FAILED: $*" >&2; exit 1; }
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
ScronParameters=enable
NodeName=$host CPUs=$(nproc) RealMemory=$(free -m | awk '/^Mem:/ { print $2 }') State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

munged -F --force --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --seed-file="$work/munged.seed" --log-file="$work/log/munged.log" 2>"$work/log/munged.out" &
pids+=($!)
for _ in $(seq 50); do [[ -S $work/munge.sock ]] && break; sleep 0.1; done
slurmctld -D -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do sinfo -h -o %t 2>/dev/null | grep -qx idle && break; sleep 0.2; done
sinfo -h -o %t | grep -qx idle || { echo "test-slurm: the node did not come up:" >&2; tail -n 20 "$work/log/"*.log >&2; exit 1; }


# ---- the scrontab: each entry's #SCRON options and command, checked on this cluster ------
sed -e "s|/srv/backfill/data|$work/cron-data|g; s|/srv/backfill|$PWD|g" deploy/slurm/scrontab >"$work/scrontab"
options="" entries=0
while read -r line; do
  case $line in
    "#SCRON "*) options=${line#\#SCRON } ;;
    "#"*|"") ;;
    *)
      read -r -a fields <<<"$line"
      [[ ${#fields[@]} -gt 5 && -x ${fields[5]} ]] || fail "deploy/slurm/scrontab: '$line' is not 5 time fields and a program"
      [[ -n $options ]] || fail "deploy/slurm/scrontab: '$line' has no #SCRON line before it"
      # sbatch --test-only: slurmctld parses the options and says when it would start the job
      sbatch --test-only $options --wrap true >"$work/log/scron-test.log" 2>&1 \
        || { cat "$work/log/scron-test.log" >&2; fail "deploy/slurm/scrontab: slurmctld refused '#SCRON $options'"; }
      "${fields[5]}" --help >/dev/null
      options="" entries=$((entries + 1)) ;;
  esac
done <"$work/scrontab"
(( entries == 2 )) || fail "deploy/slurm/scrontab: $entries entries, expected 2"
if command -v scrontab >/dev/null; then   # not in Debian 12's slurm-client
  scrontab "$work/scrontab" || fail "slurmctld refused deploy/slurm/scrontab"
  [[ $(scrontab -l | grep -c '^30 6 ') == 2 ]] || fail "scrontab -l does not list the 2 entries"
  scrontab -r <<<y >/dev/null 2>&1 || true
  echo "test-slurm: deploy/slurm/scrontab installed and listed by scrontab"
fi
echo "test-slurm: deploy/slurm/scrontab: $entries entries, their #SCRON options accepted by sbatch --test-only"

# ---- the two archives ------------------------------------------------------------------
end1=2024-03-12 end2=2024-03-13 days=60
.build/release/demo-archive generate "$work/generated" --end $end2 --days $days 2>"$work/log/generate.log"
# SOLUSDT and XRPUSDT copy BTCUSDT, DOGEUSDT and BTCUSDC copy ETHUSDT (BTCUSDC: March's daily files only)
python3 - "$work/generated/data/futures/um" <<'PY'
import hashlib, os, sys, zipfile
root = sys.argv[1]
for source, target, since in [("BTCUSDT", "SOLUSDT", ""), ("BTCUSDT", "XRPUSDT", ""), ("ETHUSDT", "DOGEUSDT", ""),
                              ("ETHUSDT", "BTCUSDC", "2024-03-01")]:
    for folder, _, names in os.walk(root):
        parts = folder[len(root) + 1:].split("/")
        if len(parts) < 3 or parts[2] != source:
            continue
        for name in names:
            if not name.endswith(".zip"):
                continue
            if since and (parts[0] != "daily" or name[:-4].split("-", 2)[-1][-10:] < since):
                continue
            new_folder = os.path.join(root, *parts[:2], target, *parts[3:])
            new_name = name.replace(source, target)
            os.makedirs(new_folder, exist_ok=True)
            with zipfile.ZipFile(os.path.join(folder, name)) as old, \
                 zipfile.ZipFile(os.path.join(new_folder, new_name), "w", zipfile.ZIP_DEFLATED) as new:
                for member in old.infolist():
                    new.writestr(member.filename.replace(source, target), old.read(member).replace(source.encode(), target.encode()))
            digest = hashlib.sha256(open(os.path.join(new_folder, new_name), "rb").read()).hexdigest()
            with open(os.path.join(new_folder, new_name + ".CHECKSUM"), "w") as checksum:
                checksum.write(f"{digest}  {new_name}\n")
PY
# day 1: no file of the 12th, no BTCUSDC; day 2: every file, no XRPUSDT
cp -al "$work/generated" "$work/day1"
find "$work/day1" -name "*-$end1.zip*" -delete
find "$work/day1" -depth -type d -name BTCUSDC -exec rm -rf {} +
cp -al "$work/generated" "$work/day2"
find "$work/day2" -depth -type d -name XRPUSDT -exec rm -rf {} +
day1_symbols="BTCUSDT DOGEUSDT ETHUSDT SOLUSDT XRPUSDT" day2_symbols="BTCUSDC BTCUSDT DOGEUSDT ETHUSDT SOLUSDT"

# serve() DAY: the archive of that morning, at the same address (files are read per request)
mkdir -p "$work/archive"
serve() { rm -rf "$work/archive/data"; cp -al "$work/$1/data" "$work/archive/data"; }
serve day1
.build/release/demo-archive serve "$work/archive" --port-file "$work/port" 2>"$work/log/archive.log" &
pids+=($!)
until [[ -s $work/port ]]; do sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")
# every run reads the listing again (it is cached LIST_MAX_AGE hours otherwise)
knobs=(BASE_URL="$base" LIST_MAX_AGE=0 QUIET=1)

rows() { sqlite3 "$1" "select symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger, price_4h, price_12h, price_24h, price_48h from extreme_events ${2:-} order by 1, 2, 3, 4"; }
symbols_of() { sqlite3 "$1" 'select distinct symbol from extreme_events order by 1'; }
# full and short names (the database stores BTCUSDT as BTC, SOLUSDT as SOL, BTCUSDC as BTCUSDC)
full() { local s; for s in "$@"; do [[ $s == *USD[TC] ]] && echo "$s" || echo "${s}USDT"; done | sort | tr '\n' ' '; }
short() { local s; for s in "$@"; do echo "${s%USDT}"; done; }
fnv_shard() { python3 -c '
import sys
for s in sys.argv[2:]:
    h = 2166136261
    for b in s.encode(): h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    print(s, h % int(sys.argv[1]))' "$@"; }
# held(): every zip of the shards' caches: inode, mtime, path
held() { find "$work/shards" -path '*/cache/archive/*' -name '*.zip' -printf '%i %T@ %P\n' | sort -k3; }

# morning DAY END SYMBOLS: the driver with 3 shards; then the checks of that day
morning() {
  local day=$1 end=$2 symbols=$3 started k want got
  echo "test-slurm: $day (END $end): deploy/slurm/daily.sh --shards 3 --wait…"
  started=$(date +%s)
  deploy/slurm/daily.sh --shards 3 --end "$end" --days $days --data "$work/shards" --wait "${knobs[@]}" >"$work/log/$day.log" 2>&1 \
    || { cat "$work/log/$day.log" >&2; tail -n 30 "$work/shards/logs/"*.log >&2; fail "$day: the shards or the merge failed"; }
  echo "test-slurm: $day: shards and merge done in $(( $(date +%s) - started )) s"
  # each shard holds the symbols whose hash mod 3 is its index, and every symbol of the day is in its shard
  for k in 0 1 2; do
    got=$(full $(symbols_of "$work/shards/shard-$k.db"))
    while read -r symbol shard; do
      [[ $shard == "$k" ]] || fail "$day: shard $k holds $symbol, whose FNV-1a-32 hash mod 3 is $shard"
    done < <(fnv_shard 3 $got)
    echo "$day shard-$k $got" >>"$work/assignments"
  done
  while read -r symbol shard; do
    grep -q " $symbol\b" <(grep "^$day shard-$shard " "$work/assignments") || fail "$day: $symbol is not in its shard $shard"
  done < <(fnv_shard 3 $symbols)
  echo "test-slurm: $day: $(grep "^$day " "$work/assignments" | cut -d' ' -f2- | paste -sd';' | sed 's/;/; /g')"
  # one machine, the same mornings on one cache and database
  make --no-print-directory all SYMBOLS=all SYMBOL= END="$end" DAYS=$days CACHE="$work/whole/cache" DB="$work/whole.db" \
    "${knobs[@]}" >"$work/log/whole-$day.log" 2>&1 || { tail -n 30 "$work/log/whole-$day.log" >&2; fail "$day: the one-machine run"; }
  [[ -n $(rows "$work/whole.db") ]] || fail "$day: the one-machine run loaded no row"
  if [[ $(rows "$work/shards/monitor.db") != "$(rows "$work/whole.db")" ]]; then
    diff <(rows "$work/whole.db") <(rows "$work/shards/monitor.db") | head -20 >&2
    fail "$day: the merged database differs from one machine's (< one machine, > merged)"
  fi
  echo "test-slurm: $day: the merged database holds one machine's $(rows "$work/whole.db" | wc -l) rows"
}

serve day1
morning day1 $end1 "$day1_symbols"
held >"$work/held-day1"

echo "test-slurm: task 1 re-run alone: sbatch --array=1…"
if sbatch --wait --array=1 --chdir="$PWD" --output="$work/log/alone-%a.log" \
     --export=ALL,END=$end1,DAYS=$days,BACKFILL_DATA="$work/shards",BACKFILL_REPO="$PWD" \
     deploy/slurm/backfill.sbatch "${knobs[@]}" >/dev/null 2>&1; then
  fail "task 1 alone without SHARDS_TOTAL ran (it cannot know the count)"
fi
grep -q "cannot tell the shard count" "$work/log/alone-1.log" || { cat "$work/log/alone-1.log" >&2; fail "task 1 alone was refused without saying why"; }
before=$(rows "$work/shards/shard-1.db")
sbatch --wait --array=1 --chdir="$PWD" --output="$work/log/alone-%a.log" \
  --export=ALL,END=$end1,DAYS=$days,SHARDS_TOTAL=3,BACKFILL_DATA="$work/shards",BACKFILL_REPO="$PWD" \
  deploy/slurm/backfill.sbatch "${knobs[@]}" >/dev/null || { cat "$work/log/alone-1.log" >&2; fail "task 1 alone with SHARDS_TOTAL=3"; }
[[ $(rows "$work/shards/shard-1.db") == "$before" ]] || fail "task 1 re-run alone changed shard 1's rows"
cmp -s <(held) "$work/held-day1" || fail "task 1 re-run alone fetched held zips again: $(diff <(held) "$work/held-day1" | head -5)"
echo "test-slurm: task 1 alone: refused without SHARDS_TOTAL (naming it), a no-op with SHARDS_TOTAL=3"

serve day2
morning day2 $end2 "$day2_symbols"

# no symbol changed shard
moved=$(awk '{ for (i = 3; i <= NF; i++) { if ($i in shard && shard[$i] != $2) print $i " " shard[$i] " -> " $2; shard[$i] = $2 } }' "$work/assignments")
[[ -z $moved ]] || fail "symbols changed shard between the mornings: $moved"
# no zip held after day 1 was fetched again: the same inode and mtime
refetched=$(join -1 3 -2 3 <(sort -k3 "$work/held-day1") <(held) | awk '$2 != $4 || $3 != $5 { print $1 }')
[[ -z $refetched ]] || fail "zips held after day 1 were fetched again: $(head -5 <<<"$refetched")"
# day 2's symbols, as a clean one-machine run of day 2 gives them
make --no-print-directory all SYMBOLS=all SYMBOL= END=$end2 DAYS=$days CACHE="$work/clean/cache" DB="$work/clean.db" \
  "${knobs[@]}" >"$work/log/clean.log" 2>&1 || { tail -n 30 "$work/log/clean.log" >&2; fail "the clean run of day 2"; }
list=$(short $day2_symbols | sed "s/.*/'&'/" | paste -sd, -)
if [[ $(rows "$work/shards/monitor.db" "where symbol in ($list)") != "$(rows "$work/clean.db")" ]]; then
  diff <(rows "$work/clean.db") <(rows "$work/shards/monitor.db" "where symbol in ($list)") | head -20 >&2
  fail "day 2's symbols in the merged database differ from a clean run of day 2 (< clean, > merged)"
fi
[[ -f $work/shards/merged/cache/report/summary.csv ]] \
  || fail "the merge wrote no whole-market report: $work/shards/merged/cache/report/summary.csv (make merge … SHARD_CACHES=…)"
cmp "$work/clean/cache/report/summary.csv" "$work/shards/merged/cache/report/summary.csv" \
  || fail "the merged report's summary.csv differs from a clean run's of day 2"
echo "test-slurm: passed: 2 mornings, 3 shards: no symbol moved, $(wc -l <"$work/held-day1") held zips not fetched again, merged database = one machine's ($(rows "$work/shards/monitor.db" | wc -l) rows), summary.csv = a clean run's"
