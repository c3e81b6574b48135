#!/usr/bin/env bash
# make demo: train skip-gram vectors on the shipped corpus and show neighbours.
set -euo pipefail
bin=${1:-build/wembed}
out=${DEMO_OUT:-build/demo}
mkdir -p "$out"
echo "== training skip-gram (negative sampling) on corpora/wiki-small.txt.gz (1.5M tokens)"
"$bin" train --model skipgram --loss ns --input corpora/wiki-small.txt.gz \
  --output "$out/vectors.bin" --save-vocab "$out/vocab.txt" \
  --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5
echo
echo "== nearest neighbours"
"$bin" neighbors "$out/vectors.bin" -k 8 king france computer music physics war
echo
echo "vectors: $out/vectors.bin (word2vec binary), vocabulary: $out/vocab.txt"
echo "query more: $bin neighbors $out/vectors.bin   (interactive)"
