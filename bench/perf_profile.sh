#!/usr/bin/env bash
# Where the time of one training run goes on the real (AVX-512, -march=native)
# binary: perf's cpu-clock sampling, which works in this VM where hardware
# counters do not (bench/profile.sh counts instructions and simulated cache
# misses with callgrind, on an AVX2 build). Load on the machine changes the
# wall time, not much the shares.
#
#   bench/perf_profile.sh                      # CBOW-NS, 1 thread, 3 epochs, first 30 MB
#   MODEL=skipgram LOSS=hs bench/perf_profile.sh
#
# Prints the shares of samples by function and by group: the row kernels
# (block::*), the training loop itself (trainSentence: context sums, cache
# prefetches, Huffman paths, sigmoid), reading words (tokenizer, dictionary
# lookups, id cache) and the rest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
MODEL=${MODEL:-cbow}
LOSS=${LOSS:-ns}
BYTES=${BYTES:-30000000}
EPOCHS=${EPOCHS:-3}
WEMBED=${WEMBED:-$root/build/wembed}
command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
corpus=$here/data/text100M.txt
[ -s "$corpus" ] || { echo "perf_profile: $corpus missing (run bench/word2vec_bench.sh once to make it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$BYTES" "$corpus" > "$work/corpus.txt"
alpha=0.025; [ "$MODEL" = cbow ] && alpha=0.05
perf record -q -e cpu-clock -F 2000 -o "$work/perf.data" \
  "$WEMBED" train --model "$MODEL" --loss "$LOSS" --input "$work/corpus.txt" --output "$work/v.bin" \
  --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs "$EPOCHS" --alpha $alpha --threads 1 \
  --seed 1 --quiet 2>"$work/log" || { tail -5 "$work/log" >&2; exit 1; }
perf report -i "$work/perf.data" --no-children --stdio --sort symbol 2>/dev/null | grep -E '^ +[0-9.]+%' > "$work/rep"
echo "$MODEL-$LOSS, 1 thread, $EPOCHS epochs, first $BYTES bytes: top functions"
head -8 "$work/rep" | sed -E 's/\{lambda\(auto:1, int\)#1\}::operator\(\)<std::integral_constant<int, ([0-9])> >.*/(slice of \1 chunks)/; s/\(wembed::Word2VecTrainer::ThreadState.*//' | cut -c1-140
awk '{p=$1; sub("%","",p); $1=""; $2=""; s=$0
  if (s ~ /block::/) g="row kernels (block::*)";
  else if (s ~ /trainSentence|trainCbow|trainSkipGram|updateBatch/) g="training loop (trainSentence, updateBatch)";
  else if (s ~ /Tokenizer|Dictionary|IdCache|memcmp|TokenStream|slotOf/) g="reading words (tokenizer, dictionary, id cache)";
  else g="other (sampling, threads, output, kernel)";
  t[g]+=p} END {for (g in t) printf "  %5.1f%%  %s\n", t[g], g}' "$work/rep" | sort -rn
