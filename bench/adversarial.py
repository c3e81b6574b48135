#!/usr/bin/env python3
"""An adversarial round over every subcommand: hostile inputs and outputs, as a
user might give them by mistake or on purpose. Not a timed test (it takes a few
minutes); the error matrix (tests/cli/test_error_matrix.cc) keeps the cases that
once failed.

    bench/adversarial.py [--wembed build/wembed] [--only SUBSTRING] [--keep]

Each case runs a shell script in a fresh directory holding copies of small
fixtures (corpus c.txt, vectors v.txt/v.bin, analogy q.txt, similarity ws.tsv,
sentiment train.tsv/dev.tsv and a model sm.bin). Every case is checked for:
  - no hang (a timeout), no crash (no signal; SIGPIPE only where a case allows it);
  - its expected outcome: "ok" (exit 0), "fail" (exit non-zero), or "either";
  - a failure's stderr: exactly one non-empty line, at most 300 characters,
    no control characters;
  - no file destroyed: every file present before is unchanged afterwards
    unless the case names it as one it may write;
  - nothing half-written: no temporary files left in the directory or TMPDIR;
  - an optional check of its own (an output's content).
Prints one line per case that breaks a rule, then a table per category.
"""
import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "data")
TIMEOUT = 90


def sh(cmd, cwd, env=None, timeout=TIMEOUT):
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True, timeout=timeout)


def make_fixtures(fx, wembed):
    """Small inputs shared (by copy) by every case."""
    os.makedirs(fx)
    corpus = sh("gzip -dc " + os.path.join(ROOT, "corpora", "wiki-small.txt.gz") + " | head -c 1500000", fx).stdout
    open(os.path.join(fx, "c.txt"), "wb").write(corpus)
    run = lambda c: subprocess.run(["bash", "-c", c], cwd=fx, check=True, capture_output=True)
    run(f"'{wembed}' train -i c.txt -o v.txt --dim 16 --epochs 1 --threads 2 --min-count 3 -q")
    run(f"'{wembed}' export v.txt v.bin -q")
    run(f"head -n 200 '{SHARED}/eval/questions-words.txt' > q.txt; head -n 40 '{SHARED}/eval/ws353.tsv' > ws.tsv")
    run(f"head -n 400 '{SHARED}/sentiment/sst2/train.tsv' > train.tsv; head -n 100 '{SHARED}/sentiment/sst2/dev.tsv' > dev.tsv")
    run(f"'{wembed}' sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file sm.bin "
        "--hidden 8 --epochs 1 --threads 1 -q")


def snapshot(d):
    out = {}
    for dirpath, dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, d)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p):
                out[rel] = hashlib.sha1(open(p, "rb").read()).hexdigest()
            else:
                out[rel] = "special"
    return out


def printable(line):
    return all(ch == "\t" or (ord(ch) >= 32 and ord(ch) != 127) for ch in line)


class Case:
    def __init__(self, cat, name, script, expect="fail", writes=(), check=None, sigpipe=False, mention=None, usage=False):
        self.cat, self.name, self.script, self.expect, self.usage = cat, name, script, expect, usage
        self.writes, self.check, self.sigpipe, self.mention = set(writes), check, sigpipe, mention


def cases():
    C = []
    add = lambda *a, **k: C.append(Case(*a, **k))
    T = " --dim 8 --epochs 1 --threads 2 --min-count 2 -q"
    G = " --dim 8 --epochs 2 --threads 2 --min-count 2 -q --memory 0.05"
    S = " --hidden 4 --epochs 1 --threads 1 -q"
    W = "$W"
    # --- files one command both reads and writes (or writes twice) ---
    P = "paths"
    add(P, "train -o is the corpus", f"{W} train -i c.txt -o c.txt" + T)
    add(P, "train -o npy whose word list is the corpus", f"cp c.txt x.vocab.txt § {W} train -i x.vocab.txt -o x.npy" + T)
    add(P, "train -o v.npy --save-vocab its word list", f"{W} train -i c.txt -o y.npy --save-vocab y.vocab.txt" + T)
    add(P, "export -o v.npy over an older word list", f"{W} export v.txt y.npy -q § {W} export v.bin y.npy --format npy", expect="ok",
        writes=["y.npy", "y.vocab.txt"])
    add(P, "glove corpus named CKPT.cooccur", f"cp c.txt g.ckpt.cooccur § {W} train --model glove -i g.ckpt.cooccur --checkpoint g.ckpt -o g.txt" + G)
    add(P, "glove -o named CKPT.cooccur", f"{W} train --model glove -i c.txt --checkpoint g.ckpt -o g.ckpt.cooccur" + G)
    add(P, "glove --save-vocab named CKPT.cooccur", f"{W} train --model glove -i c.txt --checkpoint g.ckpt -o g.txt --save-vocab g.ckpt.cooccur" + G)
    add(P, "sentiment --checkpoint is the train file", f"{W} sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --checkpoint train.tsv" + S)
    add(P, "sentiment --checkpoint is the vectors", f"{W} sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --checkpoint v.txt" + S)
    add(P, "sentiment --model-file is the dev file", f"{W} sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file dev.tsv" + S)
    add(P, "sentiment --plot-loss is the checkpoint", f"{W} sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --checkpoint k.svg --plot-loss k.svg" + S)
    add(P, "sentiment --model-file is the vectors", f"{W} sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file v.txt" + S)
    add(P, "export onto itself", f"{W} export v.txt v.txt")
    add(P, "export onto itself through ..", f"mkdir -p sub § {W} export v.txt sub/../v.txt")
    add(P, "export onto a hard link of its input", f"ln v.txt hl.txt § {W} export v.txt hl.txt --format w2v-txt")
    add(P, "export npy whose word list is the input", f"cp v.txt z.vocab.txt § {W} export z.vocab.txt z.npy")
    add(P, "train -o a symlink to the corpus", f"ln -s c.txt o.bin § {W} train -i c.txt -o o.bin" + T)
    add(P, "train -o and --output-context the same", f"{W} train -i c.txt -o a.bin --output-context a.bin" + T)
    add(P, "train --save-vocab is --read-vocab", f"{W} vocab -i c.txt -o r.txt -q § {W} train -i c.txt --read-vocab r.txt --save-vocab r.txt -o a.bin" + T)
    add(P, "train --checkpoint is the corpus", f"{W} train -i c.txt -o a.bin --checkpoint c.txt" + T)
    add(P, "train --plot-loss is -o", f"{W} train -i c.txt -o a.svg --format w2v-txt --plot-loss a.svg" + T)
    add(P, "vocab -o is the corpus", f"{W} vocab -i c.txt -o c.txt -q")
    add(P, "cooccur -o is the corpus", f"{W} cooccur -i c.txt -o c.txt --memory 0.05 -q")
    add(P, "cooccur --save-vocab is -o", f"{W} cooccur -i c.txt -o cc.bin --save-vocab cc.bin --memory 0.05 -q")
    add(P, "plot -o is its input", f"cp v.txt pv.svg § {W} plot pv.svg -o pv.svg --words the,of")
    add(P, "resume -o is the corpus", f"{W} train -i c.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f"; {W} train --resume k.ck -o c.txt", writes=["a.bin", "k.ck"])
    add(P, "--tmp-dir that does not exist", f"gzip -c c.txt > c.gz; {W} train -i c.gz -o a.bin --tmp-dir nowhere" + T, writes=["c.gz"])
    add(P, "dangling symlink output is written through", f"ln -s target.bin o2.bin; {W} train -i c.txt -o o2.bin" + T,
        expect="ok", writes=["target.bin"], check=lambda d, e="": os.path.islink(d + "/o2.bin") and os.path.getsize(d + "/target.bin") > 0)
    add(P, "export to a dangling symlink", f"ln -s t.txt o3.txt; {W} export v.bin o3.txt -q", expect="ok", writes=["t.txt"],
        check=lambda d, e="": os.path.islink(d + "/o3.txt") and os.path.getsize(d + "/t.txt") > 0)
    add(P, "export into a missing directory", f"{W} export v.txt no/dir/x.bin")
    add(P, "export into a read-only directory", f"mkdir ro; chmod 555 ro; {W} export v.txt ro/x.bin; rc=$?; chmod 755 ro; exit $rc",
        expect="either")
    add(P, "export to /dev/full", f"{W} export v.txt /dev/full --format w2v-txt")
    add(P, "two trains to one output at once", f"({W} train -i c.txt -o same.bin" + T + f" &); {W} train -i c.txt -o same.bin" + T + "; wait; sleep 2",
        expect="ok", writes=["same.bin"])
    # --- resume from a changed or bad checkpoint ---
    R = "resume"
    edit = "python3 -c \"import sys;p=sys.argv[1];b=bytearray(open(p,'rb').read());b[len(b)//2:len(b)//2+5]=b'XXXXX';open(p,'wb').write(b)\""
    add(R, "word2vec: corpus edited in place, same size", f"cp c.txt e.txt; {W} train -i e.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f"; {edit} e.txt; {W} train --resume k.ck",
        writes=["a.bin", "k.ck", "e.txt"])
    add(R, "glove: corpus edited in place, same size", f"cp c.txt e.txt; {W} train --model glove -i e.txt -o g.txt --checkpoint k.ck --checkpoint-every 1e-9" + G + f"; {edit} e.txt; {W} train --resume k.ck",
        writes=["g.txt", "k.ck", "e.txt", "k.ck.cooccur"])
    add(R, "sentiment: train file edited in place, same size", f"cp train.tsv t2.tsv; {W} sentiment train --vectors v.txt --train t2.tsv --dev dev.tsv --model-file m.bin --checkpoint k.ck --checkpoint-every 1e-9" + S + f"; {edit} t2.tsv; {W} sentiment train --resume k.ck",
        writes=["m.bin", "k.ck", "t2.tsv"])
    add(R, "resume a truncated checkpoint", f"{W} train -i c.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f"; truncate -s 5000 k.ck; {W} train --resume k.ck",
        writes=["a.bin", "k.ck"])
    add(R, "resume a text file", f"{W} train --resume c.txt")
    add(R, "resume /dev/null", f"{W} train --resume /dev/null")
    add(R, "resume a sentiment checkpoint with train", f"{W} sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --checkpoint k.ck --checkpoint-every 1e-9" + S + f"; {W} train --resume k.ck",
        writes=["m.bin", "k.ck"])
    add(R, "resume a word2vec checkpoint with sentiment", f"{W} train -i c.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f"; {W} sentiment train --resume k.ck",
        writes=["a.bin", "k.ck"])
    add(R, "resume with a setting", f"{W} train -i c.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f"; {W} train --resume k.ck --dim 50",
        writes=["a.bin", "k.ck"])
    add(R, "resume with the corpus deleted", f"cp c.txt e.txt; {W} train -i e.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f"; rm e.txt; {W} train --resume k.ck",
        writes=["a.bin", "k.ck", "e.txt"])
    # --- signals ---
    K = "signals"
    # set -m: job control, so that a background job does not ignore SIGINT (as bash makes it otherwise).
    big = "set -m; for i in 1 2 3 4 5 6; do cat c.txt; done > big.txt; "
    for sig in ("INT", "TERM", "HUP"):
        add(K, f"SIG{sig} during train", big + f"{W} train -i big.txt -o a.bin --dim 50 --epochs 20 --threads 2 -q & p=$!; sleep 1.5; kill -{sig} $p; wait $p",
            writes=["big.txt"], check=lambda d, e="": not os.path.exists(d + "/a.bin"))
    add(K, "SIGINT during glove", big + f"{W} train --model glove -i big.txt -o g.txt --dim 50 --epochs 50 --threads 2 -q & p=$!; sleep 2; kill -INT $p; wait $p",
        writes=["big.txt"], check=lambda d, e="": not os.path.exists(d + "/g.txt"))
    add(K, "SIGINT during cooccur", big + f"{W} cooccur -i big.txt -o cc.bin --memory 0.01 --threads 2 -q & p=$!; sleep 0.7; kill -INT $p; wait $p",
        expect="either", writes=["big.txt", "cc.bin"])
    add(K, "SIGTERM during sentiment train", f"set -m; {W} sentiment train --vectors v.txt --train {SHARED}/sentiment/sst2/train.tsv --dev dev.tsv --model-file m.bin --hidden 64 --epochs 50 --threads 1 -q & p=$!; sleep 2; kill -TERM $p; wait $p",
        writes=["m.bin"])  # the best epoch so far is saved as the run goes, each time whole
    add(K, "SIGINT during export tsv", big + f"{W} train -i big.txt -o bv.txt --dim 100 --epochs 1 --min-count 1 -q; {W} export bv.txt tsvdir --format tsv -q & p=$!; sleep 0.05; kill -INT $p; wait $p",
        expect="either", writes=["big.txt", "bv.txt", "tsvdir/vectors.tsv", "tsvdir/metadata.tsv"])
    add(K, "SIGKILL during train, then the same run again", big + f"{W} train -i big.txt -o a.bin --dim 50 --epochs 20 --threads 2 -q & p=$!; sleep 1; kill -KILL $p; wait $p; {W} train -i c.txt -o a.bin" + T,
        expect="ok", writes=["big.txt", "a.bin"])
    add(K, "neighbors into a closed pipe", f"{W} neighbors v.txt the of and -k 50 | head -c1", expect="either", sigpipe=True)
    # --- numbers out of range ---
    N = "ranges"
    for flag in ["--alpha -1", "--alpha 1e9", "--alpha nan", "--dim 0", "--dim -5", "--dim 100000000", "--window 0",
                 "--negative -1", "--epochs 0", "--sample -1", "--min-count -1", "--threads 1000000", "--max-sentence 0",
                 "--checkpoint-every 0 --checkpoint k.ck", "--seed -3", "--prune-at 1"]:
        add(N, "train " + flag, f"{W} train -i c.txt -o a.bin --threads 2 -q " + flag, expect="fail" if flag != "--prune-at 1" else "either",
            writes=["a.bin"] if flag == "--prune-at 1" else [])
    for flag in ["--eta nan", "--eta -1", "--x-max 0", "--alpha-weight -2", "--memory 0", "--memory -1", "--grad-clip -1", "--max-open 1"]:
        add(N, "glove " + flag, f"{W} train --model glove -i c.txt -o g.txt --threads 2 -q --epochs 1 " + flag,
            expect="fail" if flag != "--max-open 1" else "either", writes=["g.txt"] if flag == "--max-open 1" else [])
    for cmd in ["neighbors v.txt the -k 0", "neighbors v.txt the -k -1", "neighbors v.txt the --limit -1", "analogy v.txt a b",
                "eval v.txt --analogy q.txt --threads 1000000", "plot v.txt -o p.svg --words the,of,and --threads 1000000",
                "plot v.txt -o p.svg --method tsne --learning-rate 1e30 --top 50",
                "plot v.txt -o p.svg --method tsne --learning-rate inf --top 50",
                "plot v.txt -o p.svg --method tsne --perplexity 0 --top 50",
                "plot v.txt -o p.svg --method tsne --perplexity 1e9 --top 50",
                "sentiment eval --model-file sm.bin --data dev.tsv --threads 1000000",
                "sentiment predict --model-file sm.bin dev.tsv --threads 1000000",
                f"sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --lr -1" + S,
                f"sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --batch 0" + S,
                f"sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --dropout 1.5" + S,
                "sentiment train --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin --hidden 0 --epochs 1 -q",
                "export v.txt x.bin --limit -5"]:
        nan_check = (lambda d, e="": not os.path.exists(d + "/p.svg") or "nan" not in open(d + "/p.svg").read().lower()) if "tsne" in cmd else None
        name = cmd.replace(" --vectors v.txt --train train.tsv --dev dev.tsv --model-file m.bin", "").replace(S, "")
        add(N, name, f"{W} " + cmd, expect="either" if "tsne" in cmd else "fail", writes=["p.svg"] if "tsne" in cmd else [], check=nan_check)
    # --- inputs that are not files, streams, compression ---
    I = "inputs"
    add(I, "corpus /dev/zero", f"{W} train -i /dev/zero -o a.bin" + T)
    add(I, "corpus /dev/null", f"{W} train -i /dev/null -o a.bin" + T)
    add(I, "corpus a directory", f"{W} train -i . -o a.bin" + T)
    add(I, "corpus FIFO whose writer ends", f"mkfifo f; (head -c 300000 c.txt > f &); {W} train -i f -o a.bin --tmp-dir ." + T, expect="ok", writes=["a.bin"])
    add(I, "corpus <(...)", f"{W} vocab -i <(cat c.txt) -o vv.txt -q", expect="ok", writes=["vv.txt"])
    add(I, "corpus .xz", f"xz -k c.txt; {W} train -i c.txt.xz -o a.bin" + T, expect="ok", writes=["a.bin", "c.txt.xz"])
    add(I, "corpus .gz with glove", f"gzip -k c.txt; {W} train --model glove -i c.txt.gz -o g.txt" + G, expect="ok", writes=["g.txt", "c.txt.gz"])
    add(I, "corpus .bz2", f"bzip2 -k c.txt; {W} train -i c.txt.bz2 -o a.bin" + T, writes=["c.txt.bz2"])
    add(I, "corpus truncated .gz", f"gzip -c c.txt | head -c 20000 > t.gz; {W} train -i t.gz -o a.bin" + T, writes=["t.gz"])
    add(I, "corpus empty", f": > e.txt; {W} train -i e.txt -o a.bin" + T, writes=["e.txt"])
    add(I, "corpus only newlines", f"yes '' | head -n 100000 > e.txt; {W} train -i e.txt -o a.bin" + T, writes=["e.txt"])
    add(I, "corpus one 50 MB word", f"head -c 50000000 /dev/zero | tr '\\0' a > w.txt; cat c.txt >> w.txt; {W} train -i w.txt -o a.bin" + T,
        expect="ok", writes=["w.txt", "a.bin"])
    add(I, "corpus random bytes", f"head -c 2000000 /dev/urandom > r.txt; {W} train -i r.txt -o a.bin" + T, expect="either", writes=["r.txt", "a.bin"])
    add(I, "sentiment eval --data /dev/zero", f"{W} sentiment eval --model-file sm.bin --data /dev/zero")
    add(I, "sentiment eval --data endless pipe", f"cat /dev/zero | {W} sentiment eval --model-file sm.bin --data -", expect="fail")
    add(I, "neighbors prompt: a 1 MB line", f"head -c 1000000 /dev/zero | tr '\\0' a | {W} neighbors v.txt")
    add(I, "vocab --prune-at on many distinct words: one note", "python3 -c \"print(' '.join('w%d' % i for i in range(300000)))\" > d.txt; " + f"{W} vocab -i d.txt -o dv.txt --prune-at 10000 --min-count 1",
        expect="ok", writes=["d.txt", "dv.txt"], check=lambda d, e="": e.count("--prune-at") == 1)
    add(I, "info on a directory", f"{W} info .")
    add(I, "eval --analogy missing", f"{W} eval v.txt --analogy nope.txt")
    add(I, "eval --analogy garbage lines", f"printf ': s\\na b\\nx y z w v\\n' > qq.txt; {W} eval v.txt --analogy qq.txt", expect="either", writes=["qq.txt"])
    add(I, "sentiment predict with vectors as model", f"{W} sentiment predict --model-file v.bin dev.tsv")
    add(I, "sentiment train labels not 0/1", f"sed '2s/\\t[01]$/\\tx/' train.tsv > bad.tsv; {W} sentiment train --vectors v.txt --train bad.tsv --dev dev.tsv --model-file m.bin" + S, writes=["bad.tsv"])
    add(I, "sentiment train empty train file", f"head -n1 train.tsv > h.tsv; {W} sentiment train --vectors v.txt --train h.tsv --dev dev.tsv --model-file m.bin" + S, writes=["h.tsv"])
    add(I, "sentiment train no label column", f"cut -f1 train.tsv > nl.tsv; {W} sentiment train --vectors v.txt --train nl.tsv --dev dev.tsv --model-file m.bin" + S, writes=["nl.tsv"])
    add(I, "glove --cooccur missing", f"{W} vocab -i c.txt -o r.txt -q; {W} train --model glove --cooccur none.bin --read-vocab r.txt -o g.txt" + G, writes=["r.txt"])
    add(I, "glove --cooccur of another vocabulary", f"{W} vocab -i c.txt -o r.txt --min-count 2 -q; {W} cooccur -i c.txt -o cc.bin --read-vocab r.txt --memory 0.05 -q; {W} vocab -i c.txt -o r2.txt --min-count 50 -q; {W} train --model glove --cooccur cc.bin --read-vocab r2.txt -o g.txt" + G,
        writes=["r.txt", "r2.txt", "cc.bin"])
    # --- vector files that are broken or unusual ---
    V = "vectors"
    add(V, "binary word with a newline", "python3 -c \"import struct,sys;sys.stdout.buffer.write(b'2 2\\n' + b'a\\nb ' + struct.pack('2f',1,2) + b'c ' + struct.pack('2f',3,4))\" > nl.bin; " + f"{W} neighbors nl.bin c", expect="either", writes=["nl.bin"])
    add(V, "query word with a newline", f"{W} neighbors v.txt $'the\\nof'", expect="either")
    add(V, "header of a million digits", "python3 -c \"print('9'*1000000 + ' 5')\" > h.txt; " + f"{W} info h.txt", writes=["h.txt"])
    add(V, "60 KB duplicate word", "python3 -c \"w='x'*60000; print('2 2'); print(w, '1 2'); print(w, '3 4')\" > dup.txt; " + f"{W} info dup.txt", expect="either", writes=["dup.txt"])
    add(V, "500 KB similarity score", "python3 -c \"print('the\\tof\\t' + '1'*500000)\" > bs.tsv; " + f"{W} eval v.txt --similarity bs.tsv", expect="either", writes=["bs.tsv"])
    add(V, "path with a newline", f"{W} info $'no\\nfile'")
    add(V, "path with a terminal escape", f"{W} info $'\\x1b[31mred'")
    add(V, "word with a NUL", "python3 -c \"import sys;sys.stdout.buffer.write(b'1 2\\na\\x00b 1 2\\n')\" > nul.txt; " + f"{W} neighbors nul.txt a", expect="either", writes=["nul.txt"])
    add(V, "UTF-8 BOM before the header", "printf '\\xef\\xbb\\xbf' > bom.txt; cat v.txt >> bom.txt; " + f"{W} info bom.txt", expect="either", writes=["bom.txt"])
    add(V, "text with a word in the header", "(echo 'hello 5'; tail -n +2 v.txt) > hw.txt; " + f"{W} info hw.txt", writes=["hw.txt"])
    add(V, "hex floats", "printf '1 2\\na 0x1p-2 0x1.8p1\\n' > hex.txt; " + f"{W} info hex.txt", expect="either", writes=["hex.txt"])
    add(V, "binary truncated mid-row", f"head -c 3000 v.bin > tb.bin; {W} info tb.bin", writes=["tb.bin"])
    add(V, "text with uneven rows", "(head -n 5 v.txt; echo 'bad 1 2') > u.txt; " + f"{W} info u.txt", writes=["u.txt"])
    add(V, "npy without its word list", f"{W} export v.txt n.npy -q; rm n.vocab.txt; {W} info n.npy", writes=["n.npy", "n.vocab.txt"])
    add(V, "truncated .gz vectors", f"gzip -c v.txt | head -c 3000 > tv.txt.gz; {W} info tv.txt.gz", writes=["tv.txt.gz"])
    add(V, "a fastText-like .bin", "printf '\\xba\\x16\\x4f\\x2f\\x0c\\x00\\x00\\x00' > ft.bin; head -c 1000 /dev/urandom >> ft.bin; " + f"{W} info ft.bin", writes=["ft.bin"])
    add(V, "a gensim pickle", "printf '\\x80\\x04\\x95' > g.model; head -c 100 /dev/urandom >> g.model; " + f"{W} info g.model", writes=["g.model"])
    add(V, "NaN in a text vector", "printf '2 2\\na nan 1\\nb 1 2\\n' > nan.txt; " + f"{W} neighbors nan.txt b", expect="either", writes=["nan.txt"])
    add(V, "zero rows", "printf '0 5\\n' > z.txt; " + f"{W} neighbors z.txt a", writes=["z.txt"])
    add(V, "dim 0", "printf '2 0\\na\\nb\\n' > d0.txt; " + f"{W} info d0.txt", expect="either", writes=["d0.txt"])
    add(V, "huge declared size", "printf '1000000000000 1000000\\na 1\\n' > hs.bin; " + f"{W} info hs.bin", writes=["hs.bin"])
    add(V, "export tsv into a non-empty directory", f"mkdir td; echo keep > td/other.txt; {W} export v.txt td --format tsv -q", expect="either",
        writes=["td/vectors.tsv", "td/metadata.tsv"])
    add(V, "plot words absent", f"{W} plot v.txt -o p.svg --words zzzq,yyyq")
    add(V, "plot -o .pdf", f"{W} plot v.txt -o p.pdf --words the,of")
    # --- names and options ---
    O = "options"
    n250, n255, n256 = "a" * 246 + ".bin", "b" * 251 + ".bin", "c" * 252 + ".bin"
    add(O, "250-byte output name", f"{W} export v.txt {n250} -q", expect="ok", writes=[n250])
    add(O, "255-byte output name", f"{W} export v.txt {n255} -q", expect="ok", writes=[n255])
    add(O, "256-byte output name", f"{W} export v.txt {n256} -q")
    add(O, "unknown option", f"{W} train --frobnicate -i c.txt -o a.bin")
    add(O, "option given twice", f"{W} train -i c.txt -o a.bin -o b.bin" + T)
    add(O, "VECTORS and -i differ", f"{W} neighbors v.txt -i v.bin the")
    add(O, "help of an unknown command", f"{W} help frob")
    add(O, "unknown command", f"{W} frob")
    add(O, "no arguments (the usage, as git does)", f"{W}", usage=True)
    add(O, "empty file name", f"{W} train -i '' -o a.bin")
    add(O, "train without -o", f"{W} train -i c.txt" + T)
    add(O, "--format unknown", f"{W} export v.txt x.out --format xml")
    add(O, "sentiment without subcommand", f"{W} sentiment")
    add(O, "sentiment --model-file and --model differ", f"{W} sentiment eval --model-file sm.bin --model other.bin --data dev.tsv")
    add(O, "glove-only flag on skipgram", f"{W} train -i c.txt -o a.bin --x-max 50" + T)
    add(O, "word2vec-only flag on glove", f"{W} train --model glove -i c.txt -o g.txt --negative 3" + G)
    add(O, "--plot-loss .pdf", f"{W} train -i c.txt -o a.bin --plot-loss r.pdf" + T)
    add(O, "train --threads -1", f"{W} train -i c.txt -o a.bin --threads -1 -q")
    # --- the other commands: queries, tokenize, cooccur, info, and runs that landed since ---
    Q = "commands"
    add(Q, "analogy with a word missing", f"{W} analogy v.txt zzzq of the")
    add(Q, "analogy --method div", f"{W} analogy v.txt the of and --method div")
    add(Q, "analogy prompt: two words only", f"printf 'the of\\n' | {W} analogy v.txt", expect="either")
    add(Q, "analogy --restrict -1", f"{W} analogy v.txt the of and --restrict -1")
    add(Q, "eval --json with nothing to score", f"{W} eval v.txt --json")
    add(Q, "eval --similarity with one column", f"cut -f1 ws.tsv > one.tsv § {W} eval v.txt --similarity one.tsv", expect="either")
    add(Q, "neighbors with no word in the vocabulary", f"{W} neighbors v.txt zzzq", expect="either")
    add(Q, "sentiment tokenize --format xml", f"{W} sentiment tokenize --data dev.tsv --format xml")
    add(Q, "sentiment tokenize -o is its data", f"{W} sentiment tokenize --data dev.tsv -o dev.tsv")
    add(Q, "sentiment tokenize --max-len -1", f"{W} sentiment tokenize --data dev.tsv --max-len -1")
    add(Q, "sentiment tokenize of an .xz file", f"xz -k dev.tsv § {W} sentiment tokenize --data dev.tsv.xz -o tok.tsv", expect="ok", writes=["tok.tsv"])
    add(Q, "cooccur --read-vocab missing", f"{W} cooccur -i c.txt -o cc.bin --read-vocab none.txt")
    add(Q, "cooccur into a missing directory", f"{W} cooccur -i c.txt -o no/cc.bin --memory 0.05 -q")
    add(Q, "info on an empty file", f": > e.bin § {W} info e.bin")
    add(Q, "info on a checkpoint", f"{W} train -i c.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f" § {W} info k.ck",
        mention="checkpoint")
    add(Q, "neighbors on a sentiment model", f"{W} neighbors sm.bin the", mention="sentiment model")
    add(Q, "train --plot-loss on a resume", f"{W} train -i c.txt -o a.bin --checkpoint k.ck --checkpoint-every 1e-9" + T + f" § {W} train --resume k.ck --plot-loss r.svg -q",
        expect="ok", writes=["a.bin", "k.ck", "r.svg"])
    add(Q, "train --plot-loss over the checkpoint", f"{W} train -i c.txt -o a.bin --checkpoint r.svg --plot-loss r.svg" + T)
    add(Q, "plot --top 0", f"{W} plot v.txt -o p.svg --top 0")
    add(Q, "plot a png into a missing directory", f"{W} plot v.txt -o no/p.png --top 20")
    add(Q, "export --format tsv onto a file", f"{W} export v.txt c.txt --format tsv")
    add(Q, "help train into a closed pipe", f"{W} help train | head -c1", expect="either", sigpipe=True)
    add(Q, "--version with more arguments", f"{W} --version extra", expect="either")
    return C


def run_case(c, i, fixtures, work, wembed):
    d = os.path.join(work, "%03d" % i)
    shutil.copytree(fixtures, d)
    tmp = os.path.join(d, ".tmpdir")
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp)
    script = c.script.replace("$W", "'" + wembed + "'")
    if " § " in script:  # files the case prepares: protected as the fixtures are
        setup, script = script.split(" § ", 1)
        subprocess.run(["bash", "-c", setup], cwd=d, env=env, capture_output=True, timeout=TIMEOUT)
    before = snapshot(d)
    problems = []
    t0 = time.time()
    try:
        r = subprocess.run(["bash", "-c", script], cwd=d, env=env, capture_output=True, timeout=TIMEOUT)
        rc, err = r.returncode, r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        sh("pkill -KILL -f " + "'" + d + "' || true", "/")
        return ["hang (over %d s)" % TIMEOUT], None, time.time() - t0
    secs = time.time() - t0
    if rc < 0 or rc >= 128:
        sig = -rc if rc < 0 else rc - 128
        if not (c.sigpipe and sig == signal.SIGPIPE) and "kill" not in c.script:
            problems.append("killed by signal %d" % sig)
        if "kill" in c.script and sig not in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL, signal.SIGPIPE):
            problems.append("crashed with signal %d" % sig)
    if c.expect == "ok" and rc != 0:
        problems.append("failed (exit %d): %s" % (rc, err.strip().splitlines()[-1:] if err.strip() else ""))
    if c.expect == "fail" and rc == 0:
        problems.append("exit 0 where an error was expected")
    if rc != 0 and "kill" not in c.script:
        # The query prompt is not a message.
        lines = [l for l in err.splitlines() if l.strip() and not l.startswith("Enter word")]
        msgs = [l for l in lines if "error" in l or "wembed" in l]
        if len(lines) != 1 and not (c.usage and lines and lines[0].startswith("usage:")):
            problems.append("%d lines on stderr" % len(lines))
        for l in lines:
            if len(l) > 300:
                problems.append("a %d-character line" % len(l))
            if not printable(l):
                problems.append("control characters in the message")
        if c.mention and not any(c.mention in l for l in lines):
            problems.append("message does not say '%s'" % c.mention)
    after = snapshot(d)
    for f, h in before.items():
        if f in c.writes:
            continue
        if f not in after:
            problems.append("deleted " + f)
        elif after[f] != h:
            problems.append("changed " + f)
    for f in after:
        base = os.path.basename(f)
        if ".tmp." in base or base.startswith("wembed-") or f.startswith(".tmpdir/"):
            problems.append("left behind " + f)
    if c.check is not None and not problems:
        try:
            if not c.check(d, err):
                problems.append("its own check failed")
        except Exception as e:  # noqa: BLE001 - any failure of a check is reported
            problems.append("its own check failed: %s" % e)
    return problems, err, secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wembed", default=os.path.join(ROOT, "build", "wembed"))
    ap.add_argument("--only", default="")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    wembed = os.path.abspath(args.wembed)
    work = tempfile.mkdtemp(prefix="wembed-adversarial-")
    fixtures = os.path.join(work, "fixtures")
    make_fixtures(fixtures, wembed)
    table = {}
    all_cases = [c for c in cases() if args.only in c.cat + ": " + c.name]
    bad = 0
    for i, c in enumerate(all_cases):
        problems, err, secs = run_case(c, i, fixtures, work, wembed)
        row = table.setdefault(c.cat, [0, 0])
        row[0] += 1
        if problems:
            bad += 1
            last = (err or "").strip().splitlines()[-1:] if err else []
            print("BROKEN %s: %s -- %s | %s" % (c.cat, c.name, "; ".join(problems), (last[0][:200] if last else "")))
        else:
            row[1] += 1
        if not args.keep:
            shutil.rmtree(os.path.join(work, "%03d" % i), ignore_errors=True)
    print("\n| category | cases | handled |")
    print("|---|---|---|")
    for cat, (n, ok) in table.items():
        print("| %s | %d | %d |" % (cat, n, ok))
    total = sum(n for n, _ in table.values())
    print("| all | %d | %d |" % (total, total - bad))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("kept", work)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
