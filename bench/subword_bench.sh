#!/usr/bin/env bash
# Side-by-side subword (fastText model) benchmark: wembed vs fastText vs gensim FastText,
# same corpus and hyperparameters, one after another, each run timed with
# /usr/bin/time -v and its model (a fastText .bin from every tool) scored the same way
# with gensim's load_facebook_vectors (shared/tools/evalft.py): analogy accuracy (top 30k,
# semantic/syntactic), WS353 over in-vocabulary pairs, and WS353 over all pairs with
# unseen words composed from their n-grams.
#
#   bench/subword_bench.sh                                  # sg and cbow, all tools, 1 run
#   RUNS=3 MODELS="sg" TOOLS="wembed fasttext" bench/subword_bench.sh
#   TSV=bench/results/subword-X.tsv FIRST=2 ...             # add runs to an earlier table
#   WEMBED_EXTRA="--update batch" TOOLS=wembed ...          # wembed with other settings
#
# Run r of every tool uses random seed r. Corpus: first 10^8 bytes of
# shared/data/corpus/big.txt.xz (17.2M tokens). Hyperparameters: dim 100, window 5,
# negative 5, sample 1e-4, min-count 5, 5 epochs, minn 3, maxn 6, bucket 2,000,000,
# alpha 0.025 (skip-gram) / 0.05 (CBOW), THREADS threads (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$here/data
results=${RESULTS:-$here/results}
RUNS=${RUNS:-1}
FIRST=${FIRST:-1}
THREADS=${THREADS:-2}
MODELS=${MODELS:-"sg cbow"}
TOOLS=${TOOLS:-"wembed fasttext gensim"}
WEMBED=${WEMBED:-$root/build/wembed}
EXTRA=${WEMBED_EXTRA:-}
PY=/usr/bin/python3

need=()
command -v fasttext >/dev/null || need+=(fasttext)
$PY -c "import gensim, scipy" 2>/dev/null || need+=(python3-gensim python3-scipy)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "bench: install ${need[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$data" "$results"
corpus=$data/text100M.txt
if [ ! -s "$corpus" ] || [ "$(stat -c %s "$corpus")" -ne 100000000 ]; then
  echo "bench: preparing $corpus (first 10^8 bytes of big.txt.xz)" >&2
  xz -dc "$shared/data/corpus/big.txt.xz" | head -c 100000000 > "$corpus.part" || true
  mv "$corpus.part" "$corpus"
fi
analogy=$shared/data/eval/questions-words.txt
ws=$shared/data/eval/ws353.tsv
tokens=$(wc -w < "$corpus")
tsv=${TSV:-$results/subword-$(date +%Y%m%d-%H%M%S).tsv}
[ -s "$tsv" ] || printf 'tool\tmodel\trun\twall_s\tpeak_rss_mb\twords_per_s\tanalogy\tsemantic\tsyntactic\tws353\tws353_all\toov_pairs\n' > "$tsv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_one() {  # tool model run
  local tool=$1 model=$2 run=$3 out=$work/model.bin
  local alpha=0.025 m=skipgram; [ "$model" = cbow ] && alpha=0.05 m=cbow
  local cmd
  case $tool in
    wembed)
      cmd=("$WEMBED" train --model "$m" --input "$corpus" --output "$out" --format fasttext --dim 100 --window 5
           --negative 5 --sample 1e-4 --min-count 5 --epochs 5 --alpha "$alpha" --minn 3 --maxn 6 --bucket 2000000
           --threads "$THREADS" --seed "$run" --quiet $EXTRA) ;;
    fasttext)
      cmd=(fasttext "$m" -input "$corpus" -output "$work/model" -dim 100 -ws 5 -neg 5 -t 1e-4 -minCount 5 -epoch 5
           -lr "$alpha" -minn 3 -maxn 6 -bucket 2000000 -thread "$THREADS" -seed "$run" -verbose 0) ;;
    gensim)
      cmd=($PY "$here/gensim_ft.py" "$corpus" "$out" "${model}" "$THREADS" "$run") ;;
  esac
  /usr/bin/time -v -o "$work/time" "${cmd[@]}" > "$work/log" 2>&1 || { echo "bench: $tool $model failed:" >&2; tail -5 "$work/log" >&2; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  local ev
  ev=$($PY "$shared/tools/evalft.py" "$out" --analogy "$analogy" --sim "$ws")
  local scores
  scores=$(echo "$ev" | $PY -c 'import json,sys; d=json.load(sys.stdin); a=d["analogy:questions-words.txt"]; s=d["sim:ws353.tsv"]
print("\t".join(str(x) for x in (a["acc"], a["sem"], a["syn"], s["spearman_invocab"], s["spearman_all"], s["oov_pairs"])))')
  local wps
  wps=$(awk -v t="$tokens" -v w="$wall" 'BEGIN {printf "%.0f", 5 * t / w}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$model" "$run" "$wall" "$rss" "$wps" "$scores" | tee -a "$tsv"
  rm -f "$work"/model.*
}

echo "bench: $tokens tokens, $THREADS threads, $RUNS run(s); results in $tsv" >&2
for run in $(seq "$FIRST" $((FIRST + RUNS - 1))); do
  for model in $MODELS; do
    for tool in $TOOLS; do
      run_one "$tool" "$model" "$run"
    done
  done
done

# Medians per tool x model, and the wall-time ratio wembed / peer over the runs both made.
$PY - "$tsv" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
groups = {}
for r in rows:
    groups.setdefault((r["model"], r["tool"]), []).append(r)
print()
print("| model | tool | runs | wall s (median) | words/s | peak RSS MB | analogy | semantic | syntactic | WS353 | WS353 all pairs | wembed/this wall |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
def num(v, pct):  # NA: not measured; tables filled by hand hold percentages
    if v in ("NA", ""):
        return None
    x = float(v)
    return x / 100 if pct and x > 1 else x
for (model, tool), rs in sorted(groups.items()):
    def med(k):
        xs = [x for x in (num(r[k], k in ("analogy", "semantic", "syntactic")) for r in rs) if x is not None]
        return st.median(xs) if xs else float("nan")
    w = {r["run"]: float(r["wall_s"]) for r in groups.get((model, "wembed"), [])}
    pairs = [w[r["run"]] / float(r["wall_s"]) for r in rs if r["run"] in w]
    ratio = f"{st.median(pairs):.3f}" if pairs else "-"
    print(f"| {model} | {tool} | {len(rs)} | {med('wall_s'):.1f} | {med('words_per_s'):,.0f} | {med('peak_rss_mb'):.0f} | "
          f"{100*med('analogy'):.1f}% | {100*med('semantic'):.1f}% | {100*med('syntactic'):.1f}% | {med('ws353'):.3f} | "
          f"{med('ws353_all'):.3f} | {ratio} |")
PY
