#!/usr/bin/python3
"""gensim side of load_eval_bench.sh; prints one JSON line.

    gensim_load_eval.py load FILE text|bin|kv
        KeyedVectors.load_word2vec_format(FILE, binary=...) (text, bin) or
        KeyedVectors.load(FILE) (kv: gensim's own format, written by `save`).
    gensim_load_eval.py save FILE.bin OUT.kv
        Loads a word2vec binary file and writes it in gensim's own format.
    gensim_load_eval.py eval FILE.bin QUESTIONS RESTRICT
        evaluate_word_analogies(QUESTIONS, restrict_vocab=RESTRICT, case_insensitive=True).

Times are measured in-process with time.perf_counter (the import of gensim
is timed separately).
"""
import json
import sys
import time

t0 = time.perf_counter()
from gensim.models import KeyedVectors  # noqa: E402

out = {"import_seconds": time.perf_counter() - t0}
mode = sys.argv[1]
t = time.perf_counter()
if mode == "load":
    path, kind = sys.argv[2], sys.argv[3]
    kv = KeyedVectors.load(path) if kind == "kv" else KeyedVectors.load_word2vec_format(path, binary=kind == "bin")
    out["load_seconds"] = time.perf_counter() - t
    out["words"], out["dim"] = len(kv.index_to_key), kv.vector_size
elif mode == "save":
    kv = KeyedVectors.load_word2vec_format(sys.argv[2], binary=True)
    kv.save(sys.argv[3])
elif mode == "eval":
    path, questions, restrict = sys.argv[2], sys.argv[3], int(sys.argv[4])
    kv = KeyedVectors.load_word2vec_format(path, binary=True)
    out["load_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=restrict, case_insensitive=True)
    out["eval_seconds"] = time.perf_counter() - t
    total = next(s for s in sections if s["section"] == "Total accuracy")
    out["correct"] = len(total["correct"])
    out["answered"] = len(total["correct"]) + len(total["incorrect"])
    out["accuracy"] = score
else:
    sys.exit("unknown mode " + mode)
print(json.dumps(out))
