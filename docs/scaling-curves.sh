#!/usr/bin/env bash
# Scaling curves (docs/benchmarks.md, "Scaling curves"): BridgeBenchmark and ShadowBenchmark at
# 1k, 10k and 100k devices (the default partitions) and at 3, 12 and 48 partitions (10k devices),
# one run a point, each under the heavy-job lock; appends a line of figures a run to $OUT.
#
#   docs/scaling-curves.sh [bridge|shadow|all] [POINT ...]     POINT = DEVICES:PARTITIONS
#   docs/scaling-curves.sh all                                  # the whole grid, about 30 min
#   docs/scaling-curves.sh bridge 10000:3 10000:3               # the middle point twice
#
# Environment: OUT (default target/scaling-curves.tsv), LOCK (default /work/wt/heavy.lock where it
# exists, else none), BRIDGE_MESSAGES (100000), BRIDGE_RATE (5000), BRIDGE_LOW (1000),
# MAX_CONNECTIONS (10000: the bridge's devices beyond it share connections, see BridgeBenchmark),
# SHADOW_UPDATES (100000), SHADOW_RATE (1000), JAVA_OPTS (-Xmx2g). Needs the modules built:
# ./mvnw -o -q -B -DskipTests install (the script compiles the two modules' tests itself).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LEG=${1:-all}
shift || true
OUT=${OUT:-$ROOT/target/scaling-curves.tsv}
LOGS=$ROOT/target/scaling-curves-logs
if [[ -z ${LOCK+x} ]]; then LOCK=$([[ -e /work/wt/heavy.lock ]] && echo /work/wt/heavy.lock || true); fi
BRIDGE_MESSAGES=${BRIDGE_MESSAGES:-100000}
BRIDGE_RATE=${BRIDGE_RATE:-5000}
BRIDGE_LOW=${BRIDGE_LOW:-1000}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-10000}
SHADOW_UPDATES=${SHADOW_UPDATES:-100000}
SHADOW_RATE=${SHADOW_RATE:-1000}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g}
mkdir -p "$LOGS" "$(dirname "$OUT")"

locked() { if [[ -n $LOCK ]]; then flock "$LOCK" "$@"; else "$@"; fi; }
# stamped LOG COMMAND...: the command under the lock, and in LOG.start the time and load average
# when it started (the lock held).
stamped() {
  # shellcheck disable=SC2016
  locked bash -c 'echo "$(date -u "+%Y-%m-%d %H:%M")|$(cut -d" " -f1-3 /proc/loadavg)" >"$0.start"
    exec "$@"' "$@"
}

# The module's test classpath, this checkout's sibling modules' classes in place of the jars in
# the local repository (which may be another branch's).
classpath() {
  local module=$1 file=$ROOT/target/scaling-curves-cp-$1.txt
  locked ./mvnw -o -q -B -pl "$module" -am test-compile -Dspotless.check.skip=true >&2
  locked ./mvnw -o -q -B -pl "$module" dependency:build-classpath -Dmdep.outputFile="$file" \
    -Dmdep.includeScope=test >&2
  echo "$ROOT/$module/target/classes:$ROOT/$module/target/test-classes:$(tr ':' '\n' <"$file" |
    sed -E "s#^.*/org/iotbackbone/(schemas|device-pki|local-servers)/[^/]+/[^/]+\.jar\$#$ROOT/\1/target/classes#" |
    paste -sd:)"
}

# field LOG PATTERN AWK-EXPRESSION: the first line matching PATTERN, through awk.
field() { grep -m1 -- "$2" "$1" | awk "$3" || true; }
after() { echo "{for (i = 1; i < NF; i++) if (\$i == \"$1\") { print \$(i + 1); exit }}"; }

header() {
  [[ -s $OUT ]] || printf '%s\n' "date_utc	commit	load_avg	leg	devices	connections	partitions	command	throughput	cpu_jvm_us	cpu_servers_us	p99_steady_ms	p99_low_ms	raw_throughput	raw_cpu_jvm_us	raw_cpu_servers_us	raw_p99_steady_ms	log" >"$OUT"
}

bridge() {
  local devices=$1 partitions=$2 connections=$(($1 < MAX_CONNECTIONS ? $1 : MAX_CONNECTIONS))
  local args="$BRIDGE_MESSAGES $devices $BRIDGE_RATE $BRIDGE_LOW"
  local opts="-Dbench.bridge.process=true -Dbench.partitions=$partitions -Dbench.connections=$connections"
  local log=$LOGS/bridge-$devices-$partitions-$(date -u +%H%M%S).log
  # shellcheck disable=SC2086
  stamped "$log" java $JAVA_OPTS $opts -cp "$BRIDGE_CP" \
    org.iotbackbone.ingestbridge.bench.BridgeBenchmark $args >"$log" 2>&1
  local start load
  start=$(cut -d'|' -f1 "$log.start")
  load=$(cut -d'|' -f2 "$log.start")
  local burst="bridge (-> Kafka), as fast as possible" raw="raw MQTT (-> subscriber), as fast"
  printf '%s\t' "$start" "$(git rev-parse --short HEAD)" "$load" bridge "$devices" "$connections" \
    "$partitions" "\"$args\" $opts" \
    "$(field "$log" "$burst" "$(after possible)")" \
    "$(field "$log" "$burst" "$(after JVM)" | tr -d ,)" \
    "$(field "$log" "$burst" "$(after 'servers')")" \
    "$(field "$log" "bridge (-> Kafka), steady $BRIDGE_RATE " "$(after p99)")" \
    "$(field "$log" "bridge (-> Kafka), steady $BRIDGE_LOW " "$(after p99)")" \
    "$(field "$log" "$raw" "$(after possible)")" \
    "$(field "$log" "$raw" "$(after JVM)" | tr -d ,)" \
    "$(field "$log" "$raw" "$(after 'servers')")" \
    "$(field "$log" "raw MQTT (-> subscriber), steady $BRIDGE_RATE " "$(after p99)")" >>"$OUT"
  echo "$log" >>"$OUT"
}

shadow() {
  local devices=$1 partitions=$2
  local args="$SHADOW_UPDATES $devices $SHADOW_RATE 0"
  local opts="-Dbench.partitions=$partitions"
  local log=$LOGS/shadow-$devices-$partitions-$(date -u +%H%M%S).log
  # shellcheck disable=SC2086
  stamped "$log" java $JAVA_OPTS $opts -cp "$SHADOW_CP" \
    org.iotbackbone.streamsapp.bench.ShadowBenchmark $args >"$log" 2>&1
  local start load
  start=$(cut -d'|' -f1 "$log.start")
  load=$(cut -d'|' -f2 "$log.start")
  local summary="shadow topology " raw="raw: Kafka Streams copy"
  printf '%s\t' "$start" "$(git rev-parse --short HEAD)" "$load" shadow "$devices" "$devices" \
    "$partitions" "\"$args\" $opts" \
    "$(field "$log" "$summary" '{print $3}')" \
    "$(field "$log" "$summary" "$(after JVM)")" \
    "$(field "$log" "$summary" "$(after servers)")" \
    "$(field "$log" "shadow, steady $SHADOW_RATE/s" "$(after p99)")" "" \
    "$(field "$log" "$raw" "$(after 'state)')")" \
    "$(field "$log" "$raw" "$(after JVM)")" \
    "$(field "$log" "$raw" "$(after servers)")" \
    "$(field "$log" "raw copy, steady $SHADOW_RATE/s" "$(after p99)")" >>"$OUT"
  echo "$log" >>"$OUT"
}

# The grid: devices at each leg's default partitions (bridge 3, shadow 4), partitions at 10k.
grid() { # LEG DEFAULT_PARTITIONS POINT...
  local leg=$1 default=$2
  shift 2
  local list=("$@")
  if ((${#list[@]} == 0)); then
    list=("1000:$default" "10000:$default" "100000:$default" 10000:3 10000:12 10000:48)
    [[ $default == 3 ]] && list=("1000:3" "10000:3" "100000:3" 10000:12 10000:48)
  fi
  for point in "${list[@]}"; do
    "$leg" "${point%%:*}" "${point##*:}"
    tail -1 "$OUT" >&2
  done
}

header
[[ $LEG == bridge || $LEG == all ]] && BRIDGE_CP=$(classpath ingest-bridge)
[[ $LEG == shadow || $LEG == all ]] && SHADOW_CP=$(classpath streams-app)
# While this exists a benchmark is measuring: others run every build under the lock meanwhile.
touch /tmp/bench.running
trap 'rm -f /tmp/bench.running' EXIT
[[ $LEG == bridge || $LEG == all ]] && grid bridge 3 "$@"
[[ $LEG == shadow || $LEG == all ]] && grid shadow 4 "$@"
echo "figures appended to $OUT" >&2
