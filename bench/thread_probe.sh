#!/usr/bin/env bash
# Where does the second thread go? For each model, three measurements per run,
# each from wembed's own training words/s (vocabulary pass excluded):
#   solo  one process, --threads 1, machine otherwise idle
#   two   one process, --threads 2                        -> scaling = two / solo
#   pair  two independent --threads 1 processes at once   -> what the machine
#         gives two cores that share nothing (no shared rows, no atomics):
#         machine = (pair_a + pair_b) / solo
# two / (pair_a + pair_b) is then wembed's own efficiency: 1.0 means the
# shared-memory Hogwild run loses nothing to sharing; the rest of the gap to
# 2.0 is the machine (clock, shared cache and memory bandwidth).
#
#   RUNS=3 EPOCHS=1 MODELS="sg-ns cbow-ns" bench/thread_probe.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RUNS=${RUNS:-3}
EPOCHS=${EPOCHS:-1}
MODELS=${MODELS:-"sg-ns cbow-ns"}
WEMBED=${WEMBED:-$root/build/wembed}
corpus=${CORPUS:-$here/data/text100M.txt}
vocab=$here/data/text100M.vocab
[ -s "$corpus" ] || { echo "thread_probe: $corpus missing (run bench/word2vec_bench.sh once to make it)" >&2; exit 1; }
[ -s "$vocab" ] || "$WEMBED" vocab --input "$corpus" --output "$vocab" --min-count 5 --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

train() {  # model threads tag -> prints words/s
  local arch=${1%-*} loss=${1#*-} m=skipgram alpha=0.025
  [ "$arch" = cbow ] && m=cbow && alpha=0.05
  "$WEMBED" train --model $m --loss "$loss" --input "$corpus" --read-vocab "$vocab" --output "$work/$3.bin" \
    --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs "$EPOCHS" --alpha $alpha \
    --threads "$2" > "$work/$3.log" 2>&1
  tr '\r' '\n' < "$work/$3.log" | sed -n 's/.*(\([0-9]*\) words\/s).*/\1/p' | tail -1
}

printf 'model\trun\tsolo\ttwo\tpair_a\tpair_b\tscaling\tmachine\tefficiency\n' > "$work/probe.tsv"
for run in $(seq 1 "$RUNS"); do
  for model in $MODELS; do
    solo=$(train "$model" 1 solo)
    two=$(train "$model" 2 two)
    train "$model" 1 pa > "$work/pa.wps" &
    pa_pid=$!
    pb=$(train "$model" 1 pb)
    wait $pa_pid
    pa=$(cat "$work/pa.wps")
    awk -v m="$model" -v r="$run" -v s="$solo" -v t="$two" -v a="$pa" -v b="$pb" 'BEGIN {OFS="\t";
      printf "%s\t%s\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\n", m, r, s, t, a, b, t / s, (a + b) / s, t / (a + b)}' | tee -a "$work/probe.tsv"
  done
done
/usr/bin/python3 - "$work/probe.tsv" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print()
print("| model | runs | 1 thread words/s | 2 threads words/s | scaling 2t/1t | two 1-thread jobs / 1 alone | wembed 2t / two jobs |")
print("|---|---|---|---|---|---|---|")
for m in dict.fromkeys(r["model"] for r in rows):
    rs = [r for r in rows if r["model"] == m]
    med = lambda k: st.median(float(r[k]) for r in rs)
    lst = lambda k: ", ".join(r[k] for r in rs)
    print(f"| {m} | {len(rs)} | {med('solo'):,.0f} | {med('two'):,.0f} | {med('scaling'):.2f} ({lst('scaling')}) | "
          f"{med('machine'):.2f} ({lst('machine')}) | {med('efficiency'):.2f} ({lst('efficiency')}) |")
PY
