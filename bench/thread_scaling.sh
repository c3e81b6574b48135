#!/usr/bin/env bash
# 1- vs 2-thread scaling of wembed's trainers (issue 6): each run trains every
# model with 1 thread and then with 2 threads (same corpus and hyperparameters
# as bench/word2vec_bench.sh, which does the timing and scoring), and the
# table gives the median words/s of each and their ratio.
#
#   RUNS=2 MODELS="sg-ns cbow-ns" bench/thread_scaling.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-2}
MODELS=${MODELS:-"sg-ns cbow-ns sg-hs cbow-hs"}
results=${RESULTS:-$here/results}
mkdir -p "$results"
out=$results/threads-$(date +%Y%m%d-%H%M%S).tsv
printf 'threads\ttool\tmodel\trun\twall_s\tpeak_rss_mb\twords_per_s\tanalogy\tws353\n' > "$out"
for run in $(seq 1 "$RUNS"); do
  for t in 1 2; do
    dir=$(mktemp -d)
    RESULTS=$dir RUNS=1 THREADS=$t TOOLS=wembed MODELS="$MODELS" "$here/word2vec_bench.sh" > /dev/null
    tail -n +2 "$dir"/word2vec-*.tsv | awk -v t="$t" -v r="$run" 'BEGIN {OFS="\t"} {print t, $1, $2, r, $4, $5, $6, $7, $8}' >> "$out"
    rm -rf "$dir"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| model | 1 thread words/s | 2 threads words/s | speedup (median of per-run ratios) | runs |")
print("|---|---|---|---|---|")
for m in dict.fromkeys(r["model"] for r in rows):
    w = {(r["threads"], r["run"]): float(r["words_per_s"]) for r in rows if r["model"] == m}
    runs = sorted({k[1] for k in w})
    ratios = [w[("2", r)] / w[("1", r)] for r in runs if ("1", r) in w and ("2", r) in w]
    med = lambda t: st.median(v for (tt, _), v in w.items() if tt == t)
    print(f"| {m} | {med('1'):,.0f} | {med('2'):,.0f} | {st.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)}) | {len(ratios)} |")
print(f"results: {sys.argv[1]}")
PY
