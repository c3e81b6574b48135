#!/usr/bin/python3
"""Train gensim's FastText (Debian python3-gensim) for the subword benchmark; write a fastText .bin.

usage: gensim_ft.py CORPUS OUT.bin MODEL(sg|cbow) THREADS SEED

Settings as bench/subword_bench.sh: dim 100, window 5, negative 5, sample 1e-4, min-count 5,
5 epochs, minn 3, maxn 6, bucket 2,000,000, alpha 0.025 (sg) / 0.05 (cbow). The model is
written with gensim's save_facebook_model, so every tool's model is scored the same way
(shared/tools/evalft.py, gensim's load_facebook_vectors).
"""
import logging, sys
from gensim.models import FastText
from gensim.models.fasttext import save_facebook_model

corpus, out, model, threads, seed = sys.argv[1:6]
sg = 1 if model == "sg" else 0
logging.disable(logging.CRITICAL)
m = FastText(corpus_file=corpus, vector_size=100, window=5, negative=5, hs=0, sample=1e-4, min_count=5, epochs=5,
             workers=int(threads), sg=sg, alpha=0.025 if sg else 0.05, seed=int(seed), min_n=3, max_n=6,
             bucket=2000000)
save_facebook_model(m, out)
