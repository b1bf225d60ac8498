#!/usr/bin/env bash
# deploy/image/test.sh (make test-image): the image users build, built and run here.
#
#   deploy/image/test.sh [--bases] [--help]      (--bases: step 1 only)
#
# 1. Base images, made offline and kept while their recipe is unchanged (label
#    backfill.test.recipe): localhost/backfill-test/debian:bookworm, from
#    `mmdebstrap --variant=minbase bookworm` (stands in for debian:bookworm-slim), and
#    localhost/backfill-test/swift:6.3-bookworm, that base with this machine's toolchain
#    (SWIFT_ROOT, default /opt/swift) and git reading github.com from SWIFT_MIRROR
#    (default /opt/swift-packages), as on this machine (deploy/image/swift-base.Containerfile;
#    stands in for swift:6.3-bookworm).
# 2. `podman build --isolation chroot` of deploy/kubernetes/Dockerfile (untagged images
#    older than a day removed first: earlier builds' builder stages), the file users
#    build, with those two as --build-arg SWIFT_IMAGE / RUNTIME_IMAGE, KUBECTL_VERSION=none
#    (no internet here to fetch kubectl) and SWIFT_MIRROR mounted read-only; under the
#    machine's Swift build lock (flock /tmp/swift-build.lock).
# 3. In the image (`buildah run --isolation chroot --network host`, as the image's own
#    user, not root): the user is uid 10001 and owns the working directory; ISA-L is
#    linked and is stage-flow's inflater; then `make all` over the demo archive
#    (demo-archive generate, served on the host's 127.0.0.1), with the default CACHE
#    and DB under the working directory, and the entry point deploy/shard.sh 0 1.
# 4. The rows of both databases and the report's summary.csv equal a host run's
#    (`make all` with .build/release) on the same archive.
#
# Needs podman, buildah, mmdebstrap (Debian packages of the same names), sqlite3, and
# the host's release binaries (make test-image builds them). IMAGE (default
# localhost/backfill:test) names the image built; KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

bases_only=""
case ${1:-} in
  -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  --bases) bases_only=1; shift ;;
esac
(( $# == 0 )) || { echo "test-image: unknown argument '$*' (see --help)" >&2; exit 64; }

image=${IMAGE:-localhost/backfill:test}
swift_root=${SWIFT_ROOT:-/opt/swift}
mirror=${SWIFT_MIRROR:-/opt/swift-packages}
debian_base=localhost/backfill-test/debian:bookworm
swift_base=localhost/backfill-test/swift:6.3-bookworm
end=2024-03-12 days=60

for tool in podman buildah mmdebstrap sqlite3 flock; do
  command -v "$tool" >/dev/null || { echo "test-image: $tool is missing: apt-get install podman buildah mmdebstrap sqlite3" >&2; exit 1; }
done
for binary in stage-download stage-flow stage-detect stage-prices stage-load stage-report demo-archive; do
  [[ -n $bases_only || -x .build/release/$binary ]] || { echo "test-image: .build/release/$binary is missing: run 'make test-image' (it builds it)" >&2; exit 1; }
done
[[ -x $swift_root/usr/bin/swift ]] || { echo "test-image: no Swift toolchain at $swift_root/usr/bin/swift (set SWIFT_ROOT)" >&2; exit 1; }
[[ -d $mirror ]] || { echo "test-image: no package mirror at $mirror (set SWIFT_MIRROR)" >&2; exit 1; }

work=$(mktemp -d /tmp/backfill-image.XXXXXX)
server="" ctr=""
cleanup() {
  [[ -n $server ]] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  [[ -n $ctr ]] && { buildah umount "$ctr" >/dev/null 2>&1 || true; buildah rm "$ctr" >/dev/null 2>&1 || true; }
  [[ -n ${KEEP:-} ]] && echo "test-image: kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

# recipe IMAGE: the label that says what an image was made from ("" when it does not exist)
recipe() { podman image inspect --format '{{index .Labels "backfill.test.recipe"}}' "$1" 2>/dev/null || true; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# ---- 1. the local bases -------------------------------------------------------------
mirrors=("deb http://deb.debian.org/debian bookworm main" "deb http://deb.debian.org/debian bookworm-updates main"
         "deb http://deb.debian.org/debian-security bookworm-security main")
want=$(printf '%s\n' "mmdebstrap --variant=minbase bookworm" "${mirrors[@]}" | sha256sum | cut -c1-16)
if [[ $(recipe "$debian_base") != "$want" ]]; then
  echo "test-image: $debian_base: mmdebstrap --variant=minbase bookworm…"
  started=$(date +%s)
  mmdebstrap --quiet --variant=minbase bookworm "$work/debian.tar" "${mirrors[@]}"
  podman import --quiet --change "LABEL backfill.test.recipe=$want" "$work/debian.tar" "$debian_base" >/dev/null
  rm -f "$work/debian.tar"
  echo "test-image: $debian_base made in $(elapsed "$started")"
else
  echo "test-image: $debian_base: kept (recipe $want)"
fi

want=$( { cat deploy/image/swift-base.Containerfile; podman image inspect --format '{{.Id}}' "$debian_base";
          "$swift_root/usr/bin/swift" --version 2>&1; echo "$mirror"; } | sha256sum | cut -c1-16)
if [[ $(recipe "$swift_base") != "$want" ]]; then
  echo "test-image: $swift_base: $debian_base + $swift_root…"
  started=$(date +%s)
  podman build --quiet --isolation chroot -f "$PWD/deploy/image/swift-base.Containerfile" \
    --build-arg BASE_IMAGE="$debian_base" --build-arg GIT_MIRROR="$mirror/" --label "backfill.test.recipe=$want" \
    -t "$swift_base" "$swift_root" >/dev/null
  echo "test-image: $swift_base made in $(elapsed "$started")"
else
  echo "test-image: $swift_base: kept (recipe $want)"
fi

[[ -z $bases_only ]] || exit 0

# ---- 2. the image, from the Dockerfile users build -----------------------------------
# each build whose sources changed leaves its builder stage untagged (~3 GB): those older
# than a day go, the newer stay as the next build's cache
podman image prune --force --filter until=24h >/dev/null
echo "test-image: podman build -f deploy/kubernetes/Dockerfile (log: $work/build.log)…"
started=$(date +%s)
flock /tmp/swift-build.lock podman build --isolation chroot -f deploy/kubernetes/Dockerfile \
  --build-arg SWIFT_IMAGE="$swift_base" --build-arg RUNTIME_IMAGE="$debian_base" --build-arg KUBECTL_VERSION=none \
  --volume "$mirror:$mirror:ro" -t "$image" . >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; echo "test-image: FAILED: the image did not build (above: the end of $work/build.log)" >&2; KEEP=1; exit 1; }
echo "test-image: $image built in $(elapsed "$started") ($(grep -c 'Using cache' "$work/build.log" || true) steps from cache)"

# ---- 3. make all in the image ------------------------------------------------------
.build/release/demo-archive generate "$work/archive" --end $end --days $days 2>"$work/generate.log"
.build/release/demo-archive serve "$work/archive" --port-file "$work/port" 2>"$work/server.log" &
server=$!
until [[ -s $work/port ]]; do kill -0 "$server"; sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")

ctr=$(buildah from --pull-never --quiet "$image")
knobs="END=$end DAYS=$days BASE_URL=$base QUIET=1"
echo "test-image: in the image: make all $knobs; deploy/shard.sh 0 1…"
started=$(date +%s)
buildah run --isolation chroot --network host "$ctr" -- bash -c '
  set -euo pipefail
  fail() { echo "test-image: FAILED in the image: $*" >&2; exit 1; }
  [[ $(id -u) == 10001 ]] || fail "runs as uid $(id -u) ($(id -un)), expected the image user 10001"
  [[ $PWD == /backfill && -O $PWD && -w $PWD ]] || fail "working directory $PWD is not /backfill owned and writable by uid 10001: $(ls -ldn "$PWD")"
  if ldd .build/release/* | grep "not found"; then fail "a binary needs a library the image lacks (above)"; fi
  ldd .build/release/stage-flow | grep -q "libisal\.so" || fail "stage-flow is not linked with ISA-L: $(ldd .build/release/stage-flow)"
  # --help wraps its lines: read it as one line
  .build/release/stage-flow month --help | tr -s " \n" "  " | grep -q "(default isal)" \
    || fail "stage-flow does not inflate with ISA-L by default: $(.build/release/stage-flow month --help | grep -A1 inflater)"
  echo "test-image: uid $(id -u), $PWD owned by it; stage-flow linked with $(ldd .build/release/stage-flow | awk "/libisal/ { print \$3; exit }"), inflater: ISA-L (default isal)"
  make --no-print-directory all SYMBOLS="BTCUSDT ETHUSDT" '"$knobs"'
  deploy/shard.sh 0 1 '"$knobs"' CACHE=data/shard-0/cache DB=data/shard-0.db
' >"$work/image-run.log" 2>&1 || { tail -n 40 "$work/image-run.log" >&2; echo "test-image: FAILED: make in the image (above: the end of its log)" >&2; exit 1; }
grep '^test-image:' "$work/image-run.log"
echo "test-image: both runs in the image took $(elapsed "$started")"

echo "test-image: on the host: make all $knobs…"
make --no-print-directory all SYMBOLS="BTCUSDT ETHUSDT" SYMBOL= $knobs CACHE="$work/host/cache" DB="$work/host/monitor.db" \
  >"$work/host.log" 2>&1 || { tail -n 30 "$work/host.log" >&2; echo "test-image: FAILED: the host run" >&2; exit 1; }

# ---- 4. the same rows and the same summary ------------------------------------------
root=$(buildah mount "$ctr")/backfill
rows() { sqlite3 "$1" "select symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger, price_4h, price_12h, price_24h, price_48h from extreme_events order by 1, 2, 3, 4"; }
host=$(rows "$work/host/monitor.db")
[[ -n $host ]] || { echo "test-image: FAILED: the host run loaded no row" >&2; exit 1; }
for db in data/monitor.db data/shard-0.db; do
  [[ -f $root/$db ]] || { echo "test-image: FAILED: the image's run wrote no $db" >&2; exit 1; }
  if [[ $(rows "$root/$db") != "$host" ]]; then
    echo "test-image: FAILED: the rows of $db in the image differ from the host run's:" >&2
    diff <(echo "$host") <(rows "$root/$db") | head -20 >&2
    exit 1
  fi
done
for cache in data/backfill_cache data/shard-0/cache; do
  cmp "$work/host/cache/report/summary.csv" "$root/$cache/report/summary.csv" \
    || { echo "test-image: FAILED: $cache/report/summary.csv in the image differs from the host run's" >&2; exit 1; }
done
echo "test-image: passed: $image runs make all as uid 10001 with ISA-L; its $(wc -l <<<"$host") rows (make all, and deploy/shard.sh 0 1) and summary.csv equal the host run's"
