#!/usr/bin/env bash
# Training throughput of the sentiment classifier, wembed vs the PyTorch twin, on a sample of
# IMDB (full PyTorch IMDB runs take about an hour per epoch on 2 CPU threads): the first N
# training reviews, one epoch, the same flags, THREADS threads. Measures speed only (the first
# rows of the IMDB files all carry one label). Run bench/sentiment_bench.sh first: it makes the
# vectors, the tokenized files and the OpenBLAS copy this script reuses.
#
#   N=2000 bench/sentiment_throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-$PWD/../shared/data}
N=${N:-2000}
THREADS=${THREADS:-2}
CONFIG=${CONFIG:-"--cell gru --bidirectional --pooling max --hidden 128"}
VEC=${VEC:-bench/data/vec100.vec}
S=bench/data/sentiment
[ -s "$S/imdb-train.tok" ] || { echo "run bench/sentiment_bench.sh with DATASETS=imdb first" >&2; exit 1; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
head -n "$N" "$S/imdb-train.tok" > "$W/train.tok"
head -n 300 "$S/imdb-select.tok" > "$W/dev.tok"
xz -dc "$DATA/sentiment/imdb/train.tsv.xz" | head -n $((N + 1)) > "$W/train.tsv"
xz -dc "$DATA/sentiment/imdb/dev.tsv.xz" | head -n 301 > "$W/dev.tsv"
F="$CONFIG --dropout 0.5 --batch 32 --lr 0.001 --clip 5 --max-len 400 --epochs 1 --patience 3 --seed 1"
echo "== wembed" >&2
build/wembed sentiment train --vectors "$VEC" --train "$W/train.tsv" --dev "$W/dev.tsv" --model "$W/m.model" $F \
  --threads "$THREADS" 2>&1 | tr '\r' '\n' | grep -a '^sentiment: best'
echo "== pytorch" >&2
LIB=bench/data/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
env OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" LD_LIBRARY_PATH="$LIB" /usr/bin/python3 \
  bench/sentiment_torch.py --vectors "$VEC" --train "$W/train.tok" --dev "$W/dev.tok" $F --threads "$THREADS" \
  2>&1 >/dev/null | grep -a '^torch epoch'
