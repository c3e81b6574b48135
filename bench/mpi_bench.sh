#!/usr/bin/env bash
# Distributed word2vec on one machine: 1 rank x 2 threads (the plain binary)
# vs 2 ranks x 1 thread (mpirun -np 2 over loopback), same corpus and
# hyperparameters as bench/word2vec_bench.sh (first 10^8 bytes of big.txt,
# dim 100, window 5, negative 5, sample 1e-4, min-count 5, 5 epochs, alpha
# 0.025 skip-gram / 0.05 CBOW). Per run: wall time, analogy and WS353 (gensim's
# numbers, shared/tools/evalvec.py), and for the 2-rank runs what rank 0
# reports: synchronisations, MB combined per synchronisation and in all, MB
# each rank sends (a ring allreduce: 2 (N-1)/N of it), share of the time
# synchronising.
#
# MODELS=glove: GloVe with bench/glove_bench.sh's settings (min-count 5, window
# 10, dim 100, x_max 10, 15 epochs, --memory 2) in one go from the corpus
# (`train --model glove --input`: counting and training, both distributed
# under mpirun), scored with wembed eval as glove_bench.sh does (analogy on
# the 30,000 most frequent words, WS353 Spearman).
#
#   bench/mpi_bench.sh                                # all four word2vec models
#   MODELS=sg-ns SYNC=1s RUNS=1 bench/mpi_bench.sh    # one model; --sync-every
#   MODELS=glove RUNS=3 bench/mpi_bench.sh            # GloVe
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$here/data
results=${RESULTS:-$here/results}
RUNS=${RUNS:-1}
MODELS=${MODELS:-"sg-ns cbow-ns sg-hs cbow-hs"}
SYNC=${SYNC:-0.5s}
EXTRA=${EXTRA:-}  # more flags for both setups, e.g. EXTRA=--sync-mean
WEMBED=${WEMBED:-$root/build/wembed}
PY=/usr/bin/python3
command -v mpirun >/dev/null || { echo "bench: mpirun missing (scripts/install-deps.sh)" >&2; exit 1; }

mkdir -p "$data" "$results"
corpus=${CORPUS:-$data/text100M.txt}  # CORPUS=FILE: another corpus (a smoke run on a few MB)
if [ -z "${CORPUS:-}" ] && { [ ! -s "$corpus" ] || [ "$(stat -c %s "$corpus")" -ne 100000000 ]; }; then
  echo "bench: preparing $corpus (first 10^8 bytes of big.txt.xz)" >&2
  xz -dc "$shared/data/corpus/big.txt.xz" | head -c 100000000 > "$corpus.part" || true
  mv "$corpus.part" "$corpus"
fi
analogy=$shared/data/eval/questions-words.txt
ws=$shared/data/eval/ws353.tsv
tsv=$results/mpi-$(date +%Y%m%d-%H%M%S).tsv
printf 'setup\tmodel\trun\tsync_every\textra\twall_s\tanalogy\tws353\tsyncs\tmb_per_sync\tmb_total\tmb_sent_per_rank\tsync_share\tload_before\n' > "$tsv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_one() {  # setup model run
  local setup=$1 model=$2 run=$3 arch=${2%-*} loss=${2#*-} out=$work/v.bin
  local alpha=0.025 m=skipgram
  [ "$arch" = cbow ] && alpha=0.05 m=cbow
  local args=(train --model "$m" --loss "$loss" --input "$corpus" --output "$out" --dim 100 --window 5 --negative 5
              --sample 1e-4 --min-count 5 --epochs 5 --alpha "$alpha" --seed "$run" --sync-every "$SYNC" $EXTRA)
  [ "$model" = glove ] && args=(train --model glove --input "$corpus" --output "$out" --min-count 5 --window 10
                                --dim 100 --x-max 10 --epochs 15 --memory 2 --tmp-dir "$work" --seed "$run"
                                --sync-every "$SYNC" $EXTRA)
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local t0 t1
  t0=$(date +%s.%N)
  if [ "$setup" = 1x2 ]; then
    "$WEMBED" "${args[@]}" --threads 2 > "$work/log" 2>&1
  else
    mpirun -q --allow-run-as-root --oversubscribe -np 2 "$WEMBED" "${args[@]}" --threads 1 > "$work/log" 2>&1
  fi || { echo "bench: $setup $model failed:" >&2; tail -5 "$work/log" >&2; return 1; }
  t1=$(date +%s.%N)
  local wall ev acc rho
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
  if [ "$model" = glove ]; then  # as bench/glove_bench.sh scores it
    ev=$("$WEMBED" eval "$out" --analogy "$analogy" --similarity "$ws" --json)
    acc=$(echo "$ev" | $PY -c 'import json,sys; print(json.load(sys.stdin)["analogy"][0]["total"]["accuracy"])')
    rho=$(echo "$ev" | $PY -c 'import json,sys; print(json.load(sys.stdin)["similarity"][0]["spearman"])')
  else
    ev=$($PY "$shared/tools/evalvec.py" "$out" --binary --analogy "$analogy" --sim "$ws")
    acc=$(echo "$ev" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["analogy:questions-words.txt"]["acc"])')
    rho=$(echo "$ev" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["sim:ws353.tsv"]["spearman"])')
  fi
  # "train: 2 ranks, S synchronisations, X MB combined each (Y MB in all, each rank sending about Z MB), P% of the time synchronising"
  local sy
  sy=$(tr '\r' '\n' < "$work/log" | sed -n 's/^train: [0-9]* ranks, \([0-9]*\) synchronisations, \([0-9.]*\) MB combined each (\([0-9.]*\) MB in all, each rank sending about \([0-9.]*\) MB), \([0-9.]*\)% of the time synchronising/\1\t\2\t\3\t\4\t\5/p')
  [ -n "$sy" ] || sy=$(printf -- '-\t-\t-\t-\t-')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$model" "$run" "$SYNC" "${EXTRA:--}" "$wall" "$acc" "$rho" "$sy" "$load" | tee -a "$tsv"
  rm -f "$out"
}

echo "bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); results in $tsv" >&2
for run in $(seq 1 "$RUNS"); do
  for model in $MODELS; do
    run_one 1x2 "$model" "$run"
    run_one 2x1 "$model" "$run"
  done
done
