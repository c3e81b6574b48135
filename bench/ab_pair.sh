#!/usr/bin/env bash
# A/B of two wembed builds that a busy machine cannot skew: A and B train the
# same model at the same time, one thread each, on the first BYTES of the
# benchmark corpus, so whatever else runs loads both alike. Prints each
# pair's user seconds and the median of the ratios B/A.
#
#   bench/ab_pair.sh OLD/wembed build/wembed            # cbow-ns cbow-hs sg-ns sg-hs, 3 pairs each
#   MODELS=cbow-ns PAIRS=5 bench/ab_pair.sh A B
#
# ORDER=alternate (what bench/ab_alt.sh sets) runs A, then B, with THREADS
# threads each and compares their wall times instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${AB_NAME:-ab_pair}
[ $# -eq 2 ] || { echo "usage: bench/$name.sh WEMBED_A WEMBED_B" >&2; exit 2; }
A=$1 B=$2
ORDER=${ORDER:-together}
BYTES=${BYTES:-30000000}
EPOCHS=${EPOCHS:-3}
PAIRS=${PAIRS:-3}
THREADS=${THREADS:-1}
SETTINGS=${SETTINGS:-}  # extra train flags for both builds
MODELS=${MODELS:-"cbow-ns cbow-hs sg-ns sg-hs"}
corpus=$here/data/text100M.txt
[ -s "$corpus" ] || { echo "$name: $corpus missing (run bench/word2vec_bench.sh once to make it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$BYTES" "$corpus" > "$work/corpus.txt"
measure=%U what=user
[ "$ORDER" = alternate ] && measure=%e what=wall
run() {  # binary model loss seed tag
  local m=skipgram alpha=0.025
  [ "$2" = cbow ] && m=cbow alpha=0.05
  # shellcheck disable=SC2086  # SETTINGS is a list of flags
  /usr/bin/time -f "$measure" -o "$work/$5.t" "$1" train --model "$m" --loss "$3" --input "$work/corpus.txt" \
    --output "$work/$5.bin" $SETTINGS --epochs "$EPOCHS" --alpha "$alpha" --threads "$THREADS" --seed "$4" --quiet
}
printf 'model\tpair\t%s_s_a\t%s_s_b\tb_over_a\n' "$what" "$what"
for model in $MODELS; do
  arch=${model%-*} loss=${model#*-}
  for p in $(seq "$PAIRS"); do
    if [ "$ORDER" = alternate ]; then
      run "$A" "$arch" "$loss" "$p" a
      run "$B" "$arch" "$loss" "$p" b
    else
      run "$A" "$arch" "$loss" "$p" a & run "$B" "$arch" "$loss" "$p" b & wait
    fi
    awk -v m="$model" -v p="$p" -v a="$(cat "$work/a.t")" -v b="$(cat "$work/b.t")" \
      'BEGIN {printf "%s\t%d\t%.2f\t%.2f\t%.3f\n", m, p, a, b, b / a}'
  done
done | tee "$work/out"
for model in $MODELS; do
  awk -F'\t' -v m="$model" '$1 == m {print $5}' "$work/out" | sort -n |
    awk -v m="$model" '{v[NR] = $1} END {printf "%s: B/A median %.3f over %d pairs\n", m, v[int((NR + 1) / 2)], NR}'
done
