"""most_similar, similarity, similar_by_vector: gensim's results on the same file."""
import numpy as np
import pytest


def same(ours, theirs):
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=1e-5)


QUERIES = [dict(positive="king"), dict(positive=["king", "woman"], negative=["man"], topn=5),
           dict(positive=["paris"], topn=20, restrict_vocab=50), dict(negative=["w3"], topn=3),
           dict(positive=[("king", 2.0), "queen"], negative=[("man", -0.5)])]


@pytest.mark.parametrize("q", QUERIES)
def test_most_similar_as_gensim(kv, gensim_kv, q):
    same(kv.most_similar(**q), gensim_kv.most_similar(**q))


def test_similar_by_vector_as_gensim(kv, gensim_kv, data):
    v = data["matrix"][5] + data["matrix"][9]
    same(kv.similar_by_vector(v, topn=7), gensim_kv.similar_by_vector(v, topn=7))
    same(kv.most_similar(positive=[v, "king"]), gensim_kv.most_similar(positive=[v, "king"]))


def test_similarity_as_gensim(kv, gensim_kv):
    for a, b in [("king", "queen"), ("man", "w7"), ("the", "The")]:
        assert kv.similarity(a, b) == pytest.approx(float(gensim_kv.similarity(a, b)), abs=1e-6)


def test_all_distances(kv, gensim_kv):
    ours, theirs = kv.most_similar("king", topn=None), gensim_kv.most_similar("king", topn=None)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    assert kv.most_similar("king", topn=0) == []


def test_query_errors(kv):
    with pytest.raises(KeyError):
        kv.most_similar("notaword")
    with pytest.raises(KeyError):
        kv.similarity("king", "notaword")
    with pytest.raises(ValueError):
        kv.most_similar()
    with pytest.raises(ValueError):
        kv.similar_by_vector(np.zeros(3, dtype=np.float32))
    with pytest.raises(TypeError):
        kv.most_similar(positive=[3.5])


def test_batch_as_single_queries(kv):
    queries = ["king", ["king", "woman"], "w5", kv.vectors[7]]
    batch = kv.most_similar_batch(queries, topn=4)
    for q, got in zip(queries, batch):
        same(got, kv.most_similar(positive=q, topn=4))
    assert kv.most_similar_batch([], topn=3) == []
    with pytest.raises(KeyError):
        kv.most_similar_batch(["king", "notaword"])


def test_word_sets_as_gensim(kv, gensim_kv):
    ws1, ws2 = ["king", "queen", "w3"], ["man", "woman"]
    assert kv.n_similarity(ws1, ws2) == pytest.approx(float(gensim_kv.n_similarity(ws1, ws2)), abs=1e-6)
    for words in [["king", "queen", "man", "w9"], ["paris", "france", "rome", "italy", "w1", "notaword"]]:
        assert kv.doesnt_match(words) == gensim_kv.doesnt_match(words)
    q = dict(positive=["king", "woman"], negative=["man"], topn=5)
    same(kv.most_similar_cosmul(**q), gensim_kv.most_similar_cosmul(**q))
    with pytest.raises(ValueError):
        kv.most_similar_cosmul(positive=["king"])
    with pytest.raises(KeyError):
        kv.n_similarity(["king"], ["notaword"])
