#!/usr/bin/env bash
# What one negative-sampling output row costs, by row width: CBOW-NS with 1
# and 10 negatives at several dimensions, 1 thread, on the first BYTES of the
# benchmark corpus; the difference over 9 negatives gives the cost of one
# negative per kept word, in ns, next to the 64-byte lines its row spans
# (rows are padded to 16 floats). A cost that grows with the lines is bound
# by memory traffic; a flat one by latency or per-row work.
#
#   bench/row_cost.sh                  # dims 16 48 100 200, 3 epochs, first 30 MB
#   DIMS="100 200" RUNS=3 bench/row_cost.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
WEMBED=${WEMBED:-$root/build/wembed}
BYTES=${BYTES:-30000000}
EPOCHS=${EPOCHS:-3}
DIMS=${DIMS:-"16 48 100 200"}
RUNS=${RUNS:-1}
corpus=$here/data/text100M.txt
[ -s "$corpus" ] || { echo "row_cost: $corpus missing (run bench/word2vec_bench.sh once to make it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$BYTES" "$corpus" > "$work/corpus.txt"
"$WEMBED" vocab --input "$work/corpus.txt" --output "$work/vocab.txt" --quiet
kept=$(/usr/bin/python3 - "$work/vocab.txt" <<'PY'
import math, sys
c = [int(l.split()[-1]) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
t = 1e-4 * sum(c)
print(sum(min(1.0, (math.sqrt(x / t) + 1) * t / x) * x for x in c))
PY
)
user() {  # dim negatives -> user seconds (median of RUNS)
  for r in $(seq "$RUNS"); do
    /usr/bin/time -f '%U' -o "$work/t" "$WEMBED" train --model cbow --loss ns --input "$work/corpus.txt" \
      --output "$work/v.bin" --dim "$1" --negative "$2" --epochs "$EPOCHS" --threads 1 --seed 1 --quiet
    cat "$work/t"
  done | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
echo "kept words per epoch: $kept; $EPOCHS epochs, 1 thread, median of $RUNS"
printf 'dim\tlines_per_row\tuser_s_k1\tuser_s_k10\tns_per_negative\n'
for d in $DIMS; do
  a=$(user "$d" 1)
  b=$(user "$d" 10)
  awk -v d="$d" -v a="$a" -v b="$b" -v k="$kept" -v e="$EPOCHS" \
    'BEGIN {l = int((d + 15) / 16) * 16 * 4 / 64; printf "%d\t%g\t%.2f\t%.2f\t%.1f\n", d, l, a, b, (b - a) / 9 / (k * e) * 1e9}'
done
