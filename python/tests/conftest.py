"""Small vector files made in the test (no downloaded data): random vectors with a few planted
analogies, written as word2vec text, and the analogy and word-pair files that go with them."""
import os

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FASTTEXT_MODEL = os.path.join(ROOT, "tests", "data", "fasttext", "tiny.bin")

WORDS = ["the", "man", "woman", "king", "queen", "boy", "girl", "paris", "france", "rome", "italy",
         "The", "Paris", "big", "bigger", "small", "smaller", "fast", "faster"]


def write_w2v_text(path, words, m):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {m.shape[1]}\n")
        for w, row in zip(words, m):
            f.write(w + " " + " ".join(repr(float(x)) for x in row) + "\n")


@pytest.fixture(scope="session")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("wembed")
    rng = np.random.default_rng(7)
    words = WORDS + [f"w{i}" for i in range(200)]
    m = rng.standard_normal((len(words), 24)).astype(np.float32)
    idx = {w: i for i, w in enumerate(words)}
    # Planted analogies: d = b - a + c (plus a little noise), so some questions are right.
    for a, b, c, e in [("man", "king", "woman", "queen"), ("man", "boy", "woman", "girl"),
                       ("paris", "france", "rome", "italy"), ("big", "bigger", "small", "smaller")]:
        m[idx[e]] = m[idx[b]] - m[idx[a]] + m[idx[c]] + 0.05 * rng.standard_normal(24).astype(np.float32)
    vec = d / "vectors.txt"
    write_w2v_text(vec, words, m)
    analogies = d / "questions.txt"
    analogies.write_text(
        ": family\nman king woman queen\nMan Boy Woman Girl\nking queen man woman\nman king woman unknownword\n"
        ": capital-world\nparis france rome italy\nrome italy paris france\n"
        ": gram2-comparative\nbig bigger small smaller\nfast faster big bigger\nsmall smaller fast faster\n",
        encoding="utf-8")
    pairs = d / "pairs.tsv"
    lines = ["# word1\tword2\tscore"]
    for i in range(40):
        lines.append(f"{words[(3 * i) % len(words)]}\t{words[(7 * i + 1) % len(words)]}\t{(i * 37) % 10 + 0.5}")
    lines.append("king\tnotaword\t3.0")
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"dir": d, "vectors": str(vec), "words": words, "matrix": m, "analogies": str(analogies),
            "pairs": str(pairs)}


@pytest.fixture
def kv(data):
    import wembed
    return wembed.KeyedVectors.load(data["vectors"])


@pytest.fixture(scope="session")
def gensim_kv(data):
    models = pytest.importorskip("gensim.models")
    return models.KeyedVectors.load_word2vec_format(data["vectors"], binary=False)
