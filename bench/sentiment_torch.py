#!/usr/bin/python3
"""The wembed sentiment classifier's architecture in PyTorch, for the side-by-side benchmark.

Reads data already tokenized by `wembed sentiment tokenize` ('label<TAB>words' lines, so both
tools see the same words) and a word2vec text vector file. Same model as wembed: embeddings
from the vectors (frozen or fine-tuned; row 0 a shared, trainable unknown-word vector), a
(bi)directional GRU/LSTM over packed sequences (padding masked), last/mean/max/attention
pooling, dropout, a dense layer and a sigmoid; Adam, global gradient-norm clipping, minibatches
bucketed by length, early stopping on dev accuracy. Prints one JSON line with the results.
"""
import argparse
import copy
import json
import math
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def read_vectors(path, max_vocab):
    word_re = re.compile(r"^[a-z]+$")
    words, rows, seen = [], [], set()
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        n, dim = map(int, f.readline().split())
        for line in f:
            parts = line.rstrip("\n").split(" ")
            w = parts[0]
            if not word_re.match(w) or w in seen:
                continue
            seen.add(w)
            words.append(w)
            rows.append(np.asarray(parts[1:dim + 1], dtype=np.float32))
            if max_vocab and len(words) >= max_vocab:
                break
    table = np.zeros((len(words) + 1, dim), dtype=np.float32)  # row 0: unknown word
    table[1:] = np.stack(rows)
    return {w: i + 1 for i, w in enumerate(words)}, table


def read_tokenized(path, vocab, max_len):
    seqs, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            label, _, text = line.rstrip("\n").partition("\t")
            ids = [vocab.get(w, 0) for w in text.split()]
            if max_len:
                ids = ids[:max_len]
            seqs.append(ids or [0])
            labels.append(int(label))
    return seqs, labels


class Net(nn.Module):
    def __init__(self, table, a):
        super().__init__()
        self.fine_tune = a.fine_tune
        self.emb = nn.Embedding.from_pretrained(torch.from_numpy(table), freeze=not a.fine_tune,
                                                sparse=a.fine_tune)
        self.unk = nn.Parameter(torch.zeros(table.shape[1]))
        E, H = table.shape[1], a.hidden
        cls = nn.GRU if a.cell == "gru" else nn.LSTM
        self.rnn = cls(E, H, num_layers=a.layers, bidirectional=a.bidirectional)
        D = H * (2 if a.bidirectional else 1)
        self.pooling, self.cell, self.bidir = a.pooling, a.cell, a.bidirectional
        # Same initialisation as wembed: weights U(-1/sqrt(H), 1/sqrt(H)), biases 0, LSTM forget bias 1.
        k = 1 / math.sqrt(H)
        for name, p in self.rnn.named_parameters():
            if name.startswith("weight"):
                nn.init.uniform_(p, -k, k)
            else:
                nn.init.zeros_(p)
                if a.cell == "lstm" and name.startswith("bias_ih"):
                    p.data[H:2 * H] = 1.0
        kd = 1 / math.sqrt(D)
        self.att = nn.Parameter(torch.empty(D).uniform_(-kd, kd)) if a.pooling == "attention" else None
        self.drop = nn.Dropout(a.dropout)
        self.dense = nn.Linear(D, 1)
        nn.init.uniform_(self.dense.weight, -kd, kd)
        nn.init.zeros_(self.dense.bias)

    def forward(self, ids, lengths):
        # ids: T x B (padded with 0), lengths: B (CPU, int64)
        x = self.emb(ids)
        x = torch.where((ids == 0).unsqueeze(-1), self.unk, x)
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        out, h = self.rnn(packed)
        if self.pooling == "last":
            hn = h if self.cell == "gru" else h[0]
            pooled = torch.cat([hn[-2], hn[-1]], dim=1) if self.bidir else hn[-1]
        else:
            y, _ = pad_packed_sequence(out)  # T x B x D
            mask = (torch.arange(y.shape[0]).unsqueeze(1) < lengths.unsqueeze(0)).unsqueeze(-1)
            if self.pooling == "mean":
                pooled = (y * mask).sum(0) / lengths.unsqueeze(1).to(y.dtype)
            elif self.pooling == "max":
                pooled = y.masked_fill(~mask, float("-inf")).max(0).values
            else:
                s = (y @ self.att).masked_fill(~mask.squeeze(-1), float("-inf"))
                a = torch.softmax(s, dim=0)
                pooled = (a.unsqueeze(-1) * y).sum(0)
        return self.dense(self.drop(pooled)).squeeze(1)


def pad(seqs, idx):
    lengths = torch.tensor([len(seqs[i]) for i in idx], dtype=torch.int64)
    ids = torch.zeros(int(lengths.max()), len(idx), dtype=torch.int64)
    for j, i in enumerate(idx):
        ids[:len(seqs[i]), j] = torch.tensor(seqs[i])
    return ids, lengths


def make_batches(seqs, batch, bucket, rng):
    idx = rng.permutation(len(seqs))
    span = batch * bucket
    batches = []
    for s in range(0, len(idx), span):
        chunk = sorted(idx[s:s + span], key=lambda i: -len(seqs[i]))
        batches += [chunk[b:b + batch] for b in range(0, len(chunk), batch)]
    order = rng.permutation(len(batches))
    return [batches[i] for i in order]


def evaluate(model, seqs, labels, batch=64):
    model.eval()
    order = sorted(range(len(seqs)), key=lambda i: -len(seqs[i]))
    correct, loss = 0, 0.0
    with torch.no_grad():
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            ids, lengths = pad(seqs, idx)
            logit = model(ids, lengths)
            y = torch.tensor([labels[i] for i in idx], dtype=torch.float32)
            loss += nn.functional.binary_cross_entropy_with_logits(logit, y, reduction="sum").item()
            correct += int(((logit >= 0).float() == y).sum())
    model.train()
    return correct / len(seqs), loss / len(seqs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vectors", required=True)
    p.add_argument("--train", required=True)
    p.add_argument("--dev", required=True)
    p.add_argument("--test", action="append", default=[])
    p.add_argument("--cell", default="gru", choices=["gru", "lstm"])
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--bidirectional", action="store_true")
    p.add_argument("--pooling", default="max", choices=["last", "mean", "max", "attention"])
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--fine-tune", action="store_true")
    p.add_argument("--max-len", type=int, default=400)
    p.add_argument("--max-vocab", type=int, default=0)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--bucket", type=int, default=50)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--patience", type=int, default=3)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    t0 = time.time()
    vocab, table = read_vectors(a.vectors, a.max_vocab)
    tr_x, tr_y = read_tokenized(a.train, vocab, a.max_len)
    dv_x, dv_y = read_tokenized(a.dev, vocab, a.max_len)
    tests = [(path,) + read_tokenized(path, vocab, a.max_len) for path in a.test]
    if not a.quiet:
        print(f"torch: {len(tr_x)} train / {len(dv_x)} dev texts, {len(vocab)} words x {table.shape[1]} dims "
              f"({time.time() - t0:.1f} s), torch {torch.__version__}, {torch.get_num_threads()} threads",
              file=sys.stderr)
    model = Net(table, a)
    dense_params = [q for n, q in model.named_parameters() if q.requires_grad and not n.startswith("emb.")]
    opt = torch.optim.Adam(dense_params, lr=a.lr)
    sparse_opt = torch.optim.SparseAdam([model.emb.weight], lr=a.lr) if a.fine_tune else None
    lossf = nn.BCEWithLogitsLoss()

    best = (-1.0, 0.0)
    best_state, best_epoch, since, epochs_run = None, 0, 0, 0
    train_s, sequences = 0.0, 0
    for epoch in range(1, a.epochs + 1):
        batches = make_batches(tr_x, a.batch, a.bucket, rng)
        t = time.time()
        loss_sum, seen = 0.0, 0
        for idx in batches:
            ids, lengths = pad(tr_x, idx)
            y = torch.tensor([tr_y[i] for i in idx], dtype=torch.float32)
            opt.zero_grad()
            if sparse_opt:
                sparse_opt.zero_grad()
            loss = lossf(model(ids, lengths), y)
            loss.backward()
            if a.clip > 0:  # global norm over dense and sparse (embedding) gradients
                sq = sum(float(q.grad.pow(2).sum()) for q in dense_params if q.grad is not None)
                if sparse_opt and model.emb.weight.grad is not None:
                    g = model.emb.weight.grad.coalesce()
                    model.emb.weight.grad = g
                    sq += float(g.values().pow(2).sum())
                norm = math.sqrt(sq)
                if norm > a.clip:
                    for q in dense_params + ([model.emb.weight] if sparse_opt else []):
                        if q.grad is not None:
                            q.grad.mul_(a.clip / norm)
            opt.step()
            if sparse_opt:
                sparse_opt.step()
            loss_sum += float(loss) * len(idx)
            seen += len(idx)
        dt = time.time() - t
        train_s += dt
        sequences += seen
        epochs_run = epoch
        acc, dl = evaluate(model, dv_x, dv_y)
        improved = acc > best[0] or (acc == best[0] and dl < best[1])
        if improved:
            best, best_epoch, since = (acc, dl), epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            since += 1
        if not a.quiet:
            print(f"torch epoch {epoch}/{a.epochs}: train loss {loss_sum / seen:.4f}, dev accuracy {100 * acc:.2f}% "
                  f"(loss {dl:.4f}){' *best*' if improved else ''}, {seen / dt:.0f} seq/s, {dt:.0f} s",
                  file=sys.stderr)
        if a.patience and since >= a.patience:
            break
    model.load_state_dict(best_state)
    result = {"tool": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
              "best_epoch": best_epoch, "epochs_run": epochs_run, "dev_accuracy": best[0],
              "train_seconds": train_s, "sequences": sequences, "seqs_per_sec": sequences / train_s}
    for path, x, y in tests:
        result.setdefault("test", []).append({"file": path, "accuracy": evaluate(model, x, y)[0]})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
