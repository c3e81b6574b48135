"""wembed for Python: word vectors with gensim's KeyedVectors method names, on wembed's C++ engine.

    import wembed
    kv = wembed.KeyedVectors.load("vectors.bin")
    kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5)
"""
from ._wembed import Error, KeyedVectors, __version__

__all__ = ["Error", "KeyedVectors", "__version__"]
