#!/usr/bin/env python3
"""Scaling model for distributed word2vec training on MPI (issue 21).

A model, not a measurement: it predicts words/s, parallel efficiency and time per
epoch for N ranks (one rank = one machine running Hogwild on its cores) that every
--sync-seconds (or --sync-words) average their input and output matrices with
MPI_Allreduce, the pWord2Vec way (Ji et al., "Parallelizing Word2Vec in Shared and
Distributed Memory", and IntelLabs/pWord2Vec's pWord2Vec_mpi.cpp).

    bench/mpi_scaling.py                  # plain-text tables, default inputs
    bench/mpi_scaling.py --markdown       # the same as Markdown (for the README)
    bench/mpi_scaling.py --overlap        # a communication thread (see below)
    bench/mpi_scaling.py --rates-from bench/results/word2vec-YYYYMMDD-HHMMSS.tsv
    bench/mpi_scaling.py --schedule doubling --sync-top 1024   # pWord2Vec's schedule

Python 3 standard library only.

The model (every input is a flag; the defaults and where they come from are below):

* Compute. A rank with C cores trains C * r words/s, r the per-core rate of the
  model (sg-ns, cbow-ns, sg-hs, cbow-hs) measured on one machine. The rate is taken
  as constant per core (Hogwild scaling linearly inside a machine); this is optimistic
  for 32 cores, which makes communication look relatively *more* costly, not less.
* Sync interval. Each rank computes for I seconds (--sync-seconds, pWord2Vec's
  default 0.1 s) or W words (--sync-words) between two synchronisations; W = I * C * r.
* Rows per sync. The vocabulary is sorted by count, so the frequent rows come
  first. --schedule tiered: the top K rows (--sync-top) at every sync and all V rows
  at every M-th sync (--full-every). --schedule doubling (pWord2Vec): sync k sends
  the top min(K * 2^z, V) rows, z the number of trailing zero bits of k, so the top
  K rows go every sync, the top 2K every 2nd, the top 4K every 4th, ...
* Bytes per sync = rows * row_floats * 4 bytes * 2 matrices (input vectors and output
  vectors / HS inner nodes). row_floats is the padded row stride wembed's Matrix uses
  (dim rounded up to a multiple of 16: 112 for dim 100), since MPI_Allreduce on a
  contiguous range of rows sends the padding too; --packed sends dim floats a row.
* Allreduce cost: ring allreduce,
      t = 2 (N-1)/N * bytes / bandwidth + 2 (N-1) * latency
  for each of the --calls-per-sync allreduce calls of one sync (default 3: input
  rows, output rows, and one small call for the global word count / stop flag, which
  pays the latency term only). bandwidth = link Gb/s * 1e9 / 8 * --link-efficiency.
  The cost of adding the floats (memory bandwidth), stragglers, network contention and
  MPI's own choice of algorithm are not modelled: read the result as an upper bound.
* Blocking (default, as pWord2Vec: compute stops while the matrices are averaged):
      cycle = I + t_sync
  With --overlap (a communication thread runs the allreduce while the compute
  threads go on training; one sync in flight at a time; while in flight it keeps
  --comm-core-share of one core busy):
      cycle = max(t_sync, I)            (--sync-seconds)
      cycle = max(t_sync, (W / r + share * t_sync) / C)   (--sync-words)
      words per rank per cycle = r * (C * cycle - share * t_sync)
  so when a sync takes longer than the interval the ranks train more words between
  syncs instead of waiting (more divergence, no lost time).
* Rank rate = words per cycle / cycle (averaged over the schedule's kinds of sync),
  cluster rate = N times that, parallel efficiency = rank rate / (C * r), the cluster
  rate over N times one machine's rate without MPI; blocking: I / (I + t_sync).
  Time per epoch = corpus tokens / cluster rate. One-off costs (vocabulary count and
  merge, reading the corpus, writing the output on rank 0) are not included.
* Accuracy risk is not predicted, only described: each sync averages N replicas that
  each trained W words on their own since the last one (rare rows synced every M-th
  sync: M * W words), so N * W words of updates are merged at once. The tables give
  W, N * W and the syncs per epoch; the fewer syncs per epoch and the larger N * W is
  compared to the corpus, the closer the run gets to one-model-merge-per-epoch
  (Spark MLlib's scheme, which costs accuracy).
"""

import argparse
import csv
import math
import statistics
import sys

MODELS = ("sg-ns", "cbow-ns", "sg-hs", "cbow-hs")

# Per-core compute rates, words/s: wembed rows of bench/results/word2vec-20261206-020603.tsv
# (bench/word2vec_bench.sh, RUNS=3, 2 threads, dim 100, window 5, negative 5, sample 1e-4,
# min-count 5, 5 epochs, first 10^8 bytes of big.txt), median of the 3 runs' words_per_s
# column divided by the 2 threads. That column is 5 epochs * 17,212,814 tokens / wall time of
# the whole run (vocabulary count and saving included, so about 8% below the training phase
# alone: bench/results/scale-20261206-031702.tsv shows 2.24M vs 2.44M words/s), measured while
# other builds ran at nice 19 on the same 2 cores (sg-ns alone: 3.25M words/s, 1.62M per core).
# The reruns in word2vec-20261206-032637.tsv (sg-ns 2.47M and 2.99M, cbow-hs 2.55M and 2.76M
# for 2 threads) lie in the same range.
DEFAULT_RATE_PER_CORE = {
    "sg-ns": 2449874 / 2,    # runs 3247701, 2449874, 2423657
    "cbow-ns": 4119869 / 2,  # runs 4929214, 4119869, 3873270
    "sg-hs": 1493390 / 2,    # runs 1493390, 1395332, 1618658
    "cbow-hs": 2704716 / 2,  # runs 2704716, 2581406, 2807047
}

# Benchmark corpus: first 10^8 bytes of big.txt, 17,212,814 tokens (`wc -w`, the unit of the
# benchmark's words/s), 68,687 words at min-count 5 (bench/data/text100M.vocab).
BENCH_TOKENS = 17212814
BENCH_VOCAB = 68687
# Vocabulary of a larger corpus: Heaps' law V = a * T^b through two points measured on this
# corpus at min-count 5: its first 17.21M tokens (68,687 words) and the whole big.txt, 84.37M
# tokens, 156,452 words (bench/results/scale-20261206-031702.tsv). Extrapolating from 84M to
# 1e9 tokens of one text is a guess; pass --large-vocab for a real corpus's count.
HEAPS_POINTS = ((17212814, 68687), (84373156, 156452))
LARGE_TOKENS = 1_000_000_000


def heaps_vocab(tokens, points=HEAPS_POINTS):
    (t1, v1), (t2, v2) = points
    b = math.log(v2 / v1) / math.log(t2 / t1)
    return int(round(v2 * (tokens / t2) ** b))


def ring_allreduce_seconds(nbytes, ranks, bandwidth_bytes_s, latency_s):
    """Ring allreduce: 2 (N-1)/N * bytes / bandwidth + 2 (N-1) * latency (0 for one rank)."""
    if ranks <= 1:
        return 0.0
    return 2.0 * (ranks - 1) / ranks * nbytes / bandwidth_bytes_s + 2.0 * (ranks - 1) * latency_s


def trailing_zeros(k):
    z = 0
    while k % 2 == 0:
        k //= 2
        z += 1
    return z


def sync_mix(schedule, vocab, top, full_every):
    """[(share of syncs, rows sent)] over one period of the schedule."""
    top = min(top, vocab)
    if schedule == "tiered":
        if full_every <= 1 or top >= vocab:
            return [(1.0, vocab)]
        return [((full_every - 1) / full_every, top), (1.0 / full_every, vocab)]
    if schedule == "doubling":
        # sync k sends min(top * 2^z(k), vocab) rows; over 2^J syncs (J large enough that
        # top * 2^J >= vocab) the share of syncs with z(k) = j is 2^-(j+1) for j < J and
        # 2^-J for "j >= J" (all rows).
        mix = []
        j = 0
        while top * 2 ** j < vocab:
            mix.append((2.0 ** -(j + 1), top * 2 ** j))
            j += 1
        mix.append((2.0 ** -j, vocab))
        return mix
    raise ValueError("unknown schedule " + schedule)


def rows_every(schedule, rank, top, full_every, vocab):
    """How many syncs apart the row of frequency rank `rank` (0-based) is averaged."""
    if rank < top:
        return 1
    if schedule == "tiered":
        return full_every
    k = 1
    while top * k <= rank and top * k < vocab:
        k *= 2
    return k


class Setup:
    """Everything but the rank count, the link and the model."""

    def __init__(self, args):
        self.dim = args.dim
        self.row_floats = args.dim if args.packed else (args.dim + 15) // 16 * 16
        self.value_bytes = args.value_bytes
        self.matrices = 2
        self.calls = args.calls_per_sync
        self.latency = args.latency_us * 1e-6
        self.link_eff = args.link_efficiency
        self.schedule = args.schedule
        self.top = args.sync_top
        self.share = args.sync_share
        self.full_every = args.full_every
        self.sync_seconds = args.sync_seconds
        self.sync_words = args.sync_words
        self.overlap = args.overlap
        self.comm_share = args.comm_core_share

    def row_bytes(self):
        return self.row_floats * self.value_bytes * self.matrices

    def top_for(self, vocab):
        """Rows synced every time: the --sync-share of the vocabulary, or --sync-top."""
        return max(1, int(vocab * self.share)) if self.share > 0 else self.top

    def mix(self, vocab):
        return sync_mix(self.schedule, vocab, self.top_for(vocab), self.full_every)

    def mean_bytes(self, vocab):
        return sum(p * rows for p, rows in self.mix(vocab)) * self.row_bytes()

    def sync_seconds_for(self, rows, ranks, gbps):
        bw = gbps * 1e9 / 8 * self.link_eff
        t = ring_allreduce_seconds(rows * self.row_bytes(), ranks, bw, self.latency)
        # the two matrices' calls carry the bytes; every call pays the latency term
        extra_calls = max(self.calls - 1, 0)
        return t + extra_calls * ring_allreduce_seconds(0, ranks, bw, self.latency)

    def predict(self, rate_core, cores, ranks, gbps, vocab):
        """dict: words (per rank per sync, mean), t_sync (mean s), cycle (mean s), eff, rate.

        Blocking: a rank computes I seconds (or W words), then waits for the sync.
        Overlapped: training never waits; a sync starts once I seconds (or W words) have
        passed since the previous one started and that one has finished; while in flight it
        keeps comm_share of one core busy."""
        rank_rate = rate_core * cores
        words_sum = cycle_sum = t_sum = 0.0
        for share, rows in self.mix(vocab):
            t = self.sync_seconds_for(rows, ranks, gbps) if ranks > 1 else 0.0
            if not self.overlap:
                interval = self.sync_words / rank_rate if self.sync_words else self.sync_seconds
                cycle = interval + t
                words = interval * rank_rate
            else:
                if self.sync_words:
                    cycle = max(t, (self.sync_words / rate_core + self.comm_share * t) / cores)
                else:
                    cycle = max(t, self.sync_seconds)
                words = rate_core * (cores * cycle - self.comm_share * t)
            words_sum += share * words
            cycle_sum += share * cycle
            t_sum += share * t
        return {
            "words": words_sum,
            "t_sync": t_sum,
            "cycle": cycle_sum,
            "eff": words_sum / cycle_sum / rank_rate,
            "rate": ranks * words_sum / cycle_sum,
        }

    def ranks_at_half(self, rate_core, cores, gbps, vocab, limit=1 << 20):
        """Smallest rank count with efficiency below 50% (None if none up to limit)."""
        if self.predict(rate_core, cores, limit, gbps, vocab)["eff"] >= 0.5:
            return None
        lo, hi = 1, limit  # eff(lo) >= 0.5 > eff(hi); efficiency falls with N
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.predict(rate_core, cores, mid, gbps, vocab)["eff"] >= 0.5:
                lo = mid
            else:
                hi = mid
        return hi


def rates_from_tsv(path, threads):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    out = {}
    for m in MODELS:
        v = [float(r["words_per_s"]) for r in rows if r["tool"] == "wembed" and r["model"] == m]
        if v:
            out[m] = statistics.median(v) / threads
    return out


def si(x):
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= div:
            return f"{x / div:.3g}{unit}"
    return f"{x:.3g}"


def duration(s):
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def render(headers, rows, markdown):
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out)


def parse_list(s, kind=int):
    return [kind(x) for x in s.split(",") if x.strip()]


def build_parser():
    p = argparse.ArgumentParser(
        description="Predicted words/s, efficiency and epoch time of wembed on N MPI ranks "
                    "(a model; see the module docstring for its formulas and assumptions).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--models", default=",".join(MODELS), help="models to tabulate")
    p.add_argument("--rate", action="append", default=[], metavar="MODEL=WPS",
                   help="per-core words/s of a model (default: the 2026-12-06 benchmark, "
                        "word2vec-20261206-020603.tsv median / 2 threads: "
                        + ", ".join(f"{m} {v:.0f}" for m, v in DEFAULT_RATE_PER_CORE.items()) + ")")
    p.add_argument("--rates-from", metavar="TSV",
                   help="take per-core rates from a bench/word2vec_bench.sh TSV (median of "
                        "the wembed rows' words_per_s / --tsv-threads)")
    p.add_argument("--tsv-threads", type=int, default=2, help="threads of the --rates-from runs")
    p.add_argument("--cores", default="2,32", help="cores (training threads) per rank")
    p.add_argument("--ranks", default="8,32,128", help="rank counts (one rank per machine)")
    p.add_argument("--links", default="10,25,100", help="link speeds, Gb/s")
    p.add_argument("--latency-us", type=float, default=30.0,
                   help="per-message latency in microseconds (assumed: MPI over TCP/Ethernet "
                        "is tens of us, RDMA a few; not measured here)")
    p.add_argument("--link-efficiency", type=float, default=1.0,
                   help="share of the line rate an allreduce achieves (1.0: line rate, an "
                        "upper bound)")
    p.add_argument("--calls-per-sync", type=int, default=3,
                   help="allreduce calls per sync that each pay the latency term (input rows, "
                        "output rows, global word count)")
    p.add_argument("--dim", type=int, default=100, help="vector dimension (benchmark: 100)")
    p.add_argument("--packed", action="store_true",
                   help="send dim floats a row instead of the padded stride (multiple of 16)")
    p.add_argument("--value-bytes", type=int, default=4, help="bytes per value sent (float32)")
    p.add_argument("--schedule", choices=("tiered", "doubling"), default="tiered",
                   help="tiered: top K rows every sync, all rows every M-th; doubling: "
                        "pWord2Vec's (top K*2^z rows at sync k, z = trailing zeros of k)")
    p.add_argument("--sync-top", type=int, default=4096,
                   help="K: rows averaged at every sync (on the benchmark corpus the top 4096 "
                        "words are 84%% of the tokens and 71%% of the centre words left after "
                        "sample 1e-4)")
    p.add_argument("--sync-share", type=float, default=0.125,
                   help="share of the vocabulary's rows (the most frequent) at every sync, as "
                        "wembed's RankSync (the first eighth); 0: --sync-top rows instead")
    p.add_argument("--full-every", type=int, default=2,
                   help="M (tiered): all rows every M-th sync")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--sync-seconds", type=float, default=0.5,
                   help="seconds between syncs (wembed's --sync-every default; pWord2Vec's is 0.1)")
    g.add_argument("--sync-words", type=float, default=None,
                   help="words per rank between syncs instead of --sync-seconds")
    p.add_argument("--overlap", action="store_true", default=True,
                   help="a communication thread: training continues while a sync is in flight "
                        "(wembed's RankSync; the default)")
    p.add_argument("--blocking", dest="overlap", action="store_false",
                   help="compute waits for every sync (pWord2Vec)")
    p.add_argument("--comm-core-share", type=float, default=1.0,
                   help="with --overlap: share of one core the communication thread keeps busy "
                        "while a sync is in flight")
    p.add_argument("--bench-tokens", type=int, default=BENCH_TOKENS,
                   help="benchmark corpus tokens (first 10^8 bytes of big.txt, wc -w)")
    p.add_argument("--bench-vocab", type=int, default=BENCH_VOCAB,
                   help="benchmark vocabulary at min-count 5 (bench/data/text100M.vocab)")
    p.add_argument("--large-tokens", type=int, default=LARGE_TOKENS, help="the large corpus")
    p.add_argument("--large-vocab", type=int, default=None,
                   help="its vocabulary (default: Heaps' law through the two measured points, "
                        f"{heaps_vocab(LARGE_TOKENS)} for 1e9 tokens)")
    p.add_argument("--markdown", action="store_true", help="Markdown tables")
    return p


def main(argv=None):
    p = build_parser()
    args = p.parse_args(argv)

    for flag, v in (("--sync-top", args.sync_top), ("--full-every", args.full_every),
                    ("--dim", args.dim), ("--value-bytes", args.value_bytes),
                    ("--bench-tokens", args.bench_tokens), ("--bench-vocab", args.bench_vocab),
                    ("--large-tokens", args.large_tokens), ("--sync-seconds", args.sync_seconds),
                    ("--link-efficiency", args.link_efficiency)):
        if not v > 0:
            p.error(f"{flag} must be positive")
    if args.sync_words is not None and not args.sync_words > 0:
        p.error("--sync-words must be positive")
    if args.latency_us < 0 or args.calls_per_sync < 1 or args.comm_core_share < 0:
        p.error("--latency-us and --comm-core-share must be >= 0, --calls-per-sync >= 1")
    rates = dict(DEFAULT_RATE_PER_CORE)
    if args.rates_from:
        rates.update(rates_from_tsv(args.rates_from, args.tsv_threads))
    for kv in args.rate:
        m, _, v = kv.partition("=")
        if m not in MODELS:
            p.error(f"--rate: unknown model {m}")
        rates[m] = float(v)
    models = [m for m in args.models.split(",") if m]
    for m in models:
        if m not in rates:
            p.error(f"unknown model {m}")
    cores_list = parse_list(args.cores)
    ranks_list = parse_list(args.ranks)
    links = parse_list(args.links, float)
    if not (cores_list and ranks_list and links) or min(cores_list + ranks_list + links) <= 0:
        p.error("--cores, --ranks and --links need positive values")
    if any(rates[m] <= 0 for m in models):
        p.error("--rate must be positive")
    large_vocab = args.large_vocab or heaps_vocab(args.large_tokens)
    corpora = [("benchmark", args.bench_tokens, args.bench_vocab),
               ("1B" if args.large_tokens == LARGE_TOKENS else si(args.large_tokens),
                args.large_tokens, large_vocab)]
    s = Setup(args)
    md = args.markdown
    out = []

    def h(title):
        out.extend([f"**{title}**", ""] if md else [title])

    def gb(x):
        return f"{x:g} Gb/s"

    # Inputs.
    h("Inputs")
    interval = (f"{args.sync_words:g} words per rank" if args.sync_words
                else f"{args.sync_seconds:g} s of compute")
    if args.schedule == "tiered":
        top = f"{args.sync_share:.1%} of the rows" if args.sync_share > 0 else f"{args.sync_top} rows"
        sched = (f"tiered: top {top} every sync, all rows every "
                 f"{args.full_every}th sync")
    else:
        sched = f"doubling (pWord2Vec): top {args.sync_top}*2^z rows at sync k, z = trailing zeros of k"
    lines = [
        "per-core words/s: " + ", ".join(f"{m} {si(rates[m])}" for m in models),
        f"sync interval: {interval}; {sched}",
        f"row: {s.row_floats} floats x {s.value_bytes} B x 2 matrices = {s.row_bytes()} B"
        + (" (padded stride)" if not args.packed else " (packed)"),
        f"ring allreduce, {args.calls_per_sync} calls per sync, latency {args.latency_us:g} us, "
        f"link efficiency {args.link_efficiency:g}; "
        + ("overlapped (communication thread, "
           f"{args.comm_core_share:g} core while in flight)" if args.overlap else "blocking (compute waits)"),
    ]
    for name, tokens, vocab in corpora:
        lines.append(f"corpus {name}: {tokens:,} tokens, {vocab:,} rows; mean {s.mean_bytes(vocab) / 1e6:.2f} MB "
                     f"per sync ({s.mean_bytes(vocab) / s.row_bytes():,.0f} rows), full sync "
                     f"{vocab * s.row_bytes() / 1e6:.1f} MB"
                     + (" (rows: Heaps' law guess)" if name == corpora[1][0] and not args.large_vocab else ""))
    out += [("- " if md else "  ") + l for l in lines]
    out.append("")

    # Sync cost and efficiency (independent of the model unless --sync-words or --overlap).
    model_free = not args.sync_words and not args.overlap
    h("Synchronisation cost and parallel efficiency" +
      (" (the same for every model: the interval is in seconds and compute waits)" if model_free else
       f" ({models[0]})"))
    headers = ["corpus", "cores/rank", "link"] + [f"N={n}: ms/sync, eff" for n in ranks_list] + ["eff < 50% from N"]
    rows = []
    m0 = models[0]
    for name, tokens, vocab in corpora:
        for cores in cores_list:
            if model_free and cores != cores_list[0]:
                continue
            for gbps in links:
                cells = [name, str(cores) if not model_free else "any", gb(gbps)]
                for n in ranks_list:
                    r = s.predict(rates[m0], cores, n, gbps, vocab)
                    cells.append(f"{r['t_sync'] * 1000:.1f} ms, {100 * r['eff']:.0f}%")
                half = s.ranks_at_half(rates[m0], cores, gbps, vocab)
                cells.append(str(half) if half else "> 1M")
                rows.append(cells)
    out.append(render(headers, rows, md))
    out.append("")

    # Throughput and epoch time per model.
    for name, tokens, vocab in corpora:
        h(f"Predicted words/s and time per epoch, {name} corpus ({tokens:,} tokens, {vocab:,} rows)")
        headers = ["model", "link"] + [f"{c} cores x N={n}" for c in cores_list for n in ranks_list]
        rows = []
        for m in models:
            for gbps in links:
                cells = [m, gb(gbps)]
                for cores in cores_list:
                    for n in ranks_list:
                        r = s.predict(rates[m], cores, n, gbps, vocab)
                        epoch = tokens / r["rate"]
                        flag = " (<1 sync)" if epoch < r["cycle"] else ""
                        cells.append(f"{si(r['rate'])}/s, {duration(epoch)}{flag}")
                rows.append(cells)
        out.append(render(headers, rows, md))
        out.append("")

    # Accuracy risk.
    name, tokens, vocab = corpora[1]
    h(f"Divergence between syncs (accuracy risk, not predicted; {name} corpus, {links[0]:g} Gb/s)")
    headers = (["model", "cores/rank", "words/rank between syncs", "rare rows: words/rank between syncs"]
               + [f"N={n}: words merged per sync (syncs per epoch)" for n in ranks_list])
    rows = []
    rare_every = args.full_every if args.schedule == "tiered" else rows_every(
        "doubling", vocab - 1, s.top_for(vocab), args.full_every, vocab)
    for m in models:
        for cores in cores_list:
            r = s.predict(rates[m], cores, ranks_list[0], links[0], vocab)
            cells = [m, str(cores), si(r["words"]), si(r["words"] * rare_every)]
            for n in ranks_list:
                rr = s.predict(rates[m], cores, n, links[0], vocab)
                syncs = tokens / (n * rr["words"])
                cells.append(f"{si(n * rr['words'])} ({syncs:,.0f})" if syncs >= 10 else
                             f"{si(n * rr['words'])} ({syncs:.1f})")
            rows.append(cells)
    out.append(render(headers, rows, md))
    out.append("")
    notes = [
        f"'rare rows' = rows past the top {s.top_for(vocab):,}, averaged every {rare_every}th sync"
        f"{' (the last row of the vocabulary)' if args.schedule == 'doubling' else ''}; "
        "'(<1 sync)': the epoch ends before the first sync.",
        "Each sync averages N replicas that each trained the words above alone since the last one; "
        "the more words merged per sync relative to the corpus (the fewer syncs per epoch), the "
        "closer to one model merge per epoch (Spark MLlib's Word2Vec, which costs accuracy). With "
        "--sync-seconds a faster machine (more cores) diverges further between syncs; "
        "--sync-words keeps that fixed and pays more communication instead.",
        "A model's prediction (upper bound: full line rate, no stragglers, no contention, "
        "one-off costs excluded), not a measurement.",
    ]
    out += [("- " if md else "  ") + n for n in notes]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
