#!/usr/bin/env bash
# Phrases benchmark: wembed phrases against gensim 4 Phrases (frozen, applied
# to the same file) with the same min_count / threshold / scoring: wall time
# and peak RSS (/usr/bin/time -v), number of phrases, overlap of the top 1,000
# phrases by score, and how many output lines are identical.
#
#   bench/phrases_bench.sh                              # corpora/wiki-small.txt.gz
#   CORPUS=/path/big.txt THREADS=2 bench/phrases_bench.sh
#   MIN_COUNT=5 THRESHOLD=10 SCORING=default COMMON_WORDS=file bench/phrases_bench.sh
#
# Reading: tokens are split on ASCII whitespace by both; a line is a sentence.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
CORPUS=${CORPUS:-$root/corpora/wiki-small.txt.gz}
MIN_COUNT=${MIN_COUNT:-5}
THRESHOLD=${THRESHOLD:-10}
SCORING=${SCORING:-default}
THREADS=${THREADS:-1}
TOP=${TOP:-1000}
COMMON_WORDS=${COMMON_WORDS:-}
WEMBED=${WEMBED:-$root/build/wembed}
PY=/usr/bin/python3
TMP=${TMP_DIR:-${TMPDIR:-/tmp}}
[ -x "$WEMBED" ] || { echo "bench: build first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian: time)" >&2; exit 1; }

work=$(mktemp -d "$TMP/phrases-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
text=$work/corpus.txt
case "$CORPUS" in
  *.gz) gzip -dc "$CORPUS" > "$text" ;;
  *.xz) xz -dc "$CORPUS" > "$text" ;;
  *) ln -s "$(realpath "$CORPUS")" "$text" ;;
esac
echo "corpus: $CORPUS ($(wc -w < "$text") tokens, $(wc -l < "$text") lines); min_count $MIN_COUNT," \
     "threshold $THRESHOLD, scoring $SCORING, wembed threads $THREADS"

# wall seconds and peak RSS (MB) from a /usr/bin/time -v log
timing() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.2f\t%.0f", s, rss }' "$1"
}

cw_flag=()
cw_arg=()
if [ -n "$COMMON_WORDS" ]; then cw_flag=(--common-words "$COMMON_WORDS"); cw_arg=("$COMMON_WORDS"); fi
/usr/bin/time -v "$WEMBED" phrases --input "$text" --output "$work/wembed.txt" --save-phrases "$work/wembed.tsv" \
  --min-count "$MIN_COUNT" --threshold "$THRESHOLD" --scoring "$SCORING" --threads "$THREADS" "${cw_flag[@]}" \
  2> "$work/wembed.time"
grep '^phrases:' "$work/wembed.time" || true
/usr/bin/time -v "$PY" "$here/gensim_phrases.py" "$text" "$work/gensim.txt" "$work/gensim.tsv" \
  "$MIN_COUNT" "$THRESHOLD" "$SCORING" "${cw_arg[@]}" 2> "$work/gensim.time"
grep '^gensim:' "$work/gensim.time" || true

"$PY" - "$work" "$TOP" <<'PY'
import sys
work, top = sys.argv[1], int(sys.argv[2])
def table(path):
    rows = []
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"# ") or not line.strip():
                continue
            phrase, score = line.rstrip(b"\n").split(b"\t")
            rows.append((phrase, float(score)))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows
w, g = table(work + "/wembed.tsv"), table(work + "/gensim.tsv")
wt, gt = {p for p, _ in w[:top]}, {p for p, _ in g[:top]}
n = min(top, len(w), len(g))
common = wt & gt
print(f"phrases: wembed {len(w)}, gensim {len(g)}; top {n} overlap {len(common)} ({100.0 * len(common) / max(n, 1):.1f}%)")
ws, gs = dict(w), dict(g)
both = set(ws) & set(gs)
worst = max((abs(ws[p] - gs[p]) / max(abs(gs[p]), 1e-300) for p in both), default=0.0)
print(f"all phrases: {len(both)} in both, {len(set(ws) - set(gs))} only wembed, {len(set(gs) - set(ws))} only gensim; "
      f"largest relative score difference {worst:.3g}")
same = total = 0
with open(work + "/wembed.txt", "rb") as a, open(work + "/gensim.txt", "rb") as b:
    for x, y in zip(a, b):
        total += 1
        same += x.split() == y.split()
print(f"output lines identical: {same} of {total}")
PY
printf 'tool\twall_s\tpeak_rss_mb\n'
printf 'wembed\t%s\n' "$(timing "$work/wembed.time")"
printf 'gensim\t%s\n' "$(timing "$work/gensim.time")"
