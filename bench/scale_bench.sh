#!/usr/bin/env bash
# Corpus-size scaling: does one epoch of wembed word2vec cost the same per word on
# a 4x larger corpus? One epoch on the whole big.txt.xz (84M tokens) and on four
# copies of it end to end (338M tokens), each timed with /usr/bin/time -v
# (wall seconds, peak RSS); words/s = tokens / wall, so it includes counting the
# vocabulary and writing the vectors.
#
#   bench/scale_bench.sh                         # skip-gram, 2 threads, 1 run
#   RUNS=3 MODEL=cbow THREADS=2 bench/scale_bench.sh
#   WEMBED=/path/to/wembed bench/scale_bench.sh
#
# Hyperparameters as bench/word2vec_bench.sh but 1 epoch: ns, dim 100, window 5,
# negative 5, sample 1e-4, min-count 5, alpha 0.025 (skip-gram) / 0.05 (CBOW),
# THREADS threads (default 2). Run r uses seed r. The vectors go to a temporary
# directory that is removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$here/data
results=${RESULTS:-$here/results}
RUNS=${RUNS:-1}
THREADS=${THREADS:-2}
MODEL=${MODEL:-skipgram}
WEMBED=${WEMBED:-$root/build/wembed}
EXTRA=${WEMBED_EXTRA:-}
TMP=${TMP_DIR:-${TMPDIR:-/tmp}}
PY=/usr/bin/python3
case $MODEL in skipgram) alpha=0.025 ;; cbow) alpha=0.05 ;; *) echo "bench: MODEL must be skipgram or cbow" >&2; exit 1 ;; esac
command -v xz >/dev/null || { echo "bench: install xz-utils" >&2; exit 1; }
[ -x "$WEMBED" ] || { echo "bench: build first (make build) or set WEMBED" >&2; exit 1; }

mkdir -p "$data" "$results"
big=$data/big.txt
big4=$data/big4.txt
bigsize=490074465
if [ ! -s "$big" ] || [ "$(stat -L -c %s "$big")" -ne $bigsize ]; then
  echo "bench: decompressing big.txt.xz to $big" >&2
  xz -dc "$shared/data/corpus/big.txt.xz" > "$big.part"
  mv "$big.part" "$big"
fi
if [ ! -s "$big4" ] || [ "$(stat -L -c %s "$big4")" -ne $((4 * bigsize)) ]; then
  echo "bench: writing $big4 (big.txt four times)" >&2
  cat "$big" "$big" "$big" "$big" > "$big4.part"
  mv "$big4.part" "$big4"
fi

tokens_of() {  # file: whitespace-separated tokens, cached beside the file
  local f=$1 c=$1.tokens
  if [ -s "$c" ] && [ "$c" -nt "$f" ]; then cat "$c"; else wc -w < "$f" | tee "$c"; fi
}

stamp=$(date +%Y%m%d-%H%M%S)
tsv=$results/scale-$stamp.tsv
work=$(mktemp -d "$TMP/scale-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'corpus\tmodel\tthreads\trun\ttokens\twall_s\twords_per_s\tpeak_rss_mb\tvocab\ttrain_s\ttrain_words_per_s\tload_avg\n' > "$tsv"

run_one() {  # name file run
  local name=$1 corpus=$2 run=$3 out=$work/vec.bin
  local tokens load
  tokens=$(tokens_of "$corpus")
  cat "$corpus" > /dev/null  # the corpus comes from the page cache in every run
  load=$(cut -d' ' -f1 /proc/loadavg)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/time" "$WEMBED" train --model "$MODEL" --loss ns --input "$corpus" --output "$out" \
    --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 1 --alpha "$alpha" \
    --threads "$THREADS" --seed "$run" $EXTRA > "$work/log" 2>&1 || {
    echo "bench: $name run $run failed:" >&2; tr '\r' '\n' < "$work/log" | tail -5 >&2; exit 1; }
  local wall rss vocab wps trainline train_words train_wps train_s
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  vocab=$(head -c 64 "$out" | head -n 1 | cut -d' ' -f1)
  wps=$(awk -v t="$tokens" -v w="$wall" 'BEGIN {printf "%.0f", t / w}')
  # "train: N words x 1 epochs in 0h01m23s (X words/s)": the training phase alone
  trainline=$(tr '\r' '\n' < "$work/log" | grep -E '^train: [0-9]+ words x' | tail -1 || true)
  train_words=$(echo "$trainline" | awk '{print $2}')
  train_wps=$(echo "$trainline" | sed -n 's/.*(\([0-9.]*\) words\/s).*/\1/p')
  train_s=$(awk -v n="${train_words:-0}" -v r="${train_wps:-0}" 'BEGIN {if (r > 0) printf "%.1f", n / r; else print "-"}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$MODEL" "$THREADS" "$run" "$tokens" "$wall" "$wps" \
    "$rss" "$vocab" "$train_s" "${train_wps:--}" "$load" | tee -a "$tsv"
  rm -f "$out"
}

echo "bench: $MODEL, 1 epoch, $THREADS threads, $RUNS run(s); results in $tsv" >&2
for run in $(seq 1 "$RUNS"); do
  run_one big.txt "$big" "$run"
  run_one big4.txt "$big4" "$run"
done

$PY - "$tsv" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {}
for r in rows:
    by.setdefault(r["corpus"], []).append(r)
med = lambda rs, k: st.median(float(r[k]) for r in rs)
print()
print("| corpus | runs | tokens | wall s | words/s | peak RSS MB | vocabulary | training s (wembed's log) |")
print("|---|---|---|---|---|---|---|---|")
for c, rs in by.items():
    ts = [float(r["train_s"]) for r in rs if r["train_s"] != "-"]
    tr = f"{st.median(ts):.1f}" if ts else "-"
    print(f"| {c} | {len(rs)} | {int(rs[0]['tokens']):,} | {med(rs, 'wall_s'):.1f} | {med(rs, 'words_per_s'):,.0f} | "
          f"{med(rs, 'peak_rss_mb'):.0f} | {int(rs[0]['vocab']):,} | {tr} |")
if "big.txt" in by and "big4.txt" in by:
    a, b = by["big.txt"], by["big4.txt"]
    print(f"\nwords/s 4x / 1x: {med(b, 'words_per_s') / med(a, 'words_per_s'):.3f}   "
          f"peak RSS 4x / 1x: {med(b, 'peak_rss_mb') / med(a, 'peak_rss_mb'):.3f}   "
          f"wall 4x / 1x: {med(b, 'wall_s') / med(a, 'wall_s'):.2f} (4.00 = flat cost per word)")
PY
