#!/usr/bin/python3
"""Analogy accuracy on a question set that is the same for every tool.

evaluate_word_analogies(restrict_vocab=30000) keeps the first 30,000 rows of a vector file.
Tools order words of equal count differently (gensim: reversed numpy argsort; wembed:
first seen; fastText: its own), so the 30,000th row, and with it the set of questions
answered, differs from tool to tool. This script first puts every file in one canonical
order - count descending (counts from a 'word count' vocabulary of the corpus), then the
word's bytes - and then scores it with gensim as shared/tools/evalvec.py does.

usage: eval_same_order.py VECTORS [--binary] --vocab VOCAB --analogy FILE [--restrict N]
"""
import argparse, json, logging, sys
from gensim.models import KeyedVectors

ap = argparse.ArgumentParser()
ap.add_argument("vectors")
ap.add_argument("--binary", action="store_true")
ap.add_argument("--vocab", required=True)
ap.add_argument("--analogy", required=True)
ap.add_argument("--restrict", type=int, default=30000)
a = ap.parse_args()
logging.disable(logging.CRITICAL)
counts = {}
for line in open(a.vocab, encoding="utf-8"):
    w, c = line.split()
    counts[w] = int(c)
kv = KeyedVectors.load_word2vec_format(a.vectors, binary=a.binary)
known = sorted((w for w in kv.index_to_key if w in counts), key=lambda w: (-counts[w], w.encode()))
order = known + [w for w in kv.index_to_key if w not in counts]
canon = KeyedVectors(kv.vector_size)
canon.add_vectors(order, kv[order])
score, sections = canon.evaluate_word_analogies(a.analogy, restrict_vocab=a.restrict, case_insensitive=True)
total = sections[-1]
print(json.dumps({"acc": round(score, 4), "answered": len(total["correct"]) + len(total["incorrect"])}))
