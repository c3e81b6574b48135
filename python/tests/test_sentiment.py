"""wembed.train_sentiment and SentimentClassifier: trained from TSV files or Python lists, the
same model as `wembed sentiment train`, predictions, evaluation, save/load, errors."""
import os
import subprocess

import numpy as np
import pytest

import wembed

POS, NEG = ["good", "great"], ["bad", "awful"]
FILL = ["the", "movie", "plot", "actor", "scene", "film", "story", "was", "and", "it"]
OPTIONS = dict(hidden=8, epochs=12, patience=12, lr=0.02, dropout=0.1, batch=16, threads=1, seed=3, quiet=True)


def pairs(n, seed):
    """SST-2 style texts: fillers around one sentiment word that gives the label."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        label = i % 2
        words = [FILL[rng.integers(10)] for _ in range(2 + rng.integers(8))]
        words.insert(rng.integers(len(words) + 1), (POS if label else NEG)[rng.integers(2)])
        out.append((" ".join(words) + " .", label))
    return out


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("sentence\tlabel\n")
        for text, label in rows:
            f.write(f"{text}\t{label}\n")
    return str(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("sentiment")
    words = POS + NEG + FILL
    rng = np.random.default_rng(1)
    with open(d / "vec.txt", "w", encoding="utf-8") as f:
        f.write(f"{len(words)} 6\n")
        for w in words:
            f.write(w + " " + " ".join(repr(float(x)) for x in rng.standard_normal(6)) + "\n")
    return dict(dir=d, vectors=str(d / "vec.txt"), train=write_tsv(d / "train.tsv", pairs(200, 1)),
                dev=write_tsv(d / "dev.tsv", pairs(60, 2)))


def test_train_from_lists_predict_and_evaluate(files):
    clf, result = wembed.train_sentiment(files["vectors"], pairs(200, 1), pairs(60, 2), **OPTIONS)
    assert isinstance(clf, wembed.SentimentClassifier)
    assert result["best_dev"]["accuracy"] == 1.0 and 1 <= result["best_epoch"] <= result["epochs_run"] <= 12
    p = clf.predict(["a good movie", "the plot was awful", "great", "bad scene"])
    assert p.dtype == np.float32 and p.shape == (4,)
    assert p[0] > 0.5 and p[1] < 0.5 and p[2] > 0.5 and p[3] < 0.5
    m = clf.evaluate(pairs(60, 5))
    assert m["accuracy"] == 1.0 and m["total"] == 60 and m["confusion"] == (30, 0, 30, 0)
    assert clf.evaluate(files["dev"])["accuracy"] == 1.0


def test_same_model_as_the_cli(files, tmp_path):
    cli = os.environ.get("WEMBED_CLI")
    if not cli:
        pytest.skip("WEMBED_CLI (the wembed binary) is not set")
    out = tmp_path / "cli.model"
    subprocess.run([cli, "sentiment", "train", "--vectors", files["vectors"], "--train", files["train"], "--dev",
                    files["dev"], "--model-file", str(out), "--hidden", "8", "--epochs", "12", "--patience", "12",
                    "--lr", "0.02", "--dropout", "0.1", "--batch", "16", "--threads", "1", "--seed", "3", "--quiet"],
                   check=True)
    mine = tmp_path / "py.model"
    clf, _ = wembed.train_sentiment(files["vectors"], files["train"], files["dev"], model_file=mine, **OPTIONS)
    assert mine.read_bytes() == out.read_bytes()
    texts = [t for t, _ in pairs(40, 9)]
    np.testing.assert_array_equal(clf.predict(texts), wembed.SentimentClassifier.load(str(out)).predict(texts))


def test_save_load_round_trip(files, tmp_path):
    clf, _ = wembed.train_sentiment(files["vectors"], files["train"], files["dev"], **OPTIONS)
    path = tmp_path / "m.bin"
    clf.save(str(path))
    back = wembed.SentimentClassifier.load(str(path))
    texts = [t for t, _ in pairs(30, 4)]
    np.testing.assert_array_equal(back.predict(texts), clf.predict(texts))
    assert os.listdir(tmp_path) == ["m.bin"]


def test_progress_and_errors(files, tmp_path):
    seen = []
    wembed.train_sentiment(files["vectors"], files["train"], files["dev"], progress=seen.append,
                           **dict(OPTIONS, epochs=2, quiet=False))
    epochs = [d for d in seen if "dev_accuracy" in d]
    assert [d["epoch"] for d in epochs] == [1, 2]
    with pytest.raises(wembed.Error, match="cell"):
        wembed.train_sentiment(files["vectors"], files["train"], files["dev"], cell="rnn", quiet=True)
    with pytest.raises(wembed.Error, match="0 or 1"):
        wembed.train_sentiment(files["vectors"], [("good", 2)], files["dev"], quiet=True)
    with pytest.raises(FileNotFoundError):
        wembed.train_sentiment(str(tmp_path / "none.txt"), files["train"], files["dev"], quiet=True)
    with pytest.raises(wembed.Error):
        wembed.SentimentClassifier.load(files["vectors"])  # not a model file
