"""wembed for Python: word vectors with gensim's KeyedVectors method names, on wembed's C++ engine.

    import wembed
    kv = wembed.KeyedVectors.load("vectors.bin")
    kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5)

    model = wembed.train_word2vec("corpus.txt", model="skipgram", epochs=5)
    model.wv.most_similar("king")
    glove = wembed.train_glove("corpus.txt", epochs=15)
"""
import functools
import os
import tempfile
from typing import Any, Callable, Dict, Iterable, Optional, Tuple, Union

import numpy

from . import _wembed
from ._wembed import Error, KeyedVectors, SentimentClassifier, __version__

__all__ = ["Error", "Glove", "KeyedVectors", "SentimentClassifier", "Word2Vec", "train_glove", "train_sentiment",
           "train_word2vec", "__version__"]

PathLike = Union[str, "os.PathLike[str]"]


class _Trained:
    """What every trained model has: wv (a wembed.KeyedVectors), stats and settings."""

    def __init__(self, wv: KeyedVectors, stats: Dict[str, Any], settings: Dict[str, Any]):
        self.wv = wv
        self.stats = stats
        self.settings = settings

    @property
    def vector_size(self) -> int:
        """The dimensions D."""
        return self.wv.vector_size

    def save(self, path: PathLike, format: Optional[str] = None) -> None:
        """Writes the word vectors (self.wv.save) in any format wembed writes."""
        self.wv.save(os.fspath(path), format)


class Word2Vec(_Trained):
    """A trained skip-gram or CBOW model, as train_word2vec returns it.

    Attributes (gensim's names where gensim has one):
      wv        -- the word vectors, a wembed.KeyedVectors (with subwords: composed from the
                   word's rows, and vectors for unseen words)
      syn1neg   -- the output layer with negative sampling: a (V, D) float32 array (None with hs)
      syn1      -- the output layer with hierarchical softmax: (V - 1, D), one row per inner node
                   of the Huffman tree (None with ns)
      stats     -- the run: vocab_size, words_per_epoch, words_read, seconds, words_per_sec,
                   final_loss, output (the file written, or None)
      settings  -- the options the model was trained with
    """

    def __init__(self, wv: KeyedVectors, output_layer: numpy.ndarray, stats: Dict[str, Any],
                 settings: Dict[str, Any]):
        super().__init__(wv, stats, settings)
        hs = settings.get("loss") == "hs"
        self.syn1 = output_layer if hs else None
        self.syn1neg = None if hs else output_layer

    def save(self, path: PathLike, format: Optional[str] = None) -> None:
        """Writes the word vectors (self.wv.save): any format wembed writes; a model with subwords
        also as fastText's .bin (format="fasttext" or a .bin name), with its n-grams and output layer."""
        path = os.fspath(path)
        if format is None and self.wv.has_subwords and path.endswith(".bin"):
            format = "fasttext"
        self.wv.save(path, format)

    def __repr__(self) -> str:
        s = self.settings
        return "<wembed.Word2Vec: %s-%s, %d words, %d dimensions>" % (
            s.get("model", "skipgram"), s.get("loss", "ns"), len(self.wv), self.wv.vector_size)


def _naming_given(train: Callable[..., Any]) -> Callable[..., Any]:
    """Passes train the names of the keyword arguments its caller gave (_given), as the CLI knows the
    flags it was given: with init, those must agree with the model or replace its settings."""
    @functools.wraps(train)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return train(*args, _given=tuple(k for k in kwargs if k != "_given"), **kwargs)
    return wrapper


@_naming_given
def train_word2vec(input: Union[PathLike, Iterable[PathLike]], *,
                   model: str = "skipgram", loss: str = "ns", dim: int = 100, window: int = 5,
                   negative: int = 5, sample: float = 1e-3, min_count: int = 5, max_vocab: int = 0,
                   epochs: int = 5, alpha: Optional[float] = None, min_alpha: Optional[float] = None,
                   ns_exponent: Optional[float] = None, update: str = "auto", lr_schedule: str = "auto",
                   threads: int = 0, seed: int = 1, max_sentence: int = 10000,
                   minn: int = 0, maxn: int = 0, bucket: int = 2000000,
                   read_vocab: Optional[PathLike] = None, save_vocab: Optional[PathLike] = None,
                   output: Optional[PathLike] = None, output_context: Optional[PathLike] = None,
                   format: Optional[str] = None, tmp_dir: Optional[PathLike] = None,
                   init_vectors: Optional[PathLike] = None, save_model: Optional[PathLike] = None,
                   init: Optional[PathLike] = None, freeze_old: bool = False,
                   phrases: Optional[PathLike] = None,
                   progress: Optional[Callable[[Dict[str, float]], Any]] = None,
                   quiet: bool = False, _given: Tuple[str, ...] = ()) -> Word2Vec:
    """Trains skip-gram or CBOW on text files, as `wembed train` does, and returns a Word2Vec.

    The arguments are the CLI's flags with underscores, with the CLI's defaults:
      input        a file name or a list of them (plain, .gz, .xz; whitespace-separated tokens,
                   one sentence per line)
      model        "skipgram" or "cbow";  loss: "ns" (negative sampling) or "hs"
      dim, window, negative, sample, min_count, max_vocab, epochs, seed, threads (0: all cores)
      alpha        initial learning rate (None: 0.025 skip-gram, 0.05 CBOW); min_alpha the final one
      ns_exponent  negatives drawn by count**ns_exponent (None: 0.5 skip-gram with subwords, else 0.75)
      minn, maxn, bucket   fastText's character n-grams (maxn=0: a word model, the default)
      output, output_context, save_vocab, format   also write these files, as the CLI does
                   (atomically: an interrupted run leaves none)
      init_vectors the vocabulary's words found in this vector file (any format) start from its rows
      save_model   also write the full model (both layers, counts, settings) that `wembed train --init`
                   and init= continue
      init         continue training this full model (a save_model file) on input: its vocabulary grown
                   by input's new words (ids of its words kept), both layers carried over, the learning
                   rate starting again from alpha (a smaller alpha than the first run's is the usual
                   choice). model, loss, dim and subwords come from the model (if given, they must
                   agree); window, negative, sample, ns_exponent, update and lr_schedule too, unless given
      freeze_old   with init: only the new words' rows learn
      phrases      a phrase table (`wembed phrases --save-phrases`) joined in input while counting and
                   training, as `wembed phrases --phrases` would write the text (no copy of the corpus)
      progress     None: the CLI's progress line on stderr (unless quiet); a callable: called about
                   once a second with a dict (fraction, words_per_sec, words_per_sec_per_thread, lr,
                   loss, eta_seconds)
    Training runs without the GIL on `threads` threads. Ctrl-C raises KeyboardInterrupt within about a
    second and stops every thread. Bad options raise wembed.Error (a ValueError) with the CLI's message,
    a missing input FileNotFoundError.
    """
    options = dict(input=input, model=model, loss=loss, dim=dim, window=window, negative=negative,
                   sample=sample, min_count=min_count, max_vocab=max_vocab, epochs=epochs, alpha=alpha,
                   min_alpha=min_alpha, ns_exponent=ns_exponent, update=update, lr_schedule=lr_schedule,
                   threads=threads, seed=seed, max_sentence=max_sentence, minn=minn, maxn=maxn,
                   bucket=bucket, read_vocab=read_vocab, save_vocab=save_vocab, output=output,
                   output_context=output_context, format=format, tmp_dir=tmp_dir, init_vectors=init_vectors,
                   save_model=save_model, init=init, freeze_old=freeze_old, phrases=phrases)
    _paths(options, ("read_vocab", "save_vocab", "output", "output_context", "tmp_dir", "init_vectors", "save_model",
                     "init", "phrases"))
    _check_progress(progress)
    wv, output_layer, stats, kind = _wembed._train_word2vec(dict(options, _given=list(_given)), progress, quiet)
    settings = {k: v for k, v in options.items() if k not in ("output", "output_context", "save_vocab")}
    settings.update(kind)  # with init: the model's kind, loss and dimension
    return Word2Vec(wv, output_layer, stats, settings)


def _paths(options: Dict[str, Any], keys: Iterable[str]) -> None:
    """Turns the path-like options named by keys into str, as the engine takes them."""
    for key in keys:
        if options[key] is not None:
            options[key] = os.fspath(options[key])


class Glove(_Trained):
    """A trained GloVe model, as train_glove returns it.

    Attributes:
      wv        -- the word vectors written by the CLI, a wembed.KeyedVectors: W + W~
                   (glove_vectors="sum", Stanford's -model 2) or W ("word")
      context   -- the context vectors W~, a (V, D) float32 array
      stats     -- the run: vocab_size, records, seconds, records_per_sec, epoch_costs, output
      settings  -- the options the model was trained with
    """

    def __init__(self, wv: KeyedVectors, context: numpy.ndarray, stats: Dict[str, Any], settings: Dict[str, Any]):
        super().__init__(wv, stats, settings)
        self.context = context

    def __repr__(self) -> str:
        return "<wembed.Glove: %d words, %d dimensions>" % (len(self.wv), self.wv.vector_size)


def train_glove(input: Optional[Union[PathLike, Iterable[PathLike]]] = None, *,
                dim: int = 100, window: int = 10, epochs: int = 15, min_count: int = 5, max_vocab: int = 0,
                x_max: float = 100.0, alpha_weight: float = 0.75, eta: float = 0.15, grad_clip: float = 1.0,
                glove_vectors: str = "sum", threads: int = 0, seed: int = 1, memory: float = 2.0,
                max_open: int = 64, asymmetric: bool = False, cross_sentences: bool = False,
                read_vocab: Optional[PathLike] = None, save_vocab: Optional[PathLike] = None,
                cooccur: Optional[PathLike] = None, save_cooccur: Optional[PathLike] = None,
                output: Optional[PathLike] = None, output_context: Optional[PathLike] = None,
                format: Optional[str] = None, tmp_dir: Optional[PathLike] = None,
                init_vectors: Optional[PathLike] = None,
                progress: Optional[Callable[[Dict[str, float]], Any]] = None,
                quiet: bool = False) -> Glove:
    """Counts co-occurrences and trains GloVe, as `wembed train --model glove` does; returns a Glove.

    The arguments are the CLI's flags with underscores, with the CLI's defaults:
      input        a file name or a list of them (plain, .gz, .xz), or None with cooccur=
      cooccur      train from a co-occurrence file (`wembed cooccur`; needs read_vocab) instead
      dim, window (10), epochs (15), min_count, max_vocab, threads (0: all cores), seed
      x_max, alpha_weight  the weighting f(x) = min(1, (x / x_max) ** alpha_weight)
      eta          AdaGrad learning rate;  grad_clip: bound on each component of eta * gradient
      glove_vectors  "sum" (W + W~) or "word" (W): what wv (and output) hold
      memory       GB for counting (past it, sorted runs spill to tmp_dir) and for holding the records
      asymmetric, cross_sentences, max_open   counting, as `wembed cooccur`
      output, output_context, save_vocab, save_cooccur, format   also write these files, as the CLI
      init_vectors W's rows of the words found in this vector file start from it
      progress     None: the CLI's progress and epoch lines on stderr (unless quiet); a callable: called
                   about once a second with a dict (fraction, epoch, records_per_sec,
                   records_per_sec_per_thread, lr, loss (the epoch's mean cost so far), eta_seconds)
    Training runs without the GIL. Ctrl-C raises KeyboardInterrupt within about a second and writes no file.
    Bad options raise wembed.Error (a ValueError) with the CLI's message, a missing input FileNotFoundError.
    """
    options = dict(input=input, dim=dim, window=window, epochs=epochs, min_count=min_count, max_vocab=max_vocab,
                   x_max=x_max, alpha_weight=alpha_weight, eta=eta, grad_clip=grad_clip,
                   glove_vectors=glove_vectors, threads=threads, seed=seed, memory=memory, max_open=max_open,
                   asymmetric=asymmetric, cross_sentences=cross_sentences, read_vocab=read_vocab,
                   save_vocab=save_vocab, cooccur=cooccur, save_cooccur=save_cooccur, output=output,
                   output_context=output_context, format=format, tmp_dir=tmp_dir, init_vectors=init_vectors)
    _paths(options, ("read_vocab", "save_vocab", "cooccur", "save_cooccur", "output", "output_context", "tmp_dir",
                     "init_vectors"))
    _check_progress(progress)
    wv, context, stats = _wembed._train_glove(options, progress, quiet)
    settings = {k: v for k, v in options.items()
                if k not in ("output", "output_context", "save_vocab", "save_cooccur")}
    return Glove(wv, context, stats, settings)


Labelled = Union[PathLike, Iterable[Tuple[str, int]]]


def _labelled_file(data: Labelled, directory: str, name: str) -> str:
    """A labelled TSV file: data itself when it is a path, else (text, label) pairs written to one."""
    if isinstance(data, (str, bytes, os.PathLike)):
        return os.fspath(data)
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("sentence\tlabel\n")
        for text, label in data:
            if label not in (0, 1):
                raise Error("labels must be 0 or 1, not %r" % (label,))
            f.write("%s\t%d\n" % (" ".join(str(text).split()), label))  # tabs and line ends become spaces
    return path


def train_sentiment(vectors: PathLike, train: Labelled, dev: Labelled, *, model_file: Optional[PathLike] = None,
                    cell: str = "gru", hidden: int = 128, layers: int = 1, bidirectional: bool = False,
                    pooling: str = "max", dropout: float = 0.5, fine_tune: bool = False, max_len: int = 400,
                    max_vocab: int = 0, epochs: int = 10, patience: int = 3, batch: int = 32, bucket: int = 50,
                    lr: float = 1e-3, clip: float = 5.0, seed: int = 1, threads: int = 0, parallel: str = "batch",
                    text_column: Optional[str] = None, label_column: str = "label",
                    progress: Optional[Callable[[Dict[str, float]], Any]] = None,
                    quiet: bool = False) -> Tuple[SentimentClassifier, Dict[str, Any]]:
    """Trains the GRU/LSTM sentiment classifier, as `wembed sentiment train` does.

    vectors      word vectors to start from (any format wembed reads; with subwords, words of the
                 texts outside the file are composed from n-grams)
    train, dev   labelled TSV files with a header (text column "sentence" or "text", label 0/1), or
                 lists of (text, label) pairs; dev selects the best epoch and stops early
    model_file   also keep the model of the best dev epoch here (None: a temporary file)
    The other options are the CLI's flags with underscores, with its defaults. progress: None shows
    the CLI's lines (unless quiet); a callable receives a dict about once a second (fraction, epoch,
    seqs_per_sec, lr, loss, eta_seconds) and one after each epoch (epoch, train_loss, dev_accuracy,
    best, ...). Returns (classifier, result) with result's best_epoch, best_dev (accuracy, loss,
    precision/recall/F1 per class), epochs_run, train_seconds. Ctrl-C raises KeyboardInterrupt.
    """
    _check_progress(progress)
    with tempfile.TemporaryDirectory(prefix="wembed-sentiment-") as tmp:
        options = dict(vectors=os.fspath(vectors), train=_labelled_file(train, tmp, "train.tsv"),
                       dev=_labelled_file(dev, tmp, "dev.tsv"),
                       model_file=os.path.join(tmp, "model.bin") if model_file is None else os.fspath(model_file),
                       cell=cell, hidden=hidden, layers=layers, bidirectional=bidirectional, pooling=pooling,
                       dropout=dropout, fine_tune=fine_tune, max_len=max_len, max_vocab=max_vocab, epochs=epochs,
                       patience=patience, batch=batch, bucket=bucket, lr=lr, clip=clip, seed=seed,
                       threads=threads, parallel=parallel, text_column=text_column or "",
                       label_column=label_column)
        return _wembed._train_sentiment(options, progress, quiet)


def _evaluate(self, data: Labelled, threads: int = 0, text_column: str = "", label_column: str = "label"):
    """Accuracy, mean loss, precision/recall/F1 per class and the confusion (tp, fp, tn, fn) on a
    labelled TSV file or a list of (text, label) pairs, as `wembed sentiment eval` reports them."""
    if isinstance(data, (str, bytes, os.PathLike)):
        return self.evaluate_file(os.fspath(data), text_column, label_column, threads)
    pairs = list(data)
    return self.evaluate_texts([t for t, _ in pairs], [int(l) for _, l in pairs], threads)


SentimentClassifier.evaluate = _evaluate


def _check_progress(progress: Any) -> None:
    if progress is not None and not callable(progress):
        raise TypeError("progress must be a callable taking a dict, or None")


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
