#!/usr/bin/env bash
# Side-by-side word2vec benchmark: wembed vs gensim vs fastText, same corpus and
# hyperparameters, one after another, each run timed with /usr/bin/time -v and
# its vectors scored with gensim (shared/tools/evalvec.py).
#
#   bench/word2vec_bench.sh                      # all models, all tools, 1 run
#   RUNS=3 MODELS="sg-ns cbow-ns" TOOLS="wembed wembed-pair gensim" bench/word2vec_bench.sh
#   WEMBED_BASE=/path/to/old/wembed TOOLS="wembed-base wembed" ...   # A/B two builds
#   LINES_CORPUS=1 ...   # the same corpus cut into lines of 5-35 words (one sentence a line)
#   (wembed-pair: skip-gram + ns and CBOW + ns with --update pair instead of the default
#    blocks (HogBatch; CBOW's blocks of positions far apart);
#    wembed-global: CBOW with --lr-schedule global (word2vec.c's decay) instead of its
#    default per-thread decay (gensim corpus_file's); wembed-pt: skip-gram with
#    --lr-schedule per-thread instead of its default global decay)
#
# Run r of every tool uses random seed r (initial vectors, sampling), so RUNS=3
# gives three independent samples per tool rather than one seed's luck three times.
# FIRST=n numbers the runs (and seeds) from n, to add runs to an earlier set.
#
# Corpus: first 10^8 bytes of shared/data/corpus/big.txt.xz (17.2M tokens).
# Hyperparameters: dim 100, window 5, negative 5, sample 1e-4, min-count 5,
# 5 epochs, alpha 0.025 (skip-gram) / 0.05 (CBOW), THREADS threads (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$here/data
results=${RESULTS:-$here/results}
RUNS=${RUNS:-1}
FIRST=${FIRST:-1}
THREADS=${THREADS:-2}
MODELS=${MODELS:-"sg-ns cbow-ns sg-hs cbow-hs"}
TOOLS=${TOOLS:-"wembed gensim fasttext"}
WEMBED=${WEMBED:-$root/build/wembed}
WEMBED_BASE=${WEMBED_BASE:-}  # wembed-base: another build (its own defaults), for A/B runs
EXTRA=${WEMBED_EXTRA:-}
PY=/usr/bin/python3

need=()
command -v fasttext >/dev/null || need+=(fasttext)
$PY -c "import gensim" 2>/dev/null || need+=(python3-gensim)
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
if [ "${LINES_CORPUS:-0}" = 1 ]; then
  # The same words cut into lines of 5-35 words (19.8 on average), as a corpus
  # with one sentence a line: CBOW's blocks then gather short sentences.
  lines=$data/text100M-lines.txt
  if [ ! -s "$lines" ] || [ "$lines" -ot "$corpus" ]; then
    awk 'BEGIN {srand(7)} {i = 1; while (i <= NF) {n = 5 + int(rand() * 31); s = $i
         for (j = i + 1; j < i + n && j <= NF; j++) s = s " " $j; print s; i += n}}' "$corpus" > "$lines.part"
    mv "$lines.part" "$lines"
  fi
  corpus=$lines
fi
analogy=$shared/data/eval/questions-words.txt
ws=$shared/data/eval/ws353.tsv
tokens=$(wc -w < "$corpus")
stamp=$(date +%Y%m%d-%H%M%S)
kind=word2vec; [ "${LINES_CORPUS:-0}" = 1 ] && kind=word2vec-lines
tsv=$results/$kind-$stamp.tsv
vocab=$data/text100M.vocab
[ -s "$vocab" ] || "$WEMBED" vocab --input "$corpus" --output "$vocab" --min-count 5 --quiet
printf 'tool\tmodel\trun\twall_s\tpeak_rss_mb\twords_per_s\tanalogy\tws353\tanalogy_same_order\n' > "$tsv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_one() {  # tool model run
  local tool=$1 model=$2 run=$3 arch=${2%-*} loss=${2#*-} out=$work/$1-$2.bin fmt=--binary
  local alpha=0.025; [ "$arch" = cbow ] && alpha=0.05
  local cmd
  case $tool in
    wembed|wembed-base|wembed-pair|wembed-pt|wembed-global)
      # wembed: defaults (HogBatch for sg-ns, blocks for cbow-ns; per-thread lr decay for CBOW, global for
      # skip-gram); wembed-pair: word2vec's per-pair updates (sg-ns and cbow-ns only); wembed-global / wembed-pt: the other
      # learning-rate schedule (CBOW / skip-gram only)
      local m=skipgram; [ "$arch" = cbow ] && m=cbow
      local upd=()
      [ "$tool" = wembed-pair ] && upd=(--update pair)
      [ "$tool" = wembed-pt ] && upd=(--lr-schedule per-thread)
      [ "$tool" = wembed-global ] && upd=(--lr-schedule global)
      [ "$tool" = wembed-pair ] && [ "$model" != sg-ns ] && [ "$model" != cbow-ns ] && return 0
      [ "$tool" = wembed-pt ] && [ "$arch" = cbow ] && return 0
      [ "$tool" = wembed-global ] && [ "$arch" != cbow ] && return 0
      local bin=$WEMBED
      if [ "$tool" = wembed-base ]; then
        [ -n "$WEMBED_BASE" ] || { echo "bench: wembed-base needs WEMBED_BASE=binary" >&2; return 1; }
        bin=$WEMBED_BASE
      fi
      cmd=("$bin" train --model "$m" --loss "$loss" --input "$corpus" --output "$out" --dim 100 --window 5
           --negative 5 --sample 1e-4 --min-count 5 --epochs 5 --alpha "$alpha" --threads "$THREADS" --quiet
           --seed "$run" "${upd[@]}" $EXTRA) ;;
    gensim)
      cmd=($PY "$here/gensim_w2v.py" "$corpus" "$out" "$arch" "$loss" "$THREADS" "$run") ;;
    fasttext)
      local m=skipgram; [ "$arch" = cbow ] && m=cbow
      local l=ns; [ "$loss" = hs ] && l=hs
      cmd=(fasttext "$m" -input "$corpus" -output "$work/ft" -dim 100 -ws 5 -neg 5 -t 1e-4 -minCount 5 -epoch 5
           -lr "$alpha" -thread "$THREADS" -seed "$run" -minn 0 -maxn 0 -loss "$l" -verbose 0)
      out=$work/ft.vec; fmt= ;;
  esac
  /usr/bin/time -v -o "$work/time" "${cmd[@]}" > "$work/log" 2>&1 || { echo "bench: $tool $model failed:" >&2; tail -5 "$work/log" >&2; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  local ev
  ev=$($PY "$shared/tools/evalvec.py" "$out" $fmt --analogy "$analogy" --sim "$ws")
  local acc rho
  acc=$(echo "$ev" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["analogy:questions-words.txt"]["acc"])')
  rho=$(echo "$ev" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["sim:ws353.tsv"]["spearman"])')
  local same
  same=$($PY "$here/eval_same_order.py" "$out" $fmt --vocab "$vocab" --analogy "$analogy" |
         $PY -c 'import json,sys; print(json.load(sys.stdin)["acc"])')
  local wps
  wps=$(awk -v t="$tokens" -v w="$wall" 'BEGIN {printf "%.0f", 5 * t / w}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$model" "$run" "$wall" "$rss" "$wps" "$acc" "$rho" "$same" | tee -a "$tsv"
  rm -f "$work"/ft.* "$out"
}

echo "bench: $tokens tokens, $THREADS threads, $RUNS run(s); results in $tsv" >&2
for run in $(seq "$FIRST" $((FIRST + RUNS - 1))); do
  for model in $MODELS; do
    for tool in $TOOLS; do
      run_one "$tool" "$model" "$run"
    done
  done
done

# Medians per tool x model, and wall-time ratio wembed / peer.
$PY - "$tsv" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
groups = {}
for r in rows:
    groups.setdefault((r["model"], r["tool"]), []).append(r)
print()
print("| model | tool | runs | wall s (median) | words/s | peak RSS MB | analogy | analogy, same questions | WS353 | wembed/this wall (pairwise median) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (model, tool), rs in sorted(groups.items()):
    med = lambda k: st.median(float(r[k]) for r in rs)
    w = {r["run"]: float(r["wall_s"]) for r in groups.get((model, "wembed"), [])}
    pairs = [w[r["run"]] / float(r["wall_s"]) for r in rs if r["run"] in w]
    ratio = st.median(pairs) if pairs else float("nan")
    same = [float(r["analogy_same_order"]) for r in rs if r.get("analogy_same_order")]
    same_s = f"{100*st.median(same):.1f}%" if same else "-"
    print(f"| {model} | {tool} | {len(rs)} | {med('wall_s'):.1f} | {med('words_per_s'):,.0f} | {med('peak_rss_mb'):.0f} | "
          f"{100*med('analogy'):.1f}% | {same_s} | {med('ws353'):.3f} | {ratio:.2f} |")
PY
