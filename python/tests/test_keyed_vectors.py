"""wembed.KeyedVectors: loading, saving through every format, the vocabulary, the shared matrix."""
import os

import numpy as np
import pytest

import wembed
from conftest import FASTTEXT_MODEL


def test_load(kv, data):
    assert len(kv) == len(data["words"])
    assert kv.vector_size == 24
    assert kv.index_to_key == data["words"]
    assert kv.key_to_index["king"] == data["words"].index("king")
    assert kv.get_index("queen") == data["words"].index("queen")
    assert "king" in kv and "notaword" not in kv and 3 not in kv
    assert kv.has_index_for("king") and not kv.has_index_for("notaword")
    np.testing.assert_array_equal(kv.vectors, data["matrix"])
    np.testing.assert_array_equal(kv["king"], data["matrix"][kv.get_index("king")])
    assert kv[["man", "king"]].shape == (2, 24)
    unit = kv.get_vector("king", norm=True)
    assert abs(float(np.linalg.norm(unit)) - 1) < 1e-6


def test_load_limit(data):
    kv = wembed.KeyedVectors.load(data["vectors"], limit=5)
    assert kv.index_to_key == data["words"][:5]


@pytest.mark.parametrize("fmt,name", [("w2v-bin", "v.bin"), ("w2v-txt", "v.txt"), ("glove", "v.glove"),
                                      ("native", "v.wev"), ("npy", "v.npy"), (None, "auto.bin"),
                                      (None, "auto.wev"), (None, "auto.npy"), (None, "auto.vec")])
def test_round_trip(kv, tmp_path, fmt, name):
    path = str(tmp_path / name)
    kv.save(path, format=fmt)
    back = wembed.KeyedVectors.load(path, format=fmt)
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)


def test_save_tsv(kv, tmp_path):
    out = tmp_path / "projector"
    kv.save(str(out) + "/")
    rows = (out / "vectors.tsv").read_text().splitlines()
    assert len(rows) == len(kv)
    assert np.allclose([float(x) for x in rows[0].split("\t")], kv.vectors[0])


@pytest.mark.skipif(not os.path.exists(FASTTEXT_MODEL), reason="no fastText fixture")
def test_fasttext_subwords(tmp_path):
    kv = wembed.KeyedVectors.load(FASTTEXT_MODEL)
    assert "anarchismxyz" in kv and not kv.has_index_for("anarchismxyz")
    composed = kv["anarchismxyz"]
    assert composed.shape == (kv.vector_size,) and np.any(composed != 0)
    assert kv.most_similar("anarchismxyz", topn=3)
    path = str(tmp_path / "model.bin")
    kv.save(path, format="fasttext")
    back = wembed.KeyedVectors.load(path)
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    np.testing.assert_array_equal(back["anarchismxyz"], composed)


def test_vectors_share_memory(kv):
    v = kv.vectors
    assert v.dtype == np.float32 and v.shape == (len(kv), kv.vector_size)
    assert np.shares_memory(v, kv.vectors)
    assert v.base is not None  # the KeyedVectors stays alive through the view
    i, j = kv.get_index("w10"), kv.get_index("w20")
    assert kv.most_similar("w10", topn=1)[0][0] != "w20"
    v[j] = v[i] * 2  # writing through the array: the queries see it
    assert np.array_equal(kv["w20"], v[i] * 2)
    word, score = kv.most_similar("w10", topn=1)[0]
    assert word == "w20" and score == pytest.approx(1.0, abs=1e-6)
    assert kv.similarity("w10", "w20") == pytest.approx(1.0, abs=1e-6)
    kv["w10"][:] = 0  # a row view writes the matrix too
    assert not np.any(kv.vectors[i])


def test_view_outlives_object(data):
    v = wembed.KeyedVectors.load(data["vectors"]).vectors
    assert float(v[0, 0]) == float(data["matrix"][0, 0])


def test_errors(kv, tmp_path):
    with pytest.raises(FileNotFoundError, match="No such file"):
        wembed.KeyedVectors.load(str(tmp_path / "missing.bin"))
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\nfoo 1 2\n")
    with pytest.raises(wembed.Error, match="bad.txt"):
        wembed.KeyedVectors.load(str(bad))
    with pytest.raises(ValueError):
        wembed.KeyedVectors.load(str(bad), format="nosuchformat")
    with pytest.raises(wembed.Error):
        wembed.KeyedVectors.load(str(bad), limit=-1)
    with pytest.raises(KeyError):
        kv["notaword"]
    with pytest.raises(KeyError):
        kv.get_index("notaword")
    with pytest.raises(wembed.Error):
        kv.save(str(tmp_path / "x.unknownext"))
    with pytest.raises(wembed.Error):
        kv.save(str(tmp_path / "x.bin"), format="nosuchformat")
    with pytest.raises(wembed.Error, match="does not exist"):
        kv.save(str(tmp_path / "no" / "dir" / "x.bin"))
    with pytest.raises(wembed.Error, match="directory"):
        wembed.KeyedVectors.load(str(tmp_path))
    with pytest.raises(wembed.Error, match="reads only"):
        wembed.KeyedVectors.load(str(bad), format="tsv")
    with pytest.raises(TypeError):
        kv[b"king"]


def test_docstrings():
    for name in ["load", "save", "most_similar", "similarity", "similar_by_vector", "evaluate_word_analogies",
                 "evaluate_word_pairs", "get_vector"]:
        assert getattr(wembed.KeyedVectors, name).__doc__


def test_from_arrays(data):
    m = np.arange(12, dtype=np.float64).reshape(4, 3)
    kv = wembed.KeyedVectors(["a", "b", "a", "c"], m)  # the second 'a' is dropped, as load does
    assert kv.index_to_key == ["a", "b", "c"]
    np.testing.assert_array_equal(kv["c"], m[3].astype(np.float32))
    with pytest.raises(ValueError):
        wembed.KeyedVectors(["a"], np.zeros((2, 3)))
    with pytest.raises(ValueError):
        wembed.KeyedVectors([], np.zeros((0, 3)))


def test_gensim_conversion(kv, gensim_kv):
    g = kv.to_gensim()
    assert g.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(g.vectors, kv.vectors)
    back = wembed.KeyedVectors.from_gensim(gensim_kv)
    assert back.index_to_key == gensim_kv.index_to_key
    np.testing.assert_array_equal(back.vectors, gensim_kv.vectors)
    assert back.most_similar("king", topn=3)[0][0] == gensim_kv.most_similar("king", topn=3)[0][0]
