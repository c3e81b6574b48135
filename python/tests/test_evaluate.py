"""evaluate_word_analogies and evaluate_word_pairs: gensim's results on the same files."""
import math

import pytest

import wembed


def test_analogies_as_gensim(kv, gensim_kv, data):
    for restrict in [300000, 12]:
        score, sections = kv.evaluate_word_analogies(data["analogies"], restrict_vocab=restrict)
        g_score, g_sections = gensim_kv.evaluate_word_analogies(data["analogies"], restrict_vocab=restrict)
        assert score == pytest.approx(g_score)
        assert sections == g_sections
    assert score >= 0 and sections[-1]["section"] == "Total accuracy"


def test_analogies_dummy4unknown(kv, gensim_kv, data):
    ours = kv.evaluate_word_analogies(data["analogies"], dummy4unknown=True)
    theirs = gensim_kv.evaluate_word_analogies(data["analogies"], dummy4unknown=True)
    assert ours[0] == pytest.approx(theirs[0]) and ours[1] == theirs[1]


def test_word_pairs_as_gensim(kv, gensim_kv, data):
    (p, pp), (s, sp), oov = kv.evaluate_word_pairs(data["pairs"])
    gp, gs, goov = gensim_kv.evaluate_word_pairs(data["pairs"])
    assert p == pytest.approx(gp[0], abs=1e-6) and pp == pytest.approx(gp[1], rel=1e-6)
    assert s == pytest.approx(gs[0], abs=1e-6) and sp == pytest.approx(gs[1], rel=1e-6)
    assert oov == pytest.approx(goov)


@pytest.mark.parametrize("r,n", [(0.3, 10), (-0.8, 25), (0.05, 300), (0.999, 50), (0.0, 7)])
def test_p_values_as_scipy(tmp_path, r, n):
    stats = pytest.importorskip("scipy.stats")
    import numpy as np
    # A file whose model similarities give r: gold scores built from the cosines.
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n)
    y = r * x + math.sqrt(max(0.0, 1 - r * r)) * rng.standard_normal(n)
    words = [f"w{i}" for i in range(n + 1)]
    m = np.zeros((n + 1, 2), dtype=np.float32)
    m[0] = [1, 0]
    ang = np.linspace(0.1, 3.0, n)
    m[1:, 0], m[1:, 1] = np.cos(ang), np.sin(ang)
    from conftest import write_w2v_text
    write_w2v_text(tmp_path / "v.txt", words, m)
    cos = np.cos(ang).astype(np.float32)
    gold = y  # scored against the cosines
    (tmp_path / "p.tsv").write_text("".join(f"w0\tw{i + 1}\t{gold[i]!r}\n" for i in range(n)))
    kv = wembed.KeyedVectors.load(str(tmp_path / "v.txt"))
    (pr, pp), (sr, sp), _ = kv.evaluate_word_pairs(str(tmp_path / "p.tsv"))
    ref_p = stats.pearsonr(gold, cos.astype(np.float64))
    ref_s = stats.spearmanr(gold, cos)
    assert pr == pytest.approx(ref_p[0], abs=1e-6) and pp == pytest.approx(ref_p[1], rel=1e-6)
    assert sr == pytest.approx(ref_s[0], abs=1e-9) and sp == pytest.approx(ref_s[1], rel=1e-9)


def test_evaluate_errors(kv, data, tmp_path):
    with pytest.raises(FileNotFoundError):
        kv.evaluate_word_analogies(str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text(": s\na b c\n")
    with pytest.raises(wembed.Error, match="line 2"):
        kv.evaluate_word_analogies(str(bad))
    with pytest.raises(wembed.Error):
        kv.evaluate_word_pairs(str(bad))
    with pytest.raises(ValueError):
        kv.evaluate_word_pairs(data["pairs"], case_insensitive=False)
