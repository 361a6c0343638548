#!/usr/bin/env bash
# Whole-process throughput of `./minewatch scan` (the launcher, as a user runs it) against nDPI's ndpiReader on the same ~1 GB capture,
# both pinned to one core, runs alternating, medians reported. JVM start-up is included.
#
#   bench/throughput.sh [SHARED_DIR] [RUNS]
#
# Needs: java, mergecap and capinfos (Debian wireshark-common), ndpiReader (libndpi-bin),
# GNU time (time). The capture is built once under bench/work/ (not committed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${1:-$root/../shared}
runs=${2:-5}
work=$here/work
mkdir -p "$work"

for tool in mergecap capinfos ndpiReader java; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wireshark-common libndpi-bin time)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 2; }

big=$work/bench-1g.pcap
"$here/build-capture.sh" "$shared"

jar=$root/minewatch-cli/target/minewatch.jar
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -DskipTests package)
# The launcher makes its class-data archive on the first run after a build: do that run now.
"$root/minewatch" scan -q -f jsonl -o /dev/null "$root/samples/campus-mining.pcapng"

packets=$(capinfos -c -M -T -r "$big" | awk -F'\t' 'NR==1{print $2}')
bytes=$(stat -c %s "$big")
echo "capture: $big, $bytes bytes, $packets packets"

run() { # name, command...: prints seconds and peak RSS in KiB
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" taskset -c 0 "$@" >/dev/null 2>"$work/$name.err" || {
    echo "$name failed:" >&2; tail -5 "$work/$name.err" >&2; exit 1; }
  cat "$work/$name.time"
}

mw=(); nd=(); mwmem=(); ndmem=()
for i in $(seq "$runs"); do
  read -r s m < <(run minewatch "$root/minewatch" scan -q -f jsonl -o "$work/findings.jsonl" "$big")
  mw+=("$s"); mwmem+=("$m")
  read -r s m < <(run ndpi ndpiReader -q -i "$big" -n 1)
  nd+=("$s"); ndmem+=("$m")
  echo "run $i: minewatch ${mw[-1]} s (${mwmem[-1]} KiB), ndpiReader ${nd[-1]} s (${ndmem[-1]} KiB)"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mws=$(median "${mw[@]}"); nds=$(median "${nd[@]}")
mwm=$(median "${mwmem[@]}"); ndm=$(median "${ndmem[@]}")
awk -v p="$packets" -v b="$bytes" -v mw="$mws" -v nd="$nds" -v mwm="$mwm" -v ndm="$ndm" 'BEGIN{
  printf "| tool | median s | packets/s | Gbit/s | peak RSS MiB |\n|---|---|---|---|---|\n";
  printf "| minewatch scan | %.2f | %.2f M | %.2f | %.0f |\n", mw, p/mw/1e6, b*8/mw/1e9, mwm/1024;
  printf "| ndpiReader | %.2f | %.2f M | %.2f | %.0f |\n", nd, p/nd/1e6, b*8/nd/1e9, ndm/1024;
  printf "\nminewatch / ndpiReader packets/s: %.2fx\n", nd/mw }'
