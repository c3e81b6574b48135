#!/usr/bin/python3
"""Train word2vec with gensim (Debian python3-gensim) for the side-by-side benchmark.

usage: gensim_w2v.py CORPUS OUT.bin MODEL(sg|cbow) LOSS(ns|hs) THREADS [SEED [DIM WINDOW NEG SAMPLE MINCOUNT EPOCHS]]

SEED (default 1) sets the initial vectors and every worker's random stream: with one worker
the run is deterministic, so repeated runs need different seeds to be independent samples.
"""
import logging, sys
from gensim.models import Word2Vec

corpus, out, model, loss, threads = sys.argv[1:6]
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
dim, window, neg, sample, min_count, epochs = (sys.argv[7:13] + ["100", "5", "5", "1e-4", "5", "5"][len(sys.argv[7:13]):])
sg = 1 if model == "sg" else 0
hs = 1 if loss == "hs" else 0
logging.disable(logging.CRITICAL)
m = Word2Vec(corpus_file=corpus, vector_size=int(dim), window=int(window), negative=0 if hs else int(neg), hs=hs,
             sample=float(sample), min_count=int(min_count), epochs=int(epochs), workers=int(threads), sg=sg,
             alpha=0.025 if sg else 0.05, seed=seed)
m.wv.save_word2vec_format(out, binary=True)
