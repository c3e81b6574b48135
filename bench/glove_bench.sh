#!/usr/bin/env bash
# GloVe benchmark: wembed cooccur (counting + shuffling) and wembed train
# --model glove, timed separately with /usr/bin/time -v, then scored with
# wembed eval (analogy on questions-words restricted to the 30,000 most
# frequent words, WS353 Spearman). Optionally also counting on the whole
# big.txt.xz (84M tokens) under --memory 1.
#
#   bench/glove_bench.sh                     # text100M counting + training + eval, then big counting
#   STEPS=small bench/glove_bench.sh         # only the 10^8-byte corpus
#   STEPS=big BIG_MEMORY=1 bench/glove_bench.sh
#
# Settings (the issue's): 2 threads, min-count 5, window 10 (symmetric, 1/distance),
# dim 100, x_max 10, 15 iterations; everything else at wembed's defaults.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$here/data
results=${RESULTS:-$here/results}
THREADS=${THREADS:-2}
STEPS=${STEPS:-"small big"}
MEMORY=${MEMORY:-2}          # --memory for the 10^8-byte corpus
BIG_MEMORY=${BIG_MEMORY:-1}  # --memory for the whole corpus
EPOCHS=${EPOCHS:-15}
WEMBED=${WEMBED:-$root/build/wembed}
EXTRA=${WEMBED_EXTRA:-}
TMP=${TMP_DIR:-${TMPDIR:-/tmp}}
PY=/usr/bin/python3
command -v xz >/dev/null || { echo "bench: install xz-utils" >&2; exit 1; }
[ -x "$WEMBED" ] || { echo "bench: build first (make build)" >&2; exit 1; }

mkdir -p "$data" "$results"
stamp=$(date +%Y%m%d-%H%M%S)
tsv=$results/glove-$stamp.tsv
work=$(mktemp -d "$TMP/glove-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
analogy=$shared/data/eval/questions-words.txt
ws=$shared/data/eval/ws353.tsv
printf 'step\tcorpus\twall_s\tpeak_rss_mb\trecords\tanalogy\tws353\tload_avg\n' > "$tsv"

timed() {  # name corpus cmd... : runs cmd under /usr/bin/time -v, appends a row
  local name=$1 corpus=$2; shift 2
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$work/time" "$@" > "$work/$name.log" 2>&1 || {
    echo "bench: $name failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  records=$(tr '\r' '\n' < "$work/$name.log" | awk '/wrote [0-9]+ records/ {print $3} /^train: glove, / {print $5}' | tail -1)
  echo "bench: $name: ${wall}s, ${rss} MB peak RSS (load average at start $load)" >&2
  row="$name\t$corpus\t$wall\t$rss\t${records:--}"
  rowload=$load
}

if [[ " $STEPS " == *" small "* ]]; then
  corpus=$data/text100M.txt
  if [ ! -s "$corpus" ] || [ "$(stat -L -c %s "$corpus")" -ne 100000000 ]; then
    echo "bench: preparing $corpus (first 10^8 bytes of big.txt.xz)" >&2
    xz -dc "$shared/data/corpus/big.txt.xz" | head -c 100000000 > "$corpus.part" || true
    mv "$corpus.part" "$corpus"
  fi
  timed count text100M "$WEMBED" cooccur --input "$corpus" --output "$work/cooc.bin" --save-vocab "$work/vocab.txt" \
    --min-count 5 --window 10 --threads "$THREADS" --memory "$MEMORY" --tmp-dir "$work"
  printf "$row\t-\t-\t%s\n" "$rowload" >> "$tsv"
  timed train text100M "$WEMBED" train --model glove --cooccur "$work/cooc.bin" --read-vocab "$work/vocab.txt" \
    --output "$work/glove.bin" --dim 100 --x-max 10 --epochs "$EPOCHS" --threads "$THREADS" $EXTRA
  ev=$("$WEMBED" eval "$work/glove.bin" --analogy "$analogy" --similarity "$ws" --json)
  acc=$(echo "$ev" | $PY -c 'import json,sys; print(json.load(sys.stdin)["analogy"][0]["total"]["accuracy"])')
  rho=$(echo "$ev" | $PY -c 'import json,sys; print(json.load(sys.stdin)["similarity"][0]["spearman"])')
  printf "$row\t%s\t%s\t%s\n" "$acc" "$rho" "$rowload" >> "$tsv"
  tr '\r' '\n' < "$work/train.log" | grep -E '^train: epoch' >&2 || true
  rm -f "$work/cooc.bin"
fi

if [[ " $STEPS " == *" big "* ]]; then
  big=$data/big.txt
  if [ ! -s "$big" ] || [ "$(stat -L -c %s "$big")" -ne 490074465 ]; then
    echo "bench: decompressing big.txt.xz to $big" >&2
    xz -dc "$shared/data/corpus/big.txt.xz" > "$big.part"
    mv "$big.part" "$big"
  fi
  timed count-big big.txt "$WEMBED" cooccur --input "$big" --output "$work/big.bin" --min-count 5 --window 10 \
    --threads "$THREADS" --memory "$BIG_MEMORY" --tmp-dir "$work"
  printf "$row\t-\t-\t%s\n" "$rowload" >> "$tsv"
  rm -f "$work/big.bin"
fi

echo "bench: results in $tsv" >&2
$PY - "$tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print()
print("| step | corpus | wall s | peak RSS MB | records | analogy | WS353 | load avg at start |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    acc = f"{100*float(r['analogy']):.2f}%" if r["analogy"] != "-" else ""
    rho = f"{float(r['ws353']):.3f}" if r["ws353"] != "-" else ""
    print(f"| {r['step']} | {r['corpus']} | {float(r['wall_s']):.1f} | {r['peak_rss_mb']} | {r['records']} | {acc} | {rho} | {r['load_avg']} |")
small = {r["step"]: float(r["wall_s"]) for r in rows if r["corpus"] == "text100M"}
if "count" in small and "train" in small:
    print(f"\ncounting + training on text100M: {small['count'] + small['train']:.1f} s")
PY
