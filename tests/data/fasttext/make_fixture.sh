#!/usr/bin/env bash
# Makes the fastText fixture of tests/vectors/formats/test_fasttext.cc with the
# Debian package fasttext (0.9.2): tiny.bin, a skip-gram model trained on the
# first 8 KB of corpora/wiki-small.txt.gz and three lines holding UTF-8 words
# (one thread: fastText is then deterministic), and tiny.words.txt, what
# `fasttext print-word-vectors` prints for the words of words.txt: words of the
# model, words it never saw (inflections, misspellings, UTF-8) and "</s>".
# Also sup.bin, a supervised model (two labels, word bigrams, no character
# n-grams), and sup.ftz, the same quantized with a cutoff (pruned).
# Run from anywhere; rewrites tiny.bin, tiny.words.txt, sup.bin and sup.ftz.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  head -c 8000 < <(zcat ../../../corpora/wiki-small.txt.gz) | sed 's/ [a-z]*$//'
  for i in 1 2 3; do echo "en été la naïve philosophie du café"; done
} > "$tmp/tiny.txt"
fasttext skipgram -input "$tmp/tiny.txt" -output "$tmp/tiny" -dim 8 -minn 3 -maxn 5 -bucket 5000 -epoch 1 \
  -minCount 1 -thread 1 -verbose 0
cp "$tmp/tiny.bin" tiny.bin
fasttext print-word-vectors tiny.bin < words.txt > tiny.words.txt
for i in $(seq 1 40); do
  echo "__label__a good fine nice great day $i"
  echo "__label__b bad awful poor sad day $i"
done > "$tmp/sup.txt"
fasttext supervised -input "$tmp/sup.txt" -output "$tmp/sup" -dim 8 -epoch 2 -wordNgrams 2 -bucket 1000 -thread 1 \
  -verbose 0
cp "$tmp/sup.bin" sup.bin
fasttext quantize -input "$tmp/sup.txt" -output "$tmp/sup" -dsub 2 -cutoff 300 -verbose 0
cp "$tmp/sup.ftz" sup.ftz
