#!/usr/bin/env bash
# train --phrases (issue 20) on the benchmark corpus: wembed phrases counts the
# table (min-count 5, threshold 10, default scoring) and writes the phrased
# text; skip-gram-NS (bench/word2vec_bench.sh's settings, seed 1) is trained on
# that text, on the corpus with --phrases TABLE (no phrased copy), and on the
# corpus unphrased. Prints wall and peak RSS (/usr/bin/time -v), the
# vocabulary size, analogy and WS353 (shared/tools/evalvec.py) of each, and
# whether the two phrased vocabularies are the same file.
#
#   bench/phrases_train_bench.sh            # THREADS=2 by default
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
W=${WEMBED:-$root/build/wembed}
C=${CORPUS:-$here/data/text100M.txt}
THREADS=${THREADS:-2}
PY=/usr/bin/python3
[ -f "$C" ] || { echo "bench: $C is missing: run bench/word2vec_bench.sh once (it extracts it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
common=(--model skipgram --loss ns --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5
        --threads "$THREADS" --alpha 0.025 --seed 1 --quiet)
ev() {
  $PY "$shared/tools/evalvec.py" "$1" --binary --analogy "$shared/data/eval/questions-words.txt" \
      --sim "$shared/data/eval/ws353.tsv" |
    $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["analogy:questions-words.txt"]["acc"], d["sim:ws353.tsv"]["spearman"])'
}
tm() { awk -F': ' '/Elapsed \(wall clock\)/ {w=$2} /Maximum resident/ {r=$2/1024} END {printf "wall %s rss %.0fMB", w, r}' "$1"; }
/usr/bin/time -v -o t.phrases "$W" phrases --input "$C" --output phrased.txt --save-phrases table.tsv -q
echo "phrases: $(tm t.phrases) phrases $(grep -vc '^#' table.tsv)"
/usr/bin/time -v -o t.file "$W" train --input phrased.txt --output file.bin --save-vocab file.vocab "${common[@]}"
echo "train on phrased.txt: $(tm t.file) vocab $(wc -l < file.vocab) analogy/ws353 $(ev file.bin)"
/usr/bin/time -v -o t.fly "$W" train --input "$C" --phrases table.tsv --output fly.bin --save-vocab fly.vocab "${common[@]}"
echo "train --phrases: $(tm t.fly) vocab $(wc -l < fly.vocab) analogy/ws353 $(ev fly.bin)"
if cmp -s file.vocab fly.vocab; then echo "vocabularies identical"; else echo "vocabularies DIFFER"; fi
/usr/bin/time -v -o t.plain "$W" train --input "$C" --output plain.bin "${common[@]}"
echo "train unphrased: $(tm t.plain) analogy/ws353 $(ev plain.bin)"
