#!/usr/bin/python3
"""The Python module against the CLI and gensim, on the benchmark corpus (issue 19).

    bench/python_bench.py                        # RUNS=3, MODELS=cbow-ns
    RUNS=3 MODELS="sg-ns cbow-ns" bench/python_bench.py

Every run r (seed r) measures, one tool after another, each in a fresh process:
  train   `wembed train` (CLI) vs wembed.train_word2vec vs gensim Word2Vec(corpus_file=...),
          the hyperparameters of bench/word2vec_bench.sh (dim 100, window 5, negative 5,
          sample 1e-4, min-count 5, 5 epochs, THREADS threads); wall time of the whole process
          (Python start-up and imports included), words/s, and the analogy accuracy of the
          vectors as gensim scores them (shared/tools/evalvec.py);
  load    wembed.KeyedVectors.load vs gensim KeyedVectors.load_word2vec_format(binary=True) on
          the vectors wembed trained (word2vec binary);
  query   1,000 most_similar(word, topn=10) calls (the 1,000 words from rank 100 on), and the same
          1,000 queries as one call (wembed most_similar_batch; gensim has no batch form, so its
          row repeats the loop);
  eval    evaluate_word_analogies(questions-words, restrict_vocab=30000).
Step times are time.perf_counter() around the call, inside the process (no start-up). Rows go to
bench/results/python-DATE.tsv; medians and gensim/wembed ratios are printed.

Environment: WEMBED (CLI, default build/wembed), PYTHONPATH for the module (default build/python),
RUNS (3), MODELS (cbow-ns), THREADS (2), SHARED (../shared).
"""
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(HERE, "data", "text100M.txt")
ANALOGY = os.path.join(SHARED, "data", "eval", "questions-words.txt")
WS = os.path.join(SHARED, "data", "eval", "ws353.tsv")
PY = "/usr/bin/python3"
SETTINGS = dict(dim=100, window=5, negative=5, sample=1e-4, min_count=5, epochs=5)


def worker(argv):
    """Runs in a child process: one tool's step, JSON on stdout."""
    tool, step, vectors = argv[0], argv[1], argv[2]
    if tool == "wembed":
        import wembed
    else:
        import logging
        logging.disable(logging.CRITICAL)
        from gensim.models import KeyedVectors, Word2Vec
    if step.startswith("train:"):
        model, seed, threads = step.split(":")[1:]
        arch, loss = model.split("-")
        alpha = 0.025 if arch == "sg" else 0.05
        t = time.perf_counter()
        if tool == "wembed":
            m = wembed.train_word2vec(CORPUS, model="skipgram" if arch == "sg" else "cbow", loss=loss,
                                      alpha=alpha, threads=int(threads), seed=int(seed), quiet=True, **SETTINGS)
            train_s = time.perf_counter() - t
            m.save(vectors, format="w2v-bin")
        else:
            hs = int(loss == "hs")
            m = Word2Vec(corpus_file=CORPUS, vector_size=100, window=5, negative=0 if hs else 5, hs=hs,
                         sample=1e-4, min_count=5, epochs=5, workers=int(threads), sg=int(arch == "sg"),
                         alpha=alpha, seed=int(seed))
            train_s = time.perf_counter() - t
            m.wv.save_word2vec_format(vectors, binary=True)
        return {"train_s": train_s}
    t = time.perf_counter()
    kv = wembed.KeyedVectors.load(vectors) if tool == "wembed" else KeyedVectors.load_word2vec_format(vectors, binary=True)
    out = {"load_s": time.perf_counter() - t}
    words = kv.index_to_key[100:1100]
    t = time.perf_counter()
    loop = [kv.most_similar(w, topn=10) for w in words]
    out["query_1000_s"] = time.perf_counter() - t
    t = time.perf_counter()
    if tool == "wembed":
        batch = kv.most_similar_batch(words, topn=10)
    else:
        batch = [kv.most_similar(w, topn=10) for w in words]
    out["batch_1000_s"] = time.perf_counter() - t
    assert [r[0][0] for r in batch] == [r[0][0] for r in loop]
    t = time.perf_counter()
    score, _ = kv.evaluate_word_analogies(ANALOGY, restrict_vocab=30000, case_insensitive=True)
    out["eval_s"] = time.perf_counter() - t
    out["analogy"] = float(score)
    out["top1"] = [r[0][0] for r in loop[:50]]
    return out


def timed(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("bench: %s failed:\n%s" % (" ".join(cmd[:4]), p.stderr[-2000:]))
    return wall, p.stdout


def score(vectors):
    out = subprocess.run([PY, os.path.join(SHARED, "tools", "evalvec.py"), vectors, "--binary", "--analogy", ANALOGY,
                          "--sim", WS], check=True, stdout=subprocess.PIPE, text=True).stdout
    d = json.loads(out)
    return d["analogy:questions-words.txt"]["acc"], d["sim:ws353.tsv"]["spearman"]


def main():
    runs = int(os.environ.get("RUNS", "3"))
    models = os.environ.get("MODELS", "cbow-ns").split()
    threads = os.environ.get("THREADS", "2")
    wembed_cli = os.environ.get("WEMBED", os.path.join(ROOT, "build", "wembed"))
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", os.path.join(ROOT, "build", "python"))
    if not os.path.exists(CORPUS):
        sys.exit("bench: %s is missing: run bench/word2vec_bench.sh once (it extracts the corpus)" % CORPUS)
    tokens = sum(len(line.split()) for line in open(CORPUS, encoding="utf-8", errors="replace"))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    tsv = os.path.join(HERE, "results", time.strftime("python-%Y%m%d-%H%M%S.tsv"))
    rows = []
    with tempfile.TemporaryDirectory() as work:
        me = os.path.abspath(__file__)
        for run in range(1, runs + 1):
            for model in models:
                arch, loss = model.split("-")
                for tool in ("cli", "wembed", "gensim"):
                    vec = os.path.join(work, "%s-%s.bin" % (tool, model))
                    if tool == "cli":
                        cmd = [wembed_cli, "train", "--model", "skipgram" if arch == "sg" else "cbow", "--loss", loss,
                               "--input", CORPUS, "--output", vec, "--alpha", "0.025" if arch == "sg" else "0.05",
                               "--threads", threads, "--seed", str(run), "--quiet"]
                        for k, v in SETTINGS.items():
                            cmd += ["--" + k.replace("_", "-"), str(v)]
                        wall, _ = timed(cmd, env)
                        res = {}
                    else:
                        wall, out = timed([PY, me, "--worker", tool, "train:%s:%d:%s" % (model, run, threads), vec], env)
                        res = json.loads(out)
                    acc, ws = score(vec)
                    row = dict(run=run, model=model, tool=tool, step="train", wall_s=round(wall, 2),
                               step_s=round(res.get("train_s", wall), 2), words_per_s=round(5 * tokens / wall),
                               analogy=round(acc, 4), ws353=round(ws, 4))
                    rows.append(row)
                    print("\t".join(str(v) for v in row.values()), flush=True)
                # load/query/eval on the vectors the CLI trained, both tools on the same file
                vec = os.path.join(work, "cli-%s.bin" % model)
                answers = {}
                for tool in ("wembed", "gensim"):
                    _, out = timed([PY, me, "--worker", tool, "query", vec], env)
                    res = json.loads(out)
                    answers[tool] = res.pop("top1")
                    for step in ("load_s", "query_1000_s", "batch_1000_s", "eval_s"):
                        row = dict(run=run, model=model, tool=tool, step=step[:-2], wall_s="", step_s=round(res[step], 4),
                                   words_per_s="", analogy=round(res["analogy"], 4), ws353="")
                        rows.append(row)
                        print("\t".join(str(v) for v in row.values()), flush=True)
                same = sum(a == b for a, b in zip(answers["wembed"], answers["gensim"]))
                print("bench: run %d %s: %d of 50 nearest neighbours equal gensim's" % (run, model, same), flush=True)
    with open(tsv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    summarize(rows, tokens, tsv)


def summarize(rows, tokens, tsv):
    print("\n%d tokens; medians of %s run(s); results in %s\n" % (tokens, max(r["run"] for r in rows), tsv))
    print("| model | step | CLI | wembed (Python) | gensim | gensim / wembed | analogy CLI / Python / gensim |")
    print("|---|---|---|---|---|---|---|")
    keys = sorted({(r["model"], r["step"]) for r in rows}, key=lambda k: (k[0], ["train", "load", "query_1000",
                                                                                   "batch_1000", "eval"].index(k[1])))
    for model, step in keys:
        def med(tool, field):
            vals = [float(r[field]) for r in rows if (r["model"], r["step"], r["tool"]) == (model, step, tool)
                    and r[field] != ""]
            return statistics.median(vals) if vals else None
        field = "wall_s" if step == "train" else "step_s"
        cli, py, gs = med("cli", field), med("wembed", field), med("gensim", field)
        acc = " / ".join("%.2f" % (100 * a) for a in (med("cli", "analogy"), med("wembed", "analogy"),
                                                       med("gensim", "analogy")) if a is not None)
        fmt = lambda v: "-" if v is None else "%.3f s" % v
        print("| %s | %s | %s | %s | %s | %.1fx | %s |" % (model, step, fmt(cli), fmt(py), fmt(gs), gs / py, acc))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2:])))
    else:
        main()
