#!/usr/bin/env bash
# Instruction counts and simulated cache misses of one training run under
# callgrind (valgrind), which are the same on a busy machine as on an idle
# one. Valgrind does not run AVX-512, so this builds an AVX2 binary first
# (build-avx2/, -march=x86-64-v3) unless WEMBED is given.
#
#   bench/profile.sh                       # SG-NS, 1 thread, 1 epoch, first 3 MB of the corpus
#   MODEL=cbow bench/profile.sh
#   bench/profile.sh --update pair         # extra arguments go to wembed train
#
# The simulated last level is 2 MB, 16-way (this CPU's per-core L2), so "LL
# misses" are misses that leave the core. Prints the totals and the ten most
# expensive functions; the raw file is kept in bench/results/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
MODEL=${MODEL:-skipgram}
LOSS=${LOSS:-ns}
BYTES=${BYTES:-3000000}
command -v valgrind >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
if [ -z "${WEMBED:-}" ]; then
  cmake -S "$root" -B "$root/build-avx2" -DCMAKE_BUILD_TYPE=Release -DWEMBED_NATIVE=OFF \
    -DCMAKE_CXX_FLAGS="-g -march=x86-64-v3" >/dev/null
  cmake --build "$root/build-avx2" -j"$(nproc)" --target wembed >/dev/null
  WEMBED=$root/build-avx2/wembed
fi
corpus=$here/data/text100M.txt
[ -s "$corpus" ] || { echo "profile: $corpus missing (run bench/word2vec_bench.sh once to make it)" >&2; exit 1; }
mkdir -p "$here/results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$BYTES" "$corpus" > "$work/corpus.txt"
alpha=0.025; [ "$MODEL" = cbow ] && alpha=0.05
out=$here/results/callgrind-$MODEL-$LOSS-$(date +%Y%m%d-%H%M%S).out
valgrind --tool=callgrind --cache-sim=yes --LL=2097152,16,64 --callgrind-out-file="$out" \
  "$WEMBED" train --model "$MODEL" --loss "$LOSS" --input "$work/corpus.txt" --output "$work/v.bin" \
  --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 1 --alpha $alpha --threads 1 --quiet "$@" \
  2> "$work/log" || { tail -5 "$work/log" >&2; exit 1; }
callgrind_annotate --inclusive=no "$out" | sed -n '/^Ir/,$p' | head -14
echo "raw: $out"
