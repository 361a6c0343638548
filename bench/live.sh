#!/usr/bin/env bash
# Live capture at set packet rates: `./minewatch watch` (the launcher, as a user runs it) on one end
# of a veth pair in a network namespace, tcpreplay sending a large capture into the other end.
#
#   bench/live.sh [--rates "50000 100000 ... topspeed"] [--seconds N] [--java HOME]
#                 [--capture auto|ring|tcpdump] [--filter EXPR] [--stages] [SHARED_DIR]
#
# For each rate: packets tcpreplay sent (its own count and rate), packets the veth end received
# (interface counters) and the kernel's backlog drops (/proc/net/softnet_stat), what the capture
# was given and dropped by the kernel (MineWatch's stop line: tcpdump's report, or the ring's
# PACKET_STATISTICS), the packets MineWatch read, whether the capture's three miners were found,
# and the CPU time MineWatch's JVM and its tcpdump had used by the end (start-up included).
# --java runs the launcher with that JDK first on PATH (Java 22+ reads the kernel's ring, Java 17
# goes through tcpdump); --capture and --filter (e.g. "len > 0", which passes every packet: the
# kernel filter's cost alone) are passed to watch.
# --stages also measures each stage without MineWatch: tcpreplay into the veth with nothing
# capturing, tcpdump writing to /dev/null, tcpdump writing to a pipe (buffered and per packet),
# and `minewatch scan` of the same packets from a file.
#
# Needs root (namespaces, capture), tcpreplay, mergecap and capinfos (wireshark-common), python3.
# The capture is built under bench/work/ as bench/throughput.sh builds it (not committed), without
# the records tcpreplay refuses (a wire length over 256 KiB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rates="50000 100000 250000 500000 750000 1000000 topspeed"
seconds=5
java_home=""
capture=auto
filter=()
stages=0
while [ $# -gt 0 ]; do
  case $1 in
    --rates) rates=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --java) java_home=$2; shift 2 ;;
    --capture) capture=$2; shift 2 ;;
    --filter) filter=(--filter "$2"); shift 2 ;;
    --stages) stages=1; shift ;;
    *) break ;;
  esac
done
shared=${1:-$root/../shared}
work=$here/work
mkdir -p "$work"
[ "$(id -u)" -eq 0 ] || { echo "bench/live.sh needs root (network namespaces, capture)" >&2; exit 2; }
for tool in tcpreplay mergecap capinfos python3 ip; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install tcpreplay wireshark-common)" >&2; exit 2; }
done

# The capture: every Ethernet capture of the corpus, the mining ones last, 29 times (~1 GB).
base=$work/live-base.pcap
big=$work/live-1g.pcap
if [ ! -f "$big" ]; then
  list=$work/ethernet-captures.txt
  : > "$list"
  for f in "$shared"/corpus/ndpi/other/*.pcap "$shared"/corpus/ndpi/other/*.pcapng "$shared"/corpus/ndpi/other/*.cap \
           "$shared"/corpus/ndpi/mining/*.pcap "$shared"/corpus/ndpi/mining/*.pcapng; do
    enc=$(capinfos -T -E -r "$f" 2>/dev/null | awk -F'\t' 'NR==1{print $2}' || true)
    [ "$enc" = "ether" ] && echo "$f" >> "$list"
  done
  xargs -a "$list" -d '\n' mergecap -a -F pcap -w "$work/live-merged.pcap" 2>/dev/null || true
  # One corpus record claims a wire length of 4 GB; tcpreplay stops at it. Leave such records out.
  python3 - "$work/live-merged.pcap" "$base" <<'EOF'
import struct, sys
src = open(sys.argv[1], 'rb').read()
out = bytearray(src[:24]); off = 24
while off + 16 <= len(src):
    cap, orig = struct.unpack_from('<II', src, off + 8)
    end = off + 16 + cap
    if end > len(src): break
    if orig <= 262144 and cap <= orig: out += src[off:end]
    off = end
open(sys.argv[2], 'wb').write(out)
EOF
  rm -f "$work/live-merged.pcap"
  args=()
  for _ in $(seq 29); do args+=("$base"); done
  mergecap -a -F pcap -w "$big" "${args[@]}"
fi
total=$(capinfos -c -M -T -r "$big" | awk -F'\t' 'NR==1{print $2}')
per_copy=$(capinfos -c -M -T -r "$base" | awk -F'\t' 'NR==1{print $2}')
jar=$root/minewatch-cli/target/minewatch.jar
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)

ns=mwlive$$
out=$work/live-$$
mkdir -p "$out"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip link del mw0-$$ 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
send=mw0-$$
ip netns add "$ns"
ip link add "$send" type veth peer name mw1 netns "$ns"
# Some corpus frames are larger than 1,500 bytes (offloaded segments): let them through.
ip link set "$send" mtu 65535 up
ip -n "$ns" link set mw1 mtu 65535 up
ip -n "$ns" link set lo up
ip link set "$send" addr 02:00:00:00:00:01   # no IPv6 router solicitations of its own in the counts
sysctl -qw "net.ipv6.conf.$send.disable_ipv6=1" || true

rx_packets() { ip netns exec "$ns" cat /sys/class/net/mw1/statistics/rx_packets; }
backlog_drops() { python3 -c '
d = 0
for line in open("/proc/net/softnet_stat"):
    d += int(line.split()[1], 16)
print(d)'; }
packets_for() { # rate -> packets to send: the rate for --seconds, at least one copy of the corpus
  local n
  if [ "$1" = topspeed ]; then n=$total; else n=$(( $1 * seconds )); fi
  [ "$n" -lt "$per_copy" ] && n=$per_copy
  [ "$n" -gt "$total" ] && n=$total
  echo "$n"
}
replay() { # rate, packets: prints "sent pps"
  local speed=(--topspeed)
  [ "$1" = topspeed ] || speed=(--pps "$1")
  tcpreplay -i "$send" "${speed[@]}" --preload-pcap --limit="$2" "$big" > "$out/tcpreplay.txt" 2>&1 || true
  awk '/Actual:/{n=$2} /Rated:/{for(i=1;i<=NF;i++) if($i=="pps") p=$(i-1)} END{printf "%d %.0f\n", n, p}' "$out/tcpreplay.txt"
}

echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/'); capture $big: $total packets, $per_copy a copy; java: ${java_home:-$(command -v java)}"

if [ "$stages" -eq 1 ]; then
  echo "## stages (no MineWatch)"
  echo "| rate | stage | sent | pps sent | received by filter | dropped by kernel | backlog drops | load |"
  echo "|---|---|---|---|---|---|---|---|"
  for rate in $rates; do
    n=$(packets_for "$rate")
    for stage in nothing tcpdump-file tcpdump-pipe tcpdump-pipe-U tcpdump-pipe-immediate; do
      case $stage in
        nothing) cmd="" ;;
        tcpdump-file) cmd="exec tcpdump -i mw1 -n -s 0 -w /dev/null" ;;
        tcpdump-pipe) cmd="tcpdump -i mw1 -n -s 0 -w - | cat > /dev/null" ;;
        tcpdump-pipe-U) cmd="tcpdump -i mw1 -n -U -s 0 -w - | cat > /dev/null" ;;
        tcpdump-pipe-immediate) cmd="tcpdump -i mw1 -n -U -s 0 --immediate-mode -w - | cat > /dev/null" ;;
      esac
      if [ -n "$cmd" ]; then
        ip netns exec "$ns" setsid sh -c "$cmd" 2> "$out/tcpdump.txt" &
        pid=$!; pids+=("$pid")
        for _ in $(seq 50); do grep -q 'listening on' "$out/tcpdump.txt" && break; sleep 0.1; done
      fi
      b0=$(backlog_drops)
      read -r sent pps < <(replay "$rate" "$n")
      sleep 1
      b1=$(backlog_drops)
      recv=-; drop=-
      if [ -n "$cmd" ]; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        recv=$(awk '/received by filter/{print $1}' "$out/tcpdump.txt")
        drop=$(awk '/dropped by kernel/{print $1}' "$out/tcpdump.txt")
      fi
      echo "| $rate | $stage | $sent | $pps | $recv | $drop | $((b1 - b0)) | $(cut -d' ' -f1 /proc/loadavg) |"
    done
  done
  # The engine alone: the same packets from a file, through the same launcher.
  slice=$out/slice.pcap
  editcap -r "$big" "$slice" "1-$(packets_for 1000000)" 2>/dev/null
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o "$out/scan.time" env ${java_home:+PATH=$java_home/bin:$PATH} \
      "$root/minewatch" scan -q -f jsonl -o /dev/null "$slice" 2> "$out/scan.txt" > /dev/null
    awk -v n="$(packets_for 1000000)" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
      '{printf "minewatch scan of the first %d packets from a file: %.2f s whole process = %.0f packets/s (load %s)\n", n, $1, n/$1, l}' "$out/scan.time"
  done
  rm -f "$slice"
fi

echo "## minewatch watch -i mw1 --capture $capture ${filter[*]}"
echo "| rate | sent | pps sent | veth received | backlog drops | received by filter | dropped by kernel | read by MineWatch | miners found (of 3) | CPU s | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for rate in $rates; do
  n=$(packets_for "$rate")
  ip netns exec "$ns" env ${java_home:+PATH=$java_home/bin:$PATH} \
    "$root/minewatch" watch -i mw1 --capture "$capture" ${filter[@]+"${filter[@]}"} -f jsonl --stats-every 0 -o "$out/findings.jsonl" > /dev/null 2> "$out/watch.txt" &
  pid=$!; pids+=("$pid")
  for _ in $(seq 100); do grep -qE 'listening on|capturing on' "$out/watch.txt" && break; sleep 0.1; done
  r0=$(rx_packets); b0=$(backlog_drops)
  read -r sent pps < <(replay "$rate" "$n")
  sleep 2 # the capture's last blocks and the engine's backlog
  r1=$(rx_packets); b1=$(backlog_drops)
  # CPU seconds (user + system) of the JVM and of tcpdump, if it runs one, before they stop.
  cpu=$(for p in "$pid" $(pgrep -P "$pid" tcpdump || true); do cut -d')' -f2 "/proc/$p/stat"; done |
    awk -v hz="$(getconf CLK_TCK)" '{t += $12 + $13} END {printf "%.1f", t / hz}')
  # ip netns exec, env and the launcher exec: $pid is the JVM. SIGTERM, as a background job
  # ignores SIGINT.
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  stop=$(grep 'stopped:' "$out/watch.txt" | tail -1)
  num() { echo "$stop" | grep -oE "[0-9,]+ $1" | head -1 | cut -d' ' -f1 | tr -d ,; }
  miners=0
  for host in 147.229.13.222 192.168.2.92 192.168.2.148; do
    grep -q "\"host\" *: *\"$host\", *\"role\" *: *\"miner\"" "$out/findings.jsonl" 2>/dev/null && miners=$((miners + 1))
  done
  echo "| $rate | $sent | $pps | $((r1 - r0)) | $((b1 - b0)) | $(num 'received by') | $(num 'dropped by') | $(num 'packets read') | $miners | $cpu | $(cut -d' ' -f1 /proc/loadavg) |"
  [ -n "$stop" ] || { echo "no stop line from minewatch:" >&2; tail -5 "$out/watch.txt" >&2; }
done
rm -rf "$out"
