#!/usr/bin/env bash
# A/B of two wembed builds with THREADS threads each (as the benchmark runs),
# one after the other, alternating A, B, A, B: bench/ab_pair.sh runs one
# thread of each at the same time, which cannot see what threads of one
# process cost each other (cache lines that travel between cores). The
# machine's speed drifts over minutes, so each pair's wall ratio B / A is
# taken from two runs a few seconds apart; prints the pairs and the median.
# Settings of bench/word2vec_bench.sh (dim 100, window 5, negative 5, sample
# 1e-4, min-count 5) over the benchmark corpus, EPOCHS (1) epochs.
#
#   bench/ab_alt.sh OLD/wembed build/wembed             # cbow-ns cbow-hs sg-ns sg-hs, 4 pairs each
#   MODELS=cbow-hs PAIRS=6 EPOCHS=2 bench/ab_alt.sh A B
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AB_NAME=ab_alt ORDER=alternate THREADS=${THREADS:-2} BYTES=${BYTES:-100000000} EPOCHS=${EPOCHS:-1} PAIRS=${PAIRS:-4} \
  SETTINGS="--dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5" exec "$here/ab_pair.sh" "$@"
