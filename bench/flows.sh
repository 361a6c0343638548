#!/usr/bin/env bash
# Flow-record throughput (issue 13, part 4): IPFIX files decoded and analysed in process on one core
# (FlowRecordFiles), the whole launcher `./minewatch scan -f jsonl` on the same file under
# /usr/bin/time, and the UDP collector's loss at rising rates on loopback (CollectorLoss).
#
#   bench/flows.sh [WORK_DIR] [RECORDS] [RUNS]
#
# Defaults: bench/work, 16,000,000 records (an 854 MB file, written once), 3 launcher runs.
# Needs: java, taskset, GNU time (/usr/bin/time). Builds the jars first if they are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${1:-$here/work}
records=${2:-16000000}
runs=${3:-3}
mkdir -p "$work"
cd "$root"
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 2; }
jar=minewatch-benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ ! -f minewatch-cli/target/minewatch.jar ]; then
  ./mvnw -B -q -pl minewatch-cli,minewatch-benchmarks -am package -DskipTests
fi

echo "== load: $(uptime)"
echo "== in process, one core: taskset -c 0 java -XX:+UseSerialGC -cp $jar org.minewatch.benchmarks.FlowRecordFiles $work $records 5"
taskset -c 0 java -XX:+UseSerialGC -cp "$jar" org.minewatch.benchmarks.FlowRecordFiles "$work" "$records" 5
file=$work/flows-$records.ipfix

echo "== load: $(uptime)"
echo "== the launcher: ./minewatch scan -q -f jsonl $file (both cores, then pinned to one), $runs runs each, alternating"
for i in $(seq "$runs"); do
  for pin in "" "taskset -c 0"; do
    /usr/bin/time -f "${pin:-both cores}: %e s, peak RSS %M KB" $pin ./minewatch scan -q -f jsonl -o /dev/null "$file" 2>&1 \
      | grep -E "peak RSS|flow records" || true
  done
done

echo "== load: $(uptime)"
echo "== the collector: java -XX:+UseSerialGC -cp $jar org.minewatch.benchmarks.CollectorLoss 10"
java -XX:+UseSerialGC -cp "$jar" org.minewatch.benchmarks.CollectorLoss 10
echo "== load: $(uptime)"
