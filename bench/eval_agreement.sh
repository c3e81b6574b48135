#!/usr/bin/env bash
# Does `wembed eval` give gensim's numbers? Scores one vector file with
#   wembed eval --json  and  gensim KeyedVectors.evaluate_word_analogies(
#   restrict_vocab=RESTRICT, case_insensitive=True) / evaluate_word_pairs(case_insensitive=True),
# prints both side by side with their timings, and exits 1 if any analogy count
# (correct or answered, per section and in total) or any Spearman (beyond 1e-4) differs.
#
#   bench/eval_agreement.sh                  # trains wembed skip-gram on shared/data/corpus/small.txt.xz first
#   bench/eval_agreement.sh vectors.bin      # or scores an existing file (.txt/.vec: text, else binary)
#
# Environment: WEMBED (binary; default build-eval/wembed, else build/wembed), RESTRICT (30000),
# ANALOGY (questions-words.txt), SIM (space-separated similarity files; default the three WS353
# files; SIM="" for none), THREADS (2, for training and for wembed eval), SHARED (the data kit, ../shared).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
PY=/usr/bin/python3
RESTRICT=${RESTRICT:-30000}
THREADS=${THREADS:-2}
ANALOGY=${ANALOGY:-$shared/data/eval/questions-words.txt}
SIM=${SIM-"$shared/data/eval/ws353.tsv $shared/data/eval/ws353_similarity.tsv $shared/data/eval/ws353_relatedness.tsv"}
if [ -z "${WEMBED:-}" ]; then
  WEMBED=$root/build-eval/wembed
  [ -x "$WEMBED" ] || WEMBED=$root/build/wembed
fi
[ -x "$WEMBED" ] || { echo "eval_agreement: no wembed binary at $WEMBED (build first or set WEMBED)" >&2; exit 1; }
$PY -c "import gensim" 2>/dev/null || { echo "eval_agreement: needs python3-gensim" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  vectors=$1
else
  echo "eval_agreement: training wembed skip-gram on small.txt.xz ($THREADS threads)" >&2
  xz -dc "$shared/data/corpus/small.txt.xz" > "$work/small.txt"
  "$WEMBED" train --input "$work/small.txt" --output "$work/small.bin" --threads "$THREADS" --sample 1e-4 -q
  vectors=$work/small.bin
fi
case "$vectors" in *.txt|*.vec) binary=0 ;; *) binary=1 ;; esac

now() { date +%s.%N; }
sim_args=()
for f in $SIM; do sim_args+=(--similarity "$f"); done

t0=$(now)
"$WEMBED" eval "$vectors" --analogy "$ANALOGY" "${sim_args[@]}" --restrict "$RESTRICT" --threads "$THREADS" \
  --json > "$work/wembed.json"
t1=$(now)
echo "$t0 $t1" > "$work/wembed.time"

# gensim: the reference numbers. Per-section skipped counts come from gensim's
# own "Skipping line #N with OOV words" log records, pairs used from its
# "Pairs with unknown words" record.
t0=$(now)
$PY - "$vectors" "$binary" "$RESTRICT" "$ANALOGY" $SIM > "$work/gensim.json" <<'PY'
import json, logging, sys, time
from gensim.models import KeyedVectors

vectors, binary, restrict, analogy = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), sys.argv[4]
sims = sys.argv[5:]

class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []
    def emit(self, r):
        self.records.append(r)

log = logging.getLogger("gensim.models.keyedvectors")
log.setLevel(logging.DEBUG)
log.propagate = False
cap = Capture()
log.addHandler(cap)

t = time.time()
kv = KeyedVectors.load_word2vec_format(vectors, binary=binary)
out = {"words": len(kv.key_to_index), "dim": kv.vector_size, "load_seconds": time.time() - t}

# Section of every line number (0-based, as gensim's log counts them).
section_of, names = {}, []
with open(analogy, "rb") as f:
    for no, line in enumerate(f):
        line = line.decode("utf8")
        if line.startswith(": "):
            names.append(line.lstrip(": ").strip())
        elif names:
            section_of[no] = len(names) - 1

cap.records.clear()
t = time.time()
score, sections = kv.evaluate_word_analogies(analogy, restrict_vocab=restrict, case_insensitive=True)
secs = time.time() - t
skipped = [0] * len(names)
for r in cap.records:
    if r.msg.startswith("Skipping line #%i with OOV words"):
        skipped[section_of[r.args[0]]] += 1

def counts(ss, skip):
    c = sum(len(s["correct"]) for s in ss)
    n = c + sum(len(s["incorrect"]) for s in ss)
    return {"correct": c, "answered": n, "skipped": skip, "accuracy": c / n if n else 0.0}

per = [s for s in sections if s["section"] != "Total accuracy"]
total = next(s for s in sections if s["section"] == "Total accuracy")
sem = [i for i, s in enumerate(per) if not s["section"].startswith("gram")]
syn = [i for i, s in enumerate(per) if s["section"].startswith("gram")]
out["analogy"] = [{
    "file": analogy, "restrict": restrict, "seconds": secs, "score": score,
    "sections": [dict(name=s["section"], **counts([s], skipped[i])) for i, s in enumerate(per)],
    "semantic": counts([per[i] for i in sem], sum(skipped[i] for i in sem)),
    "syntactic": counts([per[i] for i in syn], sum(skipped[i] for i in syn)),
    "total": counts([total], sum(skipped)),
}]
out["similarity"] = []
for f in sims:
    cap.records.clear()
    t = time.time()
    pearson, spearman, oov_ratio = kv.evaluate_word_pairs(f, case_insensitive=True)
    secs = time.time() - t
    oov = next(r.args[0] for r in cap.records if r.msg.startswith("Pairs with unknown words"))
    invalid = sum(1 for r in cap.records if r.msg.startswith("Skipping invalid line"))
    lines = sum(1 for l in open(f, encoding="utf8") if not l.startswith("#"))
    pairs = lines - invalid - oov
    out["similarity"].append({"file": f, "pairs": pairs, "oov": oov, "oov_ratio": oov_ratio,
                              "spearman": float(spearman[0]), "pearson": float(pearson[0]), "seconds": secs})
json.dump(out, sys.stdout)
PY
t1=$(now)
echo "$t0 $t1" > "$work/gensim.time"

$PY - "$work" "$vectors" <<'PY'
import json, math, sys
work, vectors = sys.argv[1], sys.argv[2]
w = json.load(open(f"{work}/wembed.json"))
g = json.load(open(f"{work}/gensim.json"))
def wall(name):
    t0, t1 = map(float, open(f"{work}/{name}.time").read().split())
    return t1 - t0
wt, gt = wall("wembed"), wall("gensim")
bad = []

print(f"vectors: {vectors} ({w['words']} words, dim {w['dim']}; gensim: {g['words']} words)")
if w["words"] != g["words"]:
    bad.append("vocabulary size")
for wa, ga in zip(w["analogy"], g["analogy"]):
    print(f"\nanalogy: {wa['file']} (restrict {wa['restrict']}, case-insensitive)")
    print(f"  {'section':<28} {'wembed correct/answered':>24} {'gensim correct/answered':>24}  {'skipped w/g':>12}")
    rows = list(zip(wa["sections"], ga["sections"])) + [
        ({"name": k, **wa[k]}, {"name": k, **ga[k]}) for k in ("semantic", "syntactic", "total")]
    if len(wa["sections"]) != len(ga["sections"]):
        bad.append("number of analogy sections")
    for x, y in rows:
        same = (x["name"] == y["name"] and x["correct"] == y["correct"] and x["answered"] == y["answered"]
                and x["skipped"] == y["skipped"])
        mark = "" if same else "   <-- differs"
        if not same:
            bad.append(f"analogy {x['name']}")
        a = f"{x['correct']}/{x['answered']} {100 * x['accuracy']:6.2f}%"
        b = f"{y['correct']}/{y['answered']} {100 * y['accuracy']:6.2f}%"
        print(f"  {x['name']:<28} {a:>24} {b:>24}  {x['skipped']:>5}/{y['skipped']:<6}{mark}")
    if abs(wa["total"]["accuracy"] - ga["score"]) > 1e-12:
        bad.append("total accuracy vs gensim's score")
    print(f"  analogy search time: wembed {wa['seconds']:.2f} s, gensim {ga['seconds']:.2f} s "
          f"(x{ga['seconds'] / max(wa['seconds'], 1e-9):.0f})")

print(f"\nsimilarity (case-insensitive)")
print(f"  {'file':<24} {'pairs w/g':>11} {'oov w/g':>9} {'spearman wembed':>16} {'gensim':>10} {'pearson wembed':>15} {'gensim':>10}")
for ws, gs in zip(w["similarity"], g["similarity"]):
    name = ws["file"].rsplit("/", 1)[-1]
    d = abs(ws["spearman"] - gs["spearman"]) if ws["spearman"] is not None else math.inf
    dp = abs(ws["pearson"] - gs["pearson"]) if ws["pearson"] is not None else math.inf
    same = ws["pairs"] == gs["pairs"] and ws["oov"] == gs["oov"] and d <= 1e-4
    if not same:
        bad.append(f"similarity {name}")
    if dp > 1e-4:
        bad.append(f"pearson {name}")
    print(f"  {name:<24} {ws['pairs']:>5}/{gs['pairs']:<5} {ws['oov']:>4}/{gs['oov']:<4} {ws['spearman']:>16.6f} "
          f"{gs['spearman']:>10.6f} {ws['pearson']:>15.6f} {gs['pearson']:>10.6f}{'' if same else '   <-- differs'}")

print(f"\nwall time, whole process (load + analogies + similarity): wembed {wt:.2f} s, gensim {gt:.2f} s "
      f"(gensim load {g['load_seconds']:.2f} s)")
if bad:
    print("DISAGREE: " + ", ".join(bad))
    sys.exit(1)
print("AGREE: every analogy count and every correlation matches gensim")
PY
