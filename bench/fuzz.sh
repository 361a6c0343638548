#!/usr/bin/env bash
# Fuzzes MineWatch's readers with Jazzer (docs/fuzzing.md).
#
#   bench/fuzz.sh --list                    # every fuzz target, as Class#method
#   bench/fuzz.sh TARGET [SECONDS]          # fuzz one target (default 60 s), e.g. LogReaderFuzzTest#lines
#   bench/fuzz.sh all [SECONDS]             # fuzz every target in turn (.ci/run: 10 s each)
#
# A target is an @FuzzTest method in a module's test tree. Its inputs directory
# (src/test/resources/<package>/<Class>Inputs/<method>/) holds the seeds and the regression inputs
# that every `./mvnw verify` replays; the corpus a run grows is kept in <module>/.cifuzz-corpus/
# (not committed). A crash, timeout or out-of-memory input is written into the inputs directory by
# Jazzer: this script then prints its path and its bytes (base64, to recover it from a CI log) and
# exits 1. The input stays there, so once the reader is fixed it is replayed by every build.
#
# Environment: FUZZ_HEAP (default 512m: an input that needs more is a finding), FUZZ_TIMEOUT
# (seconds one input may take, default 10), MVN_FLAGS (extra Maven flags, e.g. -o).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' minewatch-*/src/test/java | sort | while read -r f; do
    cls=$(basename "$f" .java)
    # The method after each @FuzzTest annotation.
    awk '/@FuzzTest/ {want=1; next} want && /void [a-zA-Z0-9_]+\(/ {
      match($0, /void [a-zA-Z0-9_]+\(/); print substr($0, RSTART + 5, RLENGTH - 6); want=0 }' "$f" |
      while read -r m; do echo "$cls#$m"; done
  done
}

# The test source of a target's class: module and package follow from its path.
source_of() {
  local cls=${1%%#*}
  local found
  found=$(find minewatch-*/src/test/java -name "$cls.java" | head -1)
  if [ -z "$found" ]; then
    echo "no fuzz test class $cls (bench/fuzz.sh --list names them)" >&2
    exit 2
  fi
  echo "$found"
}

fuzz_one() {
  local target=$1 seconds=$2
  local cls=${target%%#*} method=${target#*#}
  if [ "$method" = "$target" ] || [ -z "$method" ]; then
    echo "target $target: give it as Class#method (bench/fuzz.sh --list)" >&2
    exit 2
  fi
  local src module pkgdir inputs
  src=$(source_of "$target")
  module=${src%%/*}
  pkgdir=$(dirname "${src#"$module"/src/test/java/}")
  inputs="$module/src/test/resources/$pkgdir/${cls}Inputs/$method"
  local before
  before=$(mktemp)
  ls "$inputs" 2>/dev/null | sort > "$before" || true
  echo "== fuzzing $target for ${seconds}s ($module)"
  local status=0
  # shellcheck disable=SC2086
  JAZZER_FUZZ=1 ./mvnw -B -q -ntp ${MVN_FLAGS:-} -pl "$module" -am test \
      -Dtest="$cls#$method" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="${seconds}s" \
      -Djunit.jupiter.execution.timeout.mode=disabled \
      -Djunit.jupiter.execution.timeout.testtemplate.method.default="${FUZZ_TIMEOUT:-10}s" \
      -Djacoco.skip=true -Dtest.heap="${FUZZ_HEAP:-512m}" > "$log_dir/$cls-$method.log" 2>&1 || status=$?
  local found=()
  while read -r name; do
    case "$name" in
      crash-*|timeout-*|oom-*|slow-unit-*|leak-*) found+=("$inputs/$name") ;;
    esac
  done < <(ls "$inputs" 2>/dev/null | sort | comm -13 "$before" -)
  rm -f "$before"
  grep -E '^#[0-9]+.*(DONE|pulse|REDUCE|NEW)' "$log_dir/$cls-$method.log" | tail -1 || true
  if [ ${#found[@]} -gt 0 ] || [ "$status" -ne 0 ]; then
    echo "FUZZ FINDING in $target (log: $log_dir/$cls-$method.log):" >&2
    grep -E 'FuzzTestFindingException|^Caused by|^== Java Exception|ERROR: libFuzzer|^\s+at org\.minewatch' \
      "$log_dir/$cls-$method.log" \
      | head -20 >&2 || true
    for f in "${found[@]}"; do
      echo "  input kept as regression input: $f" >&2
      echo "  base64: $(base64 -w0 "$f")" >&2
    done
    [ ${#found[@]} -gt 0 ] || tail -40 "$log_dir/$cls-$method.log" >&2
    return 1
  fi
  return 0
}

case "${1:-}" in
  ""|-h|--help)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
  --list)
    targets
    exit 0
    ;;
esac

seconds=${2:-60}
log_dir=${FUZZ_LOG_DIR:-$root/target/fuzz-logs}
mkdir -p "$log_dir"
if [ "$1" = all ]; then
  failed=()
  while read -r t; do
    fuzz_one "$t" "$seconds" || failed+=("$t")
  done < <(targets)
  if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
  fi
  echo "fuzzing: $(targets | wc -l) targets, ${seconds}s each, no findings"
else
  fuzz_one "$1" "$seconds"
fi
