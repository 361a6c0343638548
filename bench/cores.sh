#!/usr/bin/env bash
# The throughput figures of issue 13: `./minewatch scan -f jsonl` (the launcher with its defaults,
# as a user runs it: JVM start-up included) against nDPI's ndpiReader on the same captures.
#
#   bench/cores.sh [SHARED_DIR] [RUNS]          (default: ../shared, 5 runs)
#
# 1. Both cores, 4 GB: each tool as it runs by default (MineWatch: --threads = the processors
#    available; ndpiReader: -n 1, one reader thread, the only way it reads one file).
# 2. One core (taskset -c 0), 1 GB and 4 GB: the cost per gigabyte past the first,
#    (t(4 GB) - t(1 GB)) / 3, which leaves out start-up and warm-up.
# Runs alternate between the tools; medians and ranges; peak RSS from GNU time. Cases are named
# mw/nd (MineWatch, ndpiReader), 2/1 (cores), :4/:1 (GB).
# Needs: java, mergecap, capinfos (wireshark-common), ndpiReader (libndpi-bin), GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${1:-$root/../shared}
runs=${2:-5}
work=$here/work
for tool in ndpiReader java; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install libndpi-bin)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 2; }
"$here/build-capture.sh" "$shared" --4g
g1=$work/bench-1g.pcap
g4=$work/bench-4g.pcap
jar=$root/minewatch-cli/target/minewatch.jar
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
"$root/minewatch" scan -q -f jsonl -o /dev/null "$root/samples/campus-mining.pcapng" # CDS archive

run() { # name, command...: prints "seconds peakKiB"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.err" || {
    echo "$name failed:" >&2; tail -5 "$work/$name.err" >&2; exit 1; }
  cat "$work/$name.time"
}
mw() { run "$1" ${2:+taskset -c 0} "$root/minewatch" scan -q -f jsonl -o "$work/cores-findings.jsonl" "$3"; }
nd() { run "$1" ${2:+taskset -c 0} ndpiReader -q -n 1 -i "$3"; }

declare -A t m
for i in $(seq "$runs"); do
  for case in mw2:4 nd2:4 mw1:1 nd1:1 mw1:4 nd1:4; do
    tool=${case%%:*}; size=${case#*:}
    file=$([ "$size" = 1 ] && echo "$g1" || echo "$g4")
    one=$([ "${tool:2:1}" = 1 ] && echo 1 || echo "")
    read -r s k < <(${tool:0:2} "$case" "$one" "$file")
    t[$case]="${t[$case]:-} $s"; m[$case]="${m[$case]:-} $k"
  done
  printf 'run %s:' "$i"
  for c in mw2:4 nd2:4 mw1:1 nd1:1 mw1:4 nd1:4; do printf ' %s %ss' "$c" "$(echo ${t[$c]} | awk '{print $NF}')"; done
  echo
done

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' $1 | sort -g | awk 'NR==1{lo=$1} {hi=$1} END{printf "%s-%s", lo, hi}'; }
declare -A med
for c in mw2:4 nd2:4 mw1:1 nd1:1 mw1:4 nd1:4; do med[$c]=$(median "${t[$c]}"); done
rss_mw=$(median "${m[mw2:4]}"); rss_nd=$(median "${m[nd2:4]}")
echo
echo "capture: 1 GB = $(stat -c %s "$g1") bytes, 4 GB = $(stat -c %s "$g4") bytes; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | minewatch s (range) | ndpiReader s (range) | ndpiReader / minewatch |"
echo "|---|---|---|---|"
for pair in "2:4:both cores, 4 GB" "1:1:one core, 1 GB" "1:4:one core, 4 GB"; do
  c=${pair%%:*}; rest=${pair#*:}; size=${rest%%:*}; label=${rest#*:}
  awk -v l="$label" -v a="${med[mw$c:$size]}" -v b="${med[nd$c:$size]}" -v ra="$(range "${t[mw$c:$size]}")" -v rb="$(range "${t[nd$c:$size]}")" \
    'BEGIN{printf "| %s | %.2f (%s) | %.2f (%s) | %.2fx |\n", l, a, ra, b, rb, b/a}'
done
awk -v a1="${med[mw1:1]}" -v a4="${med[mw1:4]}" -v b1="${med[nd1:1]}" -v b4="${med[nd1:4]}" 'BEGIN{
  pa=(a4-a1)/3; pb=(b4-b1)/3;
  printf "| one core, per GB past the first | %.3f | %.3f | %.2fx |\n", pa, pb, pb/pa }'
echo
echo "peak RSS, both cores, 4 GB: minewatch $((rss_mw / 1024)) MiB, ndpiReader $((rss_nd / 1024)) MiB"
