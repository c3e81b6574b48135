#!/usr/bin/env bash
# GRU/LSTM sentiment classifier: wembed vs the same architecture in PyTorch, with fastText
# supervised (bigrams, the same pretrained vectors) as the linear baseline. See bench/README.md.
#
#   bench/sentiment_bench.sh                                  # everything (hours)
#   DATASETS=sst2 CONFIGS=bigru-max TOOLS="wembed pytorch" bench/sentiment_bench.sh
#
# Environment: THREADS (2), DIM (100), DATASETS ("sst2 imdb"), CONFIGS ("bigru-max bilstm-max"),
# TOOLS ("wembed pytorch fasttext"), EPOCHS (10), PATIENCE (3), SEED (1), WEMBED (build/wembed),
# DATA (../shared/data), PYTHON (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${DATA:-$ROOT/../shared/data}
WEMBED=${WEMBED:-$ROOT/build/wembed}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-2}
DIM=${DIM:-100}
DATASETS=${DATASETS:-"sst2 imdb"}
CONFIGS=${CONFIGS:-"bigru-max bilstm-max"}
TOOLS=${TOOLS:-"wembed pytorch fasttext"}
EPOCHS=${EPOCHS:-10}
PATIENCE=${PATIENCE:-3}
SEED=${SEED:-1}
WORK=$ROOT/bench/data
RES=$ROOT/bench/results
mkdir -p "$WORK/sentiment" "$RES"
STAMP=$(date +%Y%m%d-%H%M%S)
TSV=$RES/sentiment-$STAMP.tsv
LOGDIR=$RES/sentiment-$STAMP-logs
mkdir -p "$LOGDIR"
[ -x "$WEMBED" ] || { echo "build wembed first (make build)" >&2; exit 1; }

# Model configurations: name -> flags (the same flags for wembed and the PyTorch script).
config_flags() {
  case "$1" in
    bigru-max) echo "--cell gru --bidirectional --pooling max --hidden 128" ;;
    bilstm-max) echo "--cell lstm --bidirectional --pooling max --hidden 128" ;;
    gru-last) echo "--cell gru --pooling last --hidden 128" ;;
    lstm-last) echo "--cell lstm --pooling last --hidden 128" ;;
    bigru-mean) echo "--cell gru --bidirectional --pooling mean --hidden 128" ;;
    bigru-attention) echo "--cell gru --bidirectional --pooling attention --hidden 128" ;;
    bilstm-attention) echo "--cell lstm --bidirectional --pooling attention --hidden 128" ;;
    bigru2-max) echo "--cell gru --bidirectional --layers 2 --pooling max --hidden 128" ;;
    *) echo "unknown config '$1'" >&2; exit 1 ;;
  esac
}
COMMON="--dropout 0.5 --batch 32 --lr 0.001 --clip 5 --max-len 400 --epochs $EPOCHS --patience $PATIENCE --seed $SEED"

# 1. Word vectors trained by wembed on the whole big.txt (84M tokens).
VEC=$WORK/vec$DIM.vec
if [ ! -s "$VEC" ]; then
  [ -s "$WORK/big.txt" ] || xz -dc "$DATA/corpus/big.txt.xz" > "$WORK/big.txt"
  echo "== training $DIM-d skip-gram vectors on big.txt" >&2
  /usr/bin/time -v "$WEMBED" train --model skipgram --loss ns --input "$WORK/big.txt" --output "$VEC" \
    --dim "$DIM" --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5 --threads "$THREADS" \
    2> "$LOGDIR/vectors.log"
fi

# 2. Data. IMDB: train / dev (selection) / test. SST-2: the GLUE test labels are not public, so
# 3,000 random rows of sst2/train are held out for model selection and sst2/dev is the test set.
S=$WORK/sentiment
if [ ! -s "$S/sst2-select.tsv" ]; then
  "$PYTHON" - "$DATA/sentiment/sst2/train.tsv" "$S" <<'EOF'
import random, sys
src, out = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().split("\n")
header, rows = lines[0], [l for l in lines[1:] if l]
idx = list(range(len(rows)))
random.Random(1).shuffle(idx)
held = set(idx[:3000])
with open(out + "/sst2-fit.tsv", "w", encoding="utf-8") as f:
    f.write(header + "\n" + "".join(r + "\n" for i, r in enumerate(rows) if i not in held))
with open(out + "/sst2-select.tsv", "w", encoding="utf-8") as f:
    f.write(header + "\n" + "".join(rows[i] + "\n" for i in sorted(held)))
EOF
fi
split_file() {  # dataset part -> raw TSV path
  case "$1-$2" in
    sst2-train) echo "$S/sst2-fit.tsv" ;;
    sst2-select) echo "$S/sst2-select.tsv" ;;
    sst2-test) echo "$DATA/sentiment/sst2/dev.tsv" ;;
    imdb-train) echo "$DATA/sentiment/imdb/train.tsv.xz" ;;
    imdb-select) echo "$DATA/sentiment/imdb/dev.tsv.xz" ;;
    imdb-test) echo "$DATA/sentiment/imdb/test.tsv.xz" ;;
  esac
}
# The words every tool sees come from the same tokenizer (wembed sentiment tokenize).
for ds in $DATASETS; do
  for part in train select test; do
    [ -s "$S/$ds-$part.tok" ] || "$WEMBED" sentiment tokenize --data "$(split_file "$ds" "$part")" --output "$S/$ds-$part.tok"
    [ -s "$S/$ds-$part.ft" ] || "$WEMBED" sentiment tokenize --format fasttext --data "$(split_file "$ds" "$part")" --output "$S/$ds-$part.ft"
    # fastText reads its training file in order (the IMDB files are sorted by label): shuffle it once, seeded.
    if [ "$part" = train ] && [ ! -s "$S/$ds-train.shuf.ft" ]; then
      shuf --random-source=<(yes "$SEED") "$S/$ds-train.ft" > "$S/$ds-train.shuf.ft"
    fi
  done
done

# PyTorch from Debian links the generic libblas.so.3 (the reference BLAS unless an optimised one
# is installed); give it OpenBLAS: a system-wide libopenblas0-pthread, or one extracted here
# with `apt-get download libopenblas0-pthread && dpkg -x` (no system change).
TORCH_ENV=(OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS")
for d in /usr/lib/x86_64-linux-gnu/openblas-pthread "$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread"; do
  if [ -e "$d/libblas.so.3" ]; then TORCH_ENV+=(LD_LIBRARY_PATH="$d"); break; fi
done
if [[ " $TOOLS " == *" pytorch "* ]] && [[ "${TORCH_ENV[*]}" != *LD_LIBRARY_PATH* ]]; then
  if [ ! -e "$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3" ]; then
    (cd "$WORK" && apt-get download libopenblas0-pthread >/dev/null 2>&1 && dpkg -x libopenblas0-pthread_*.deb openblas) ||
      echo "warning: PyTorch runs with the reference BLAS" >&2
  fi
  [ -e "$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3" ] &&
    TORCH_ENV+=(LD_LIBRARY_PATH="$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread")
fi

printf "dataset\tconfig\ttool\tselect_acc\ttest_acc\tbest_epoch\tepochs_run\ttrain_s\tseqs_per_s\twall_s\tpeak_rss_mb\n" > "$TSV"
rss() { awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$1"; }
wall() { awk '/Elapsed \(wall clock\)/ {n = split($NF, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.1f", s}' "$1"; }

for ds in $DATASETS; do
  TR=$(split_file "$ds" train); SE=$(split_file "$ds" select); TE=$(split_file "$ds" test)
  for cfg in $CONFIGS; do
    FLAGS="$(config_flags "$cfg") $COMMON"
    if [[ " $TOOLS " == *" wembed "* ]]; then
      echo "== $ds $cfg wembed" >&2
      L=$LOGDIR/$ds-$cfg-wembed
      /usr/bin/time -v "$WEMBED" sentiment train --vectors "$VEC" --train "$TR" --dev "$SE" \
        --model "$S/$ds-$cfg.model" $FLAGS --threads "$THREADS" 2> "$L.log"
      tr '\r' '\n' < "$L.log" | grep -E '^(epoch [0-9]+/[0-9]+:|sentiment:)' >&2 || true
      "$WEMBED" sentiment eval --json --model "$S/$ds-$cfg.model" --data "$TE" --threads "$THREADS" > "$L.json"
      "$PYTHON" - "$L.log" "$L.json" "$ds" "$cfg" "$(wall "$L.log")" "$(rss "$L.log")" >> "$TSV" <<'EOF'
import json, re, sys
log, js, ds, cfg, wall, rss = sys.argv[1:]
text = open(log).read().replace("\r", "\n")
m = re.search(r"best dev accuracy ([\d.]+)% at epoch (\d+) of (\d+); (\d+) sequences in (\d+)h(\d+)m(\d+)s \((\d+) seq/s\)", text)
sel, be, er, secs, sps = float(m[1]), m[2], m[3], int(m[5]) * 3600 + int(m[6]) * 60 + int(m[7]), m[8]
acc = 100 * json.load(open(js))["accuracy"]
print(f"{ds}\t{cfg}\twembed\t{sel:.2f}\t{acc:.2f}\t{be}\t{er}\t{secs}\t{sps}\t{wall}\t{rss}")
EOF
    fi
    if [[ " $TOOLS " == *" pytorch "* ]]; then
      echo "== $ds $cfg pytorch" >&2
      L=$LOGDIR/$ds-$cfg-pytorch
      env "${TORCH_ENV[@]}" /usr/bin/time -v "$PYTHON" bench/sentiment_torch.py --vectors "$VEC" \
        --train "$S/$ds-train.tok" --dev "$S/$ds-select.tok" --test "$S/$ds-test.tok" $FLAGS \
        --threads "$THREADS" > "$L.json" 2> "$L.log"
      grep -E '^torch' "$L.log" >&2 || true
      "$PYTHON" - "$L.json" "$ds" "$cfg" "$(wall "$L.log")" "$(rss "$L.log")" >> "$TSV" <<'EOF'
import json, sys
js, ds, cfg, wall, rss = sys.argv[1:]
r = json.loads(open(js).read().strip().split("\n")[-1])
print(f"{ds}\t{cfg}\tpytorch {r['torch']}\t{100 * r['dev_accuracy']:.2f}\t{100 * r['test'][0]['accuracy']:.2f}\t"
      f"{r['best_epoch']}\t{r['epochs_run']}\t{r['train_seconds']:.0f}\t{r['seqs_per_sec']:.0f}\t{wall}\t{rss}")
EOF
    fi
  done
  if [[ " $TOOLS " == *" fasttext "* ]]; then
    # fastText supervised: bigrams, the same vectors; epochs chosen on the selection set.
    best=""; best_acc=-1
    for ep in 5 10 20; do
      L=$LOGDIR/$ds-fasttext-e$ep
      /usr/bin/time -v fasttext supervised -input "$S/$ds-train.shuf.ft" -output "$S/$ds-ft-e$ep" -dim "$DIM" \
        -pretrainedVectors "$VEC" -wordNgrams 2 -epoch "$ep" -thread "$THREADS" -seed "$SEED" -verbose 0 2> "$L.log"
      acc=$(fasttext test "$S/$ds-ft-e$ep.bin" "$S/$ds-select.ft" | awk '/^P@1/ {print 100 * $2}')
      echo "fasttext $ds epoch $ep: selection accuracy $acc%" >&2
      if awk -v a="$acc" -v b="$best_acc" 'BEGIN {exit !(a > b)}'; then best=$ep; best_acc=$acc; fi
    done
    L=$LOGDIR/$ds-fasttext-e$best
    test_acc=$(fasttext test "$S/$ds-ft-e$best.bin" "$S/$ds-test.ft" | awk '/^P@1/ {print 100 * $2}')
    printf "%s\tunigram+bigram linear\tfastText -wordNgrams 2 -epoch %s\t%.2f\t%.2f\t-\t%s\t-\t-\t%s\t%s\n" "$ds" "$best" \
      "$best_acc" "$test_acc" "$best" "$(wall "$L.log")" "$(rss "$L.log")" >> "$TSV"
    rm -f "$S/$ds"-ft-e*.bin "$S/$ds"-ft-e*.vec
  fi
done

echo "results: $TSV" >&2
"$PYTHON" - "$TSV" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| dataset | model | tool | selection acc | test acc | best/run epochs | train seq/s | wall s | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['dataset']} | {r['config']} | {r['tool']} | {r['select_acc']}% | {r['test_acc']}% | "
          f"{r['best_epoch']}/{r['epochs_run']} | {r['seqs_per_s']} | {r['wall_s']} | {r['peak_rss_mb']} |")
EOF
