#!/usr/bin/env bash
# Continued training (issue 20): the benchmark corpus split into two halves by
# line; skip-gram-NS trained on the first half and continued on the second
# (--init, alpha 0.0125), against training on the whole corpus from scratch and
# on the second half alone. Each run timed with /usr/bin/time -v and scored
# with gensim (shared/tools/evalvec.py: analogy top 30k, WS353).
#
#   bench/continue_bench.sh              # 1 run (seed 1)
#   RUNS=3 bench/continue_bench.sh       # run r uses seed r
#   CONT_ALPHA=0.025 CONT_EPOCHS=10 BASELINES=0 bench/continue_bench.sh
#       # the continued run's --alpha (default 0.0125) and --epochs (default 5);
#       # BASELINES=0 skips the whole-corpus and second-half runs
#
# Settings as bench/word2vec_bench.sh: dim 100, window 5, negative 5, sample
# 1e-4, min-count 5, 5 epochs, alpha 0.025, THREADS threads (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$here/data
results=${RESULTS:-$here/results}
RUNS=${RUNS:-1}
THREADS=${THREADS:-2}
CONT_ALPHA=${CONT_ALPHA:-0.0125}
CONT_EPOCHS=${CONT_EPOCHS:-5}
BASELINES=${BASELINES:-1}
WEMBED=${WEMBED:-$root/build/wembed}
PY=/usr/bin/python3
corpus=$data/text100M.txt
[ -f "$corpus" ] || { echo "bench: $corpus is missing: run bench/word2vec_bench.sh once (it extracts it)" >&2; exit 1; }
[ -x "$WEMBED" ] || { echo "bench: build first (make build) or set WEMBED" >&2; exit 1; }
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines=$(wc -l < "$corpus")
head -n $((lines / 2)) "$corpus" > "$work/A.txt"
tail -n +$((lines / 2 + 1)) "$corpus" > "$work/B.txt"
tsv=$results/continue-$(date +%Y%m%d-%H%M%S).tsv
printf 'run\tsetting\twall_s\tpeak_rss_mb\tvocab\tanalogy\tws353\n' > "$tsv"
common=(--model skipgram --loss ns --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5
        --threads "$THREADS" --quiet)

one() {  # run setting output args...
  local run=$1 setting=$2 out=$3
  shift 3
  /usr/bin/time -v -o "$work/time" "$WEMBED" train "$@" --output "$out" --seed "$run" > "$work/log" 2>&1 ||
    { echo "bench: $setting failed:" >&2; tail -5 "$work/log" >&2; exit 1; }
  local wall rss ev
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  ev=$($PY "$shared/tools/evalvec.py" "$out" --binary --analogy "$shared/data/eval/questions-words.txt" \
       --sim "$shared/data/eval/ws353.tsv")
  local vocab acc rho
  vocab=$(head -c 100 "$out" | head -1 | cut -d' ' -f1)
  acc=$(echo "$ev" | $PY -c 'import json,sys; print(json.load(sys.stdin)["analogy:questions-words.txt"]["acc"])')
  rho=$(echo "$ev" | $PY -c 'import json,sys; print(json.load(sys.stdin)["sim:ws353.tsv"]["spearman"])')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$setting" "$wall" "$rss" "$vocab" "$acc" "$rho" | tee -a "$tsv"
}

echo "bench: halves of $corpus ($lines lines), $THREADS threads, $RUNS run(s); results in $tsv" >&2
for run in $(seq 1 "$RUNS"); do
  one "$run" first-half "$work/A.bin" --input "$work/A.txt" --save-model "$work/A.model" --alpha 0.025 "${common[@]}"
  one "$run" "continued-a$CONT_ALPHA-e$CONT_EPOCHS" "$work/AB.bin" --input "$work/B.txt" --init "$work/A.model" \
      --alpha "$CONT_ALPHA" --threads "$THREADS" --epochs "$CONT_EPOCHS" --quiet
  [ "$BASELINES" = 0 ] && continue
  one "$run" whole "$work/W.bin" --input "$corpus" --alpha 0.025 "${common[@]}"
  one "$run" second-half "$work/B.bin" --input "$work/B.txt" --alpha 0.025 "${common[@]}"
done
