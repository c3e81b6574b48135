#!/usr/bin/env bash
# Load and analogy-evaluation speed, wembed vs gensim, on the same files.
#
#   bench/load_eval_bench.sh            # RUNS=3 runs of every measurement, medians
#   RUNS=5 bench/load_eval_bench.sh
#
# Data (built once, kept in WORK, default bench/data/load_eval):
#  - big.{txt,bin,wev,kv}: random DIM-d (300) vectors for every word of the corpus (min-count 1:
#    222,187 words for the first 10^8 bytes of big.txt.xz), ~0.8 GB as word2vec text
#    (bench/make_vectors.py writes the binary file; `wembed export` the text and native ones,
#    gensim's KeyedVectors.save its own format);
#  - eval.bin: CBOW vectors trained by wembed on the corpus (dim 100, min-count 5: ~68,700 words).
# Measurements, each run interleaving the tools, page cache warmed (cat FILE >/dev/null) first:
#  - load: `wembed info FILE` (reads and checks the whole file) vs gensim
#    KeyedVectors.load_word2vec_format (text, binary) and KeyedVectors.load (gensim's own format,
#    against wembed's native .wev);
#  - eval: `wembed eval eval.bin --analogy questions-words.txt --restrict 30000` vs gensim
#    evaluate_word_analogies(restrict_vocab=30000, case_insensitive=True), 19,544 questions.
# Each is timed with /usr/bin/time (wall, user+sys CPU, peak RSS), plus the time each tool reports
# for the step itself (wembed info's "load seconds", eval --json's analogy seconds; gensim
# time.perf_counter around the call, so without Python start-up and the gensim import).
# Rows go to bench/results/load_eval-DATE.tsv; a markdown table of medians and
# gensim/wembed ratios is printed.
#
# Environment: WEMBED (binary, default build/wembed), RUNS (3), THREADS (2), DIM (300),
# CORPUS (bench/data/text100M.txt; extracted from the data kit if missing), WORK, SHARED (../shared).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
PY=/usr/bin/python3
WEMBED=${WEMBED:-$root/build/wembed}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
DIM=${DIM:-300}
CORPUS=${CORPUS:-$here/data/text100M.txt}
WORK=${WORK:-$here/data/load_eval}
QUESTIONS=${QUESTIONS:-$shared/data/eval/questions-words.txt}
RESTRICT=${RESTRICT:-30000}
[ -x "$WEMBED" ] || { echo "load_eval_bench: no wembed binary at $WEMBED (make build first)" >&2; exit 1; }
$PY -c "import gensim, numpy" 2>/dev/null || { echo "load_eval_bench: needs python3-gensim and python3-numpy" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "load_eval_bench: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
mkdir -p "$WORK" "$here/results"
log() { echo "load_eval_bench: $*" >&2; }

if [ ! -s "$CORPUS" ]; then
  log "extracting the first 10^8 bytes of big.txt.xz to $CORPUS"
  mkdir -p "$(dirname "$CORPUS")"
  xz -dc "$shared/data/corpus/big.txt.xz" | head -c 100000000 > "$CORPUS.part" || true
  mv "$CORPUS.part" "$CORPUS"
fi

# --- data ---------------------------------------------------------------------------
big=$WORK/big$DIM
if [ ! -s "$big.bin" ]; then
  log "vocabulary (min-count 1) and random $DIM-d vectors"
  "$WEMBED" vocab --input "$CORPUS" --output "$WORK/vocab1.txt" --min-count 1 -q
  $PY "$here/make_vectors.py" "$WORK/vocab1.txt" "$DIM" "$big.bin.part"
  mv "$big.bin.part" "$big.bin"
fi
[ -s "$big.txt" ] || "$WEMBED" export -q "$big.bin" "$big.txt"
[ -s "$big.wev" ] || "$WEMBED" export -q "$big.bin" "$big.wev"
[ -s "$big.kv" ] || $PY "$here/gensim_load_eval.py" save "$big.bin" "$big.kv" > /dev/null
if [ ! -s "$WORK/eval.bin" ]; then
  log "training CBOW vectors for the evaluation (dim 100, min-count 5)"
  "$WEMBED" train --model cbow --input "$CORPUS" --output "$WORK/eval.bin" --dim 100 --min-count 5 \
    --sample 1e-4 --epochs 5 --threads "$THREADS" -q
fi
ls -l "$big".* "$WORK/eval.bin" >&2

# --- measurements -----------------------------------------------------------------------
tsv=$here/results/load_eval-$(date +%Y%m%d-%H%M%S).tsv
printf 'task\ttool\trun\twall_s\tcpu_s\trss_mb\tstep_s\tdetail\n' > "$tsv"
out=$(mktemp)
tfile=$(mktemp)
trap 'rm -f "$out" "$tfile"' EXIT

# measure TASK TOOL RUN STEP_EXTRACTOR CMD...: runs CMD under /usr/bin/time, appends a row.
measure() {
  local task=$1 tool=$2 run=$3 extract=$4
  shift 4
  /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" > "$out"
  local step detail
  step=$($PY - "$extract" "$out" <<'PY'
import json, re, sys
kind, text = sys.argv[1], open(sys.argv[2]).read()
if kind == "info":
    print(re.search(r"load seconds: ([0-9.]+)", text).group(1), "words=" + re.search(r"words: (\d+)", text).group(1))
elif kind == "wembed-eval":
    a = json.loads(text)["analogy"][0]
    print(a["seconds"], "correct=%d answered=%d" % (a["total"]["correct"], a["total"]["answered"]))
elif kind == "gensim-load":
    j = json.loads(text)
    print(j["load_seconds"], "words=%d" % j["words"])
elif kind == "gensim-eval":
    j = json.loads(text)
    print(j["eval_seconds"], "correct=%d answered=%d" % (j["correct"], j["answered"]))
PY
)
  detail=${step#* }
  step=${step%% *}
  read -r wall user sys rss < "$tfile"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$task" "$tool" "$run" "$wall" \
    "$(awk "BEGIN { print $user + $sys }")" "$((rss / 1024))" "$step" "$detail" >> "$tsv"
  log "$task $tool run $run: wall ${wall}s, step ${step}s ($detail)"
}

warm() { cat "$@" > /dev/null 2>&1 || true; }

for run in $(seq 1 "$RUNS"); do
  warm "$big.txt"
  measure "load w2v text ${DIM}d" wembed "$run" info "$WEMBED" info "$big.txt"
  warm "$big.txt"
  measure "load w2v text ${DIM}d" gensim "$run" gensim-load $PY "$here/gensim_load_eval.py" load "$big.txt" text
  warm "$big.bin"
  measure "load w2v binary ${DIM}d" wembed "$run" info "$WEMBED" info "$big.bin"
  warm "$big.bin"
  measure "load w2v binary ${DIM}d" gensim "$run" gensim-load $PY "$here/gensim_load_eval.py" load "$big.bin" bin
  warm "$big.wev"
  measure "load native (.wev / gensim .kv) ${DIM}d" wembed "$run" info "$WEMBED" info "$big.wev"
  warm "$big.kv"*
  measure "load native (.wev / gensim .kv) ${DIM}d" gensim "$run" gensim-load $PY "$here/gensim_load_eval.py" load "$big.kv" kv
  warm "$WORK/eval.bin"
  measure "eval analogies (restrict $RESTRICT)" wembed "$run" wembed-eval \
    "$WEMBED" eval "$WORK/eval.bin" --analogy "$QUESTIONS" --restrict "$RESTRICT" --threads "$THREADS" --json
  measure "eval analogies (restrict $RESTRICT)" gensim "$run" gensim-eval \
    $PY "$here/gensim_load_eval.py" eval "$WORK/eval.bin" "$QUESTIONS" "$RESTRICT"
done

log "results in $tsv"
$PY - "$tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
tasks = list(dict.fromkeys(r["task"] for r in rows))
med = lambda task, tool, key: statistics.median(float(r[key]) for r in rows if r["task"] == task and r["tool"] == tool)
n = len({r["run"] for r in rows})
print(f"medians of {n} runs; ratio = gensim / wembed\n")
print("| task | tool | step s | process wall s | CPU s | peak RSS MB | step ratio | wall ratio |")
print("|---|---|---|---|---|---|---|---|")
for t in tasks:
    for tool in ("wembed", "gensim"):
        s, w, c, m = (med(t, tool, k) for k in ("step_s", "wall_s", "cpu_s", "rss_mb"))
        ratio = " | " if tool == "wembed" else "%.1f× | %.1f×" % (s / med(t, "wembed", "step_s"), w / med(t, "wembed", "wall_s"))
        print(f"| {t} | {tool} | {s:.2f} | {w:.2f} | {c:.2f} | {m:.0f} | {ratio} |")
details = {(r["task"], r["tool"]): r["detail"] for r in rows}
print()
for t in tasks:
    print(f"- {t}: wembed {details[(t, 'wembed')]}; gensim {details[(t, 'gensim')]}")
PY
