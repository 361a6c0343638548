#!/usr/bin/env bash
# Builds the benchmark captures under bench/work/ (not committed) from ../shared/corpus:
# bench-1g.pcap, every Ethernet capture of the nDPI corpus concatenated (mergecap -a) and repeated
# to about 1 GB; with --4g also bench-4g.pcap, that file four times. Prints nothing if they exist.
#
#   bench/build-capture.sh [SHARED_DIR] [--4g]
#
# Needs: mergecap and capinfos (Debian wireshark-common).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${1:-$here/../../shared}
work=$here/work
mkdir -p "$work"
for tool in mergecap capinfos; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wireshark-common)" >&2; exit 2; }
done
[ -d "$shared/corpus/ndpi" ] || { echo "no $shared/corpus/ndpi: give the shared directory" >&2; exit 2; }

big=$work/bench-1g.pcap
if [ ! -f "$big" ]; then
  # Ethernet captures only, so that one classic pcap holds them all (and libpcap reads it).
  list=$work/ethernet-captures.txt
  : > "$list"
  for f in "$shared"/corpus/ndpi/other/*.pcap "$shared"/corpus/ndpi/other/*.pcapng "$shared"/corpus/ndpi/other/*.cap \
           "$shared"/corpus/ndpi/mining/*.pcap "$shared"/corpus/ndpi/mining/*.pcapng; do
    enc=$(capinfos -T -E -r "$f" 2>/dev/null | awk -F'\t' 'NR==1{print $2}' || true)
    [ "$enc" = "ether" ] && echo "$f" >> "$list"
  done
  xargs -a "$list" -d '\n' mergecap -a -F pcap -w "$work/base.pcap" 2>/dev/null || true
  base_size=$(stat -c %s "$work/base.pcap")
  copies=$(( (1000000000 + base_size - 1) / base_size ))
  args=()
  for _ in $(seq "$copies"); do args+=("$work/base.pcap"); done
  mergecap -a -F pcap -w "$big" "${args[@]}"
  echo "built $big from $(wc -l < "$list") Ethernet captures x $copies: $(stat -c %s "$big") bytes" >&2
fi

if [ "${2:-}" = "--4g" ] && [ ! -f "$work/bench-4g.pcap" ]; then
  mergecap -a -F pcap -w "$work/bench-4g.pcap" "$big" "$big" "$big" "$big"
  echo "built $work/bench-4g.pcap: $(stat -c %s "$work/bench-4g.pcap") bytes" >&2
fi
