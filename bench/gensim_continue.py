#!/usr/bin/python3
"""gensim's continued training, for comparison with bench/continue_bench.sh.

usage: gensim_continue.py FIRST.txt SECOND.txt OUT_FIRST.bin OUT_CONTINUED.bin [THREADS [SEED [ALPHA]]]

Skip-gram-NS with bench/word2vec_bench.sh's settings on FIRST, then build_vocab(update=True) and
train on SECOND with start_alpha ALPHA (default 0.0125, as continue_bench.sh's --alpha 0.0125); both vector sets
saved as word2vec binary. Prints the final vocabulary size and the wall seconds.
"""
import logging
import sys
import time

from gensim.models import Word2Vec

first, second, out_first, out_continued = sys.argv[1:5]
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
alpha = float(sys.argv[7]) if len(sys.argv) > 7 else 0.0125
logging.disable(logging.CRITICAL)
start = time.time()
m = Word2Vec(corpus_file=first, vector_size=100, window=5, negative=5, sample=1e-4, min_count=5, epochs=5,
             workers=threads, sg=1, alpha=0.025, seed=seed)
m.wv.save_word2vec_format(out_first, binary=True)
m.build_vocab(corpus_file=second, update=True)
m.train(corpus_file=second, total_words=m.corpus_total_words, epochs=5, start_alpha=alpha, end_alpha=0.0001)
m.wv.save_word2vec_format(out_continued, binary=True)
print(len(m.wv), round(time.time() - start, 1))
