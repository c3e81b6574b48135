#!/usr/bin/python3
"""Write gensim's vocabulary of a corpus, in gensim's order, as a word2vec vocabulary file.

usage: gensim_vocab.py CORPUS OUT.vocab [MIN_COUNT]

gensim 4 (Debian python3-gensim) sorts its vocabulary with numpy's argsort, which is not
stable: words of equal count come out in another order than wembed's. `wembed train
--read-vocab OUT.vocab` then trains over gensim's order (the Huffman tree of --loss hs is
built over it), so the two orders can be compared with everything else equal.
"""
import logging, sys
from gensim.models import Word2Vec

corpus, out = sys.argv[1:3]
min_count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
logging.disable(logging.CRITICAL)
m = Word2Vec(vector_size=10, min_count=min_count, sample=1e-4, hs=1, negative=0)
m.build_vocab(corpus_file=corpus)
with open(out, "w", encoding="utf-8") as f:
    for w in m.wv.index_to_key:
        f.write(f"{w} {m.wv.get_vecattr(w, 'count')}\n")
