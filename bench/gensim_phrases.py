#!/usr/bin/env python3
"""gensim 4 Phrases on a text file (a sentence per line, tokens split on ASCII
whitespace as wembed splits them), frozen and applied to the same file: the
gensim side of bench/phrases_bench.sh.

    gensim_phrases.py CORPUS OUT_TEXT OUT_TABLE MIN_COUNT THRESHOLD [SCORING] [CONNECTOR_FILE]

OUT_TABLE gets 'phrase<TAB>score' lines, highest score first (as wembed's
--save-phrases). Tokens are decoded with surrogateescape, so any bytes survive.
"""
import sys
import time

from gensim.models.phrases import Phrases


class Lines:
    def __init__(self, path):
        self.path = path

    def __iter__(self):
        with open(self.path, "rb") as f:
            for line in f:
                yield [t.decode("utf-8", "surrogateescape") for t in line.split()]


def main():
    corpus, out_text, out_table, min_count, threshold = sys.argv[1:6]
    scoring = sys.argv[6] if len(sys.argv) > 6 else "default"
    connectors = frozenset()
    if len(sys.argv) > 7:
        with open(sys.argv[7], "rb") as f:
            connectors = frozenset(t.decode("utf-8", "surrogateescape") for t in f.read().split())
    t0 = time.time()
    model = Phrases(Lines(corpus), min_count=int(min_count), threshold=float(threshold), scoring=scoring,
                    connector_words=connectors)
    t1 = time.time()
    frozen = model.freeze()
    t2 = time.time()
    with open(out_text, "wb") as f:
        for sentence in Lines(corpus):
            f.write(" ".join(frozen[sentence]).encode("utf-8", "surrogateescape") + b"\n")
    t3 = time.time()
    with open(out_table, "wb") as f:
        for phrase, score in sorted(frozen.phrasegrams.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"{phrase}\t{score!r}\n".encode("utf-8", "surrogateescape"))
    print(f"gensim: count {t1 - t0:.1f} s, freeze {t2 - t1:.1f} s, apply {t3 - t2:.1f} s; "
          f"{len(model.vocab)} entries, {len(frozen.phrasegrams)} phrases", file=sys.stderr)


if __name__ == "__main__":
    main()
