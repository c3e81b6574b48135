#!/usr/bin/env bash
# Does the order of a vocabulary's ties change hierarchical softmax? wembed trained
# over its own vocabulary order and over gensim's (--read-vocab of gensim's vocabulary,
# bench/gensim_vocab.py), beside gensim itself, on the benchmark corpus with the
# word2vec benchmark's settings; each run scored with shared/tools/evalvec.py.
#
#   bench/vocab_order_bench.sh                         # CBOW-HS, 1 thread, seeds 1-6
#   MODEL=sg LOSS=hs THREADS=2 SEEDS="1 2 3" TOOLS="own gensim-order" bench/vocab_order_bench.sh
#
# TOOLS: own (wembed, its vocabulary), gensim-order (wembed, gensim's vocabulary
# order), gensim (gensim 4 itself). Results: bench/results/vocab-order-STAMP.tsv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
WEMBED=${WEMBED:-$root/build/wembed}
MODEL=${MODEL:-cbow}
LOSS=${LOSS:-hs}
THREADS=${THREADS:-1}
SEEDS=${SEEDS:-"1 2 3 4 5 6"}
TOOLS=${TOOLS:-"own gensim-order gensim"}
PY=/usr/bin/python3
for tool in $TOOLS; do
  case $tool in own|gensim-order|gensim) ;; *) echo "vocab_order_bench: unknown tool '$tool' (own, gensim-order, gensim)" >&2; exit 2 ;; esac
done
[ -x "$WEMBED" ] || { echo "vocab_order_bench: no wembed binary at $WEMBED (make build, or WEMBED=...)" >&2; exit 1; }
data=$here/data
mkdir -p "$data"
corpus=$data/text100M.txt
if [ ! -s "$corpus" ] || [ "$(stat -c %s "$corpus")" -ne 100000000 ]; then
  xz -dc "$shared/data/corpus/big.txt.xz" | head -c 100000000 > "$corpus.part" || true
  mv "$corpus.part" "$corpus"
fi
$PY -c "import gensim" 2>/dev/null || { echo "vocab_order_bench: needs gensim (apt-get install python3-gensim)" >&2; exit 1; }
gvocab=$data/text100M.gensim.vocab
if [ ! -s "$gvocab" ]; then
  $PY "$here/gensim_vocab.py" "$corpus" "$gvocab.part"
  mv "$gvocab.part" "$gvocab"
fi
mkdir -p "$here/results"
tsv=$here/results/vocab-order-$(date +%Y%m%d-%H%M%S).tsv
printf 'tool\tmodel\tthreads\tseed\twall_s\tanalogy\tws353\n' > "$tsv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
alpha=0.025; [ "$MODEL" = cbow ] && alpha=0.05
m=skipgram; [ "$MODEL" = cbow ] && m=cbow
for seed in $SEEDS; do
  for tool in $TOOLS; do
    out=$work/v.bin
    case $tool in
      own|gensim-order)
        voc=(); [ "$tool" = gensim-order ] && voc=(--read-vocab "$gvocab")
        cmd=("$WEMBED" train --model "$m" --loss "$LOSS" --input "$corpus" --output "$out" "${voc[@]}" --dim 100
             --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5 --alpha "$alpha" --threads "$THREADS"
             --seed "$seed" --quiet) ;;
      gensim) cmd=($PY "$here/gensim_w2v.py" "$corpus" "$out" "$MODEL" "$LOSS" "$THREADS" "$seed") ;;
    esac
    s=$(date +%s.%N)
    "${cmd[@]}"
    wall=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
    ev=$($PY "$shared/tools/evalvec.py" "$out" --binary --analogy "$shared/data/eval/questions-words.txt" \
         --sim "$shared/data/eval/ws353.tsv")
    scores=$(echo "$ev" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["analogy:questions-words.txt"]["acc"], d["sim:ws353.tsv"]["spearman"], sep="\t")')
    printf '%s\t%s-%s\t%s\t%s\t%s\t%s\n' "$tool" "$MODEL" "$LOSS" "$THREADS" "$seed" "$wall" "$scores" | tee -a "$tsv"
    rm -f "$out"
  done
done
echo "vocab_order_bench: $tsv" >&2
