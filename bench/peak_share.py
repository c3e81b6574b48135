#!/usr/bin/env python3
"""Share of the machine's FMA peak that word2vec training reaches.

From a vocabulary ('word count' lines, `wembed train --save-vocab`) and the
training settings, computes what one kept word costs in floating-point
operations for each model (the kernels' multiply-adds, 2 FLOP each), the
fraction of words subsampling keeps, and, given a measured words/s (words
read, as `wembed train` and bench/word2vec_bench.sh report) and a measured
peak (bench/fma_peak.cc, GFLOP/s for the same number of threads), the
GFLOP/s reached and its share of the peak.

  /usr/bin/python3 bench/peak_share.py --vocab V.txt --peak 418.6 \\
      --rate cbow-ns=5670862 --rate sg-ns=3247701 ...

Per kept word, with C the mean number of context words (window reduced at
random as word2vec does, cut at sentence ends: given by --context, measured
or 2 * mean(1..W)) and T the targets (K + 1 with negative sampling, the mean
Huffman path length of kept words with hierarchical softmax), D the dimension:
  CBOW:                C*D (sum) + D (mean) + 3 * 2*T*D (scores, hidden
                       gradient, output rows) + C*D (context rows)
  skip-gram HogBatch:  3 * 2*C*T*D (scores, context gradients, output rows)
                       + C*D (context rows)
"""
import argparse
import heapq
import math


def read_counts(path):
    counts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                counts.append(int(parts[-1]))
    return counts


def keep_fractions(counts, sample):
    total = sum(counts)
    t = sample * total
    if sample <= 0:
        return [1.0] * len(counts), total
    return [min(1.0, (math.sqrt(c / t) + 1) * t / c) for c in counts], total


def code_lengths(counts):
    """Huffman code length of each word (word2vec's tree: the same lengths)."""
    n = len(counts)
    if n == 1:
        return [1]
    heap = [(c, i) for i, c in enumerate(counts)]
    heapq.heapify(heap)
    parent = {}
    nxt = n
    while len(heap) > 1:
        c1, a = heapq.heappop(heap)
        c2, b = heapq.heappop(heap)
        parent[a] = nxt
        parent[b] = nxt
        heapq.heappush(heap, (c1 + c2, nxt))
        nxt += 1
    root = heap[0][1]
    depth = {root: 0}
    lengths = []
    for i in range(n):
        chain = []
        x = i
        while x not in depth:
            chain.append(x)
            x = parent[x]
        d = depth[x]
        for y in reversed(chain):
            d += 1
            depth[y] = d
        lengths.append(depth[i])
    return lengths


def flop_per_kept(model, C, T, D):
    if model.startswith("cbow"):
        return C * D + D + 6 * T * D + C * D
    return 6 * C * T * D + C * D


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vocab", required=True)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-4)
    ap.add_argument("--context", type=float, default=0, help="mean context words per kept word (default 2*mean(1..W))")
    ap.add_argument("--peak", type=float, required=True, help="measured peak GFLOP/s for the threads used")
    ap.add_argument("--rate", action="append", default=[], help="model=words/s, model in cbow-ns cbow-hs sg-ns sg-hs")
    a = ap.parse_args()
    counts = read_counts(a.vocab)
    keep, total = keep_fractions(counts, a.sample)
    kept = sum(k * c for k, c in zip(keep, counts))
    frac = kept / total
    lengths = code_lengths(counts)
    path = sum(k * c * l for k, c, l in zip(keep, counts, lengths)) / kept
    C = a.context or 2 * (a.window + 1) / 2
    print(f"vocabulary {len(counts)} words, {total} tokens; subsampling keeps {frac:.4f}; "
          f"mean context {C:.2f}; mean Huffman path of a kept word {path:.2f}")
    print("| model | words/s | kept words/s | FLOP per kept word | GFLOP/s | share of peak |")
    print("|---|---|---|---|---|---|")
    for r in a.rate:
        model, rate = r.split("=")
        T = path if model.endswith("hs") else a.negative + 1
        f = flop_per_kept(model, C, T, a.dim)
        kw = float(rate) * frac
        g = kw * f / 1e9
        print(f"| {model} | {float(rate):,.0f} | {kw:,.0f} | {f:,.0f} | {g:.1f} | {100 * g / a.peak:.1f}% |")


if __name__ == "__main__":
    main()
