#!/usr/bin/python3
"""Writes a word2vec binary file of random vectors over a vocabulary.

    make_vectors.py VOCAB DIM OUT.bin [--seed S]

VOCAB holds "word count" lines (wembed vocab / word2vec -save-vocab); every
word gets a row of DIM float32 values drawn from N(0, 0.1^2), so the file has
the size and the number formats of real vectors (as text, ~11 bytes a value)
without training them. Used by load_eval_bench.sh.
"""
import argparse

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("vocab")
p.add_argument("dim", type=int)
p.add_argument("out")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

with open(a.vocab, "rb") as f:
    words = [line.split(b" ")[0] for line in f.read().split(b"\n") if line.strip()]
rng = np.random.default_rng(a.seed)
with open(a.out, "wb") as out:
    out.write(b"%d %d\n" % (len(words), a.dim))
    step = 10000
    for i in range(0, len(words), step):
        rows = (rng.standard_normal((min(step, len(words) - i), a.dim)) * 0.1).astype("<f4")
        out.write(b"".join(w + b" " + r.tobytes() + b"\n" for w, r in zip(words[i:i + step], rows)))
