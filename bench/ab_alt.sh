#!/usr/bin/env bash
# A/B of two wembed builds with THREADS threads each (as the benchmark runs),
# one after the other, alternating A, B, A, B: bench/ab_pair.sh runs one
# thread of each at the same time, which cannot see what threads of one
# process cost each other (cache lines that travel between cores). The
# machine's speed drifts over minutes, so each pair's wall ratio B / A is
# taken from two runs a few seconds apart; prints the pairs and the median.
# Settings of bench/word2vec_bench.sh (dim 100, window 5, negative 5, sample
# 1e-4, min-count 5), EPOCHS (1) epochs.
#
#   bench/ab_alt.sh OLD/wembed build/wembed             # cbow-ns cbow-hs sg-ns sg-hs, 4 pairs each
#   MODELS=cbow-hs PAIRS=6 EPOCHS=2 bench/ab_alt.sh A B
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: bench/ab_alt.sh WEMBED_A WEMBED_B" >&2; exit 2; }
A=$1 B=$2
BYTES=${BYTES:-100000000}
EPOCHS=${EPOCHS:-1}
PAIRS=${PAIRS:-4}
THREADS=${THREADS:-2}
MODELS=${MODELS:-"cbow-ns cbow-hs sg-ns sg-hs"}
corpus=$here/data/text100M.txt
[ -s "$corpus" ] || { echo "ab_alt: $corpus missing (run bench/word2vec_bench.sh once to make it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$BYTES" "$corpus" > "$work/corpus.txt"
run() {  # binary model loss seed tag
  local m=skipgram alpha=0.025
  [ "$2" = cbow ] && m=cbow alpha=0.05
  /usr/bin/time -f '%e' -o "$work/$5.t" "$1" train --model "$m" --loss "$3" --input "$work/corpus.txt" \
    --output "$work/$5.bin" --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs "$EPOCHS" \
    --alpha "$alpha" --threads "$THREADS" --seed "$4" --quiet
}
printf 'model\tpair\twall_s_a\twall_s_b\tb_over_a\n'
for model in $MODELS; do
  arch=${model%-*} loss=${model#*-}
  for p in $(seq "$PAIRS"); do
    run "$A" "$arch" "$loss" "$p" a
    run "$B" "$arch" "$loss" "$p" b
    awk -v m="$model" -v p="$p" -v a="$(cat "$work/a.t")" -v b="$(cat "$work/b.t")" \
      'BEGIN {printf "%s\t%d\t%.2f\t%.2f\t%.3f\n", m, p, a, b, b / a}'
  done
done | tee "$work/out"
for model in $MODELS; do
  awk -F'\t' -v m="$model" '$1 == m {print $5}' "$work/out" | sort -n |
    awk -v m="$model" '{v[NR] = $1} END {printf "%s: B/A median %.3f over %d pairs\n", m, v[int((NR + 1) / 2)], NR}'
done
