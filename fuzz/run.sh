#!/usr/bin/env bash
# Runs the libFuzzer targets one after another, each for SECONDS, on its seed
# corpus (fuzz/corpus/<name>), its regression inputs (fuzz/regressions/<name>),
# with fuzz/dict/<name>.dict as a libFuzzer dictionary if there is one,
# and the inputs found in earlier runs (BUILD/fuzz-corpus/<name>, kept).
#   fuzz/run.sh BUILD SECONDS [TARGET...]      (default: every fuzz_* in BUILD/fuzz)
# A crash, sanitizer report, leak, timeout or broken invariant stops that
# target; its input is saved as BUILD/fuzz-artifacts/<name>-crash-* (copy it
# into fuzz/regressions/<name>/ once fixed). Exit status 1 if any target failed.
set -uo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build-fuzz}"
secs="${2:-60}"
shift 2 2>/dev/null || shift $#
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for b in "$build"/fuzz/fuzz_*; do [ -x "$b" ] && targets+=("${b##*/fuzz_}"); done
fi
mkdir -p "$build/fuzz-artifacts"
# Scratch files of the targets (tmpfs when there is one); removed here too,
# since a target stopped by a crash or a timeout skips its exit handlers.
scratch_base=/dev/shm
[ -d "$scratch_base" ] && [ -w "$scratch_base" ] || scratch_base="${TMPDIR:-/tmp}"
scratch=$(mktemp -d "$scratch_base/wembed-fuzz-run.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
export WEMBED_FUZZ_SCRATCH="$scratch"
failed=()
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  mkdir -p "$corpus"
  dirs=("$corpus")
  for d in "$src/fuzz/corpus/$t" "$src/fuzz/regressions/$t"; do [ -d "$d" ] && dirs+=("$d"); done
  extra=()
  [ -f "$src/fuzz/dict/$t.dict" ] && extra+=(-dict="$src/fuzz/dict/$t.dict")
  log="$build/fuzz-artifacts/$t.log"
  start=$(date +%s)
  "$build/fuzz/fuzz_$t" "${dirs[@]}" "${extra[@]}" -max_total_time="$secs" -max_len=16384 -timeout=20 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  printf 'fuzz %-13s %4ss  %10s runs  %s  %s\n' "$t" "$(( $(date +%s) - start ))" "${runs:-?}" "${cov:-}" \
      "$([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc, log $log)")"
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    grep -E 'ERROR|SUMMARY|fuzz invariant|Test unit written|==[0-9]+==' "$log" | head -20
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failed: ${failed[*]}" >&2; exit 1; }
