"""wembed.train_word2vec and train_glove: the same model as `wembed train`, the output files,
progress, Ctrl-C, subwords, and errors as Python exceptions."""
import gzip
import os
import signal
import subprocess
import threading
import time

import numpy as np
import pytest

import wembed

from conftest import ROOT

SMALL = os.path.join(ROOT, "corpora", "wiki-small.txt.gz")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The first 30 lines of the shipped corpus (~90k tokens): seconds to train on one thread."""
    path = tmp_path_factory.mktemp("train") / "corpus.txt"
    with gzip.open(SMALL, "rt", encoding="utf-8") as f, open(path, "w", encoding="utf-8") as out:
        for _, line in zip(range(30), f):
            out.write(line)
    return str(path)


def cli():
    path = os.environ.get("WEMBED_CLI")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("WEMBED_CLI (the wembed binary) is not set")
    return path


SETTINGS = dict(dim=24, window=3, negative=4, min_count=3, epochs=2, threads=1, seed=7)


@pytest.mark.parametrize("model,loss", [("skipgram", "ns"), ("cbow", "ns"), ("skipgram", "hs")])
def test_same_vectors_as_the_cli(corpus, tmp_path, model, loss):
    out = tmp_path / "cli.wev"
    subprocess.run([cli(), "train", "--input", corpus, "--output", str(out), "--model", model, "--loss", loss,
                    "--dim", "24", "--window", "3", "--negative", "4", "--min-count", "3", "--epochs", "2",
                    "--threads", "1", "--seed", "7", "--quiet"], check=True)
    expected = wembed.KeyedVectors.load(str(out))
    m = wembed.train_word2vec(corpus, model=model, loss=loss, quiet=True, **SETTINGS)
    assert m.wv.index_to_key == expected.index_to_key
    np.testing.assert_array_equal(m.wv.vectors, expected.vectors)
    V, D = len(m.wv), 24
    if loss == "hs":
        assert m.syn1neg is None and m.syn1.shape == (V - 1, D)
    else:
        assert m.syn1 is None and m.syn1neg.shape == (V, D)
        assert np.abs(m.syn1neg).sum() > 0  # trained, not the zero initialisation


def test_output_files_are_the_clis(corpus, tmp_path):
    out, ctx, vocab = tmp_path / "v.wev", tmp_path / "c.wev", tmp_path / "vocab.txt"
    m = wembed.train_word2vec(corpus, output=out, output_context=ctx, save_vocab=vocab, quiet=True, **SETTINGS)
    assert m.stats["output"] == str(out)
    np.testing.assert_array_equal(wembed.KeyedVectors.load(str(out)).vectors, m.wv.vectors)
    np.testing.assert_array_equal(wembed.KeyedVectors.load(str(ctx)).vectors, m.syn1neg)
    words = [line.split()[0] for line in vocab.read_text(encoding="utf-8").splitlines()]
    assert words == m.wv.index_to_key


def test_stats_and_queries(corpus):
    m = wembed.train_word2vec(corpus, quiet=True, **SETTINGS)
    s = m.stats
    assert s["vocab_size"] == len(m.wv) > 100
    assert s["words_read"] == 2 * s["words_per_epoch"] > 50000
    assert s["seconds"] > 0 and s["words_per_sec"] > 0 and s["output"] is None
    word = m.wv.index_to_key[10]
    top = m.wv.most_similar(word, topn=3)
    assert len(top) == 3 and all(w != word for w, _ in top)


def test_progress_callable_gets_dicts(corpus):
    seen = []
    wembed.train_word2vec(corpus, progress=seen.append, **SETTINGS)
    assert seen, "progress was never called"
    last = seen[-1]
    assert set(last) == {"fraction", "words_per_sec", "words_per_sec_per_thread", "lr", "loss", "eta_seconds"}
    assert last["fraction"] == 1.0 and last["words_per_sec"] > 0 and last["lr"] > 0


def test_an_exception_in_progress_stops_training(corpus, tmp_path):
    out = tmp_path / "v.bin"

    def fail(p):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        wembed.train_word2vec(corpus, output=out, progress=fail, **SETTINGS)
    assert os.listdir(tmp_path) == []


def test_ctrl_c_stops_training_and_leaves_no_file(tmp_path):
    out = tmp_path / "v.bin"
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # ~1.5M tokens x 200 epochs: minutes, unless stopped.
            wembed.train_word2vec(SMALL, output=out, epochs=200, threads=2, dim=50, quiet=True, tmp_dir=tmp_path)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 20
    assert os.listdir(tmp_path) == []


def test_subwords_give_vectors_to_unseen_words(corpus, tmp_path):
    m = wembed.train_word2vec(corpus, minn=3, maxn=5, bucket=20000, quiet=True, **SETTINGS)
    assert m.wv.has_subwords
    unseen = "unseenwordxyz"
    assert unseen not in m.wv.key_to_index and unseen in m.wv
    assert m.wv[unseen].shape == (24,) and np.abs(m.wv[unseen]).sum() > 0
    out = tmp_path / "model.bin"
    m.save(out)  # fastText's .bin, as the CLI writes a subword model named .bin
    back = wembed.KeyedVectors.load(str(out))
    assert back.has_subwords
    np.testing.assert_allclose(back[unseen], m.wv[unseen], rtol=1e-6, atol=1e-7)


def test_bad_arguments_raise(corpus, tmp_path):
    with pytest.raises(wembed.Error, match="--dim"):
        wembed.train_word2vec(corpus, dim=0, quiet=True)
    with pytest.raises(FileNotFoundError):
        wembed.train_word2vec(str(tmp_path / "missing.txt"), quiet=True)
    with pytest.raises(wembed.Error, match="unknown loss"):
        wembed.train_word2vec(corpus, loss="softmax", quiet=True)
    with pytest.raises(wembed.Error, match="train_glove"):
        wembed.train_word2vec(corpus, model="glove", quiet=True)
    with pytest.raises(TypeError):
        wembed.train_word2vec(corpus, progress="yes", quiet=True)
    with pytest.raises(ValueError):  # wembed.Error is a ValueError
        wembed.train_word2vec(corpus, window=0, quiet=True)


GLOVE = dict(dim=16, window=5, epochs=3, min_count=3, threads=1, seed=7)


def test_glove_same_vectors_as_the_cli(corpus, tmp_path):
    out = tmp_path / "cli.wev"
    subprocess.run([cli(), "train", "--model", "glove", "--input", corpus, "--output", str(out), "--dim", "16",
                    "--window", "5", "--epochs", "3", "--min-count", "3", "--threads", "1", "--seed", "7",
                    "--tmp-dir", str(tmp_path), "--quiet"], check=True)
    expected = wembed.KeyedVectors.load(str(out))
    g = wembed.train_glove(corpus, quiet=True, tmp_dir=tmp_path, **GLOVE)
    assert g.wv.index_to_key == expected.index_to_key
    np.testing.assert_array_equal(g.wv.vectors, expected.vectors)
    assert g.context.shape == (len(g.wv), 16)
    assert sorted(os.listdir(tmp_path)) == ["cli.wev"]  # the counts made for the run are gone


def test_glove_sum_is_word_plus_context_and_files_match(corpus, tmp_path):
    out, ctx = tmp_path / "v.wev", tmp_path / "c.wev"
    word = wembed.train_glove(corpus, glove_vectors="word", output=out, output_context=ctx, quiet=True, **GLOVE)
    total = wembed.train_glove(corpus, quiet=True, **GLOVE)
    np.testing.assert_allclose(total.wv.vectors, word.wv.vectors + word.context, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(wembed.KeyedVectors.load(str(out)).vectors, word.wv.vectors)
    np.testing.assert_array_equal(wembed.KeyedVectors.load(str(ctx)).vectors, word.context)
    s = word.stats
    assert s["output"] == str(out) and s["vocab_size"] == len(word.wv) and s["records"] > 1000
    assert len(s["epoch_costs"]) == 3 and s["epoch_costs"][-1] < s["epoch_costs"][0]


def test_glove_progress_and_errors(corpus, tmp_path):
    seen = []
    wembed.train_glove(corpus, progress=seen.append, **GLOVE)
    assert seen and {"fraction", "epoch", "records_per_sec", "lr", "loss", "eta_seconds"} <= set(seen[-1])
    assert seen[-1]["fraction"] == 1.0 and seen[-1]["epoch"] == 3

    def fail(p):
        raise RuntimeError("stop here")

    out = tmp_path / "out" / "v.bin"
    out.parent.mkdir()
    with pytest.raises(RuntimeError, match="stop here"):
        wembed.train_glove(corpus, output=out, progress=fail, tmp_dir=out.parent, **GLOVE)
    assert os.listdir(out.parent) == []
    with pytest.raises(wembed.Error, match="--glove-vectors"):
        wembed.train_glove(corpus, glove_vectors="both", quiet=True)
    with pytest.raises(wembed.Error, match="--input"):
        wembed.train_glove(quiet=True)
    with pytest.raises(wembed.Error, match="--read-vocab"):
        wembed.train_glove(cooccur=corpus, quiet=True)
    with pytest.raises(FileNotFoundError):
        wembed.train_glove(str(tmp_path / "missing.txt"), quiet=True)


def test_init_vectors_and_save_model(corpus, tmp_path):
    first = wembed.train_word2vec(corpus, save_model=tmp_path / "run.model", quiet=True, **SETTINGS)
    back = wembed.KeyedVectors.load(str(tmp_path / "run.model"))  # the full model reads as vectors
    np.testing.assert_array_equal(back.vectors, first.wv.vectors)
    first.wv.save(str(tmp_path / "v.txt"), "w2v-txt")
    again = wembed.train_word2vec(corpus, init_vectors=tmp_path / "v.txt", quiet=True, **SETTINGS)
    assert again.wv.index_to_key == first.wv.index_to_key
    assert not np.array_equal(again.wv.vectors, first.wv.vectors)  # trained on from the file's rows
    with pytest.raises(wembed.Error, match="--init-vectors"):
        wembed.train_word2vec(corpus, init_vectors=tmp_path / "v.txt", quiet=True, **dict(SETTINGS, dim=8))
    with pytest.raises(wembed.Error, match="--init-vectors"):
        wembed.train_glove(corpus, init_vectors=tmp_path / "v.txt", quiet=True, **dict(GLOVE, dim=8))


@pytest.fixture(scope="module")
def second_text(tmp_path_factory):
    """Lines 30-60 of the shipped corpus: new text, with words the first 30 lines lack."""
    path = tmp_path_factory.mktemp("train") / "second.txt"
    with gzip.open(SMALL, "rt", encoding="utf-8") as f, open(path, "w", encoding="utf-8") as out:
        for i, line in zip(range(60), f):
            if i >= 30:
                out.write(line)
    return str(path)


def test_init_continues_as_the_cli(corpus, second_text, tmp_path):
    """init= is `wembed train --init`: the same vectors; the model's words keep their ids, new ones follow;
    its loss and dimension come from the model (not the defaults), and a named option that disagrees
    is an error."""
    run = tmp_path / "run.model"
    first = wembed.train_word2vec(corpus, loss="hs", save_model=run, quiet=True, **SETTINGS)
    out = tmp_path / "cli.wev"
    subprocess.run([cli(), "train", "--init", str(run), "--input", second_text, "--output", str(out),
                    "--min-count", "3", "--epochs", "2", "--threads", "1", "--seed", "7", "--alpha", "0.01",
                    "--quiet"], check=True)
    expected = wembed.KeyedVectors.load(str(out))
    m = wembed.train_word2vec(second_text, init=run, min_count=3, epochs=2, threads=1, seed=7, alpha=0.01,
                              quiet=True)
    assert m.wv.index_to_key == expected.index_to_key
    np.testing.assert_array_equal(m.wv.vectors, expected.vectors)
    old = len(first.wv)
    assert m.wv.index_to_key[:old] == first.wv.index_to_key and len(m.wv) > old
    assert m.settings["loss"] == "hs" and m.vector_size == 24 and m.syn1.shape == (len(m.wv) - 1, 24)
    assert not np.array_equal(m.wv.vectors[:old], first.wv.vectors)  # the old rows learn too
    with pytest.raises(wembed.Error, match="dim"):
        wembed.train_word2vec(second_text, init=run, dim=100, quiet=True)


def test_freeze_old_trains_only_new_words(corpus, second_text, tmp_path):
    run = tmp_path / "run.model"
    first = wembed.train_word2vec(corpus, save_model=run, quiet=True, **SETTINGS)
    m = wembed.train_word2vec(second_text, init=run, freeze_old=True, min_count=3, epochs=2, threads=1,
                              quiet=True)
    old = len(first.wv)
    np.testing.assert_array_equal(m.wv.vectors[:old], first.wv.vectors)
    assert len(m.wv) > old and np.abs(m.wv.vectors[old:]).sum() > 0
    with pytest.raises(wembed.Error, match="--freeze-old"):
        wembed.train_word2vec(second_text, freeze_old=True, quiet=True)


def test_phrases_as_the_cli(corpus, tmp_path):
    """phrases= is `wembed train --phrases`: the same vocabulary and vectors as the CLI's."""
    table = tmp_path / "phrases.tsv"
    subprocess.run([cli(), "phrases", "--input", corpus, "--output", str(tmp_path / "phrased.txt"), "--min-count", "2",
                    "--threshold", "1", "--save-phrases", str(table), "--quiet"], check=True)
    out = tmp_path / "cli.wev"
    subprocess.run([cli(), "train", "--input", corpus, "--phrases", str(table), "--output", str(out), "--dim", "24",
                    "--window", "3", "--negative", "4", "--min-count", "3", "--epochs", "2", "--threads", "1",
                    "--seed", "7", "--quiet"], check=True)
    expected = wembed.KeyedVectors.load(str(out))
    m = wembed.train_word2vec(corpus, phrases=table, quiet=True, **SETTINGS)
    assert any("_" in w for w in m.wv.index_to_key)
    assert m.wv.index_to_key == expected.index_to_key
    np.testing.assert_array_equal(m.wv.vectors, expected.vectors)
    with pytest.raises(FileNotFoundError):
        wembed.train_word2vec(corpus, phrases=tmp_path / "missing.tsv", quiet=True, **SETTINGS)
