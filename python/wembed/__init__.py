"""wembed for Python: word vectors with gensim's KeyedVectors method names, on wembed's C++ engine.

    import wembed
    kv = wembed.KeyedVectors.load("vectors.bin")
    kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5)
"""
from ._wembed import Error, KeyedVectors, __version__

__all__ = ["Error", "KeyedVectors", "__version__"]


def _to_gensim(self):
    """A gensim.models.KeyedVectors with the same words and a copy of the vectors (needs gensim)."""
    from gensim.models import KeyedVectors as GensimKeyedVectors
    g = GensimKeyedVectors(self.vector_size, count=0)
    g.add_vectors(list(self.index_to_key), self.vectors.copy())
    return g


def _from_gensim(g):
    """A wembed.KeyedVectors from a gensim KeyedVectors (or a model's .wv): its words and a copy of its vectors."""
    return KeyedVectors(g.index_to_key, g.vectors)


# Defined here rather than in C++: they only move data through gensim's own Python API.
KeyedVectors.to_gensim = _to_gensim
KeyedVectors.from_gensim = staticmethod(_from_gensim)
