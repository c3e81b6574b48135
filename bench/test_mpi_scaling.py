"""Arithmetic of bench/mpi_scaling.py (not part of ctest):

    /usr/bin/python3 -m pytest bench/test_mpi_scaling.py
"""
import contextlib
import io
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpi_scaling as ms  # noqa: E402


def setup(*extra):
    args = ms.build_parser().parse_args(["--latency-us", "30"] + list(extra))
    return ms.Setup(args)


def test_ring_allreduce_hand_computed():
    # N = 4, 1 MB, 1 GB/s, 10 us: 2 * 3/4 * 1e6 / 1e9 = 1.5 ms; 2 * 3 * 10 us = 60 us
    t = ms.ring_allreduce_seconds(1e6, 4, 1e9, 10e-6)
    assert math.isclose(t, 1.5e-3 + 60e-6, rel_tol=1e-12)
    assert ms.ring_allreduce_seconds(1e6, 1, 1e9, 10e-6) == 0.0
    # 2 ranks send each byte once each way: bytes / bandwidth + 2 latencies
    assert math.isclose(ms.ring_allreduce_seconds(8e6, 2, 1e9, 1e-6), 8e-3 + 2e-6)


def test_sync_seconds_hand_computed():
    # 1000 rows of dim 16 (no padding), float32, 2 matrices: 128,000 B; 3 calls, 30 us;
    # 8 ranks at 10 Gb/s (1.25e9 B/s): 2 * 7/8 * 128000 / 1.25e9 + 3 * 2 * 7 * 30e-6
    s = setup("--dim", "16")
    assert s.row_bytes() == 16 * 4 * 2
    t = s.sync_seconds_for(1000, 8, 10)
    assert math.isclose(t, 2 * 7 / 8 * 128000 / 1.25e9 + 3 * 2 * 7 * 30e-6, rel_tol=1e-12)


def test_padded_row():
    assert setup("--dim", "100").row_floats == 112
    assert setup("--dim", "100", "--packed").row_floats == 100
    assert setup("--dim", "128").row_floats == 128


def test_blocking_efficiency_formula():
    # every sync sends all rows: efficiency = I / (I + t)
    s = setup("--dim", "16", "--full-every", "1", "--blocking", "--sync-seconds", "0.1")
    t = s.sync_seconds_for(5000, 32, 25)
    r = s.predict(1e6, 2, 32, 25, 5000)
    assert math.isclose(r["eff"], 0.1 / (0.1 + t), rel_tol=1e-12)
    assert math.isclose(r["rate"], 32 * 2e6 * r["eff"], rel_tol=1e-12)
    assert math.isclose(r["words"], 0.1 * 2e6)


def test_efficiency_falls_with_ranks():
    for extra in ([], ["--blocking"], ["--sync-share", "0", "--sync-top", "4096"], ["--sync-words", "250000"], ["--schedule", "doubling"]):
        s = setup(*extra)
        for gbps in (10, 25, 100):
            effs = [s.predict(1.2e6, 2, n, gbps, 68687)["eff"] for n in (1, 2, 8, 32, 128, 1024)]
            assert math.isclose(effs[0], 1.0)
            assert all(a > b for a, b in zip(effs[1:], effs[2:])), (extra, gbps, effs)


def test_faster_link_is_not_slower():
    s = setup()
    e = [s.predict(1.2e6, 2, 32, g, 68687)["eff"] for g in (10, 25, 100)]
    assert e[0] < e[1] < e[2]


def test_schedules():
    # tiered: top 4096 rows 7 syncs in 8, all rows 1 in 8
    mix = ms.sync_mix("tiered", 68687, 4096, 8)
    assert math.isclose(sum(p * r for p, r in mix), 4096 * 7 / 8 + 68687 / 8)
    # doubling (pWord2Vec): average of min(1024 * 2^z(k), V) over k = 1..2^J
    v, top = 68687, 1024
    period = 1 << 10
    brute = sum(min(top << ms.trailing_zeros(k), v) for k in range(1, period + 1)) / period
    mix = ms.sync_mix("doubling", v, top, 0)
    assert math.isclose(sum(p for p, _ in mix), 1.0)
    assert abs(sum(p * r for p, r in mix) - brute) / brute < 0.01
    assert ms.rows_every("doubling", 0, 1024, 0, v) == 1
    assert ms.rows_every("doubling", 1024, 1024, 0, v) == 2
    assert ms.rows_every("doubling", v - 1, 1024, 0, v) == 128


def test_heaps_passes_through_measured_points():
    for t, v in ms.HEAPS_POINTS:
        assert abs(ms.heaps_vocab(t) - v) <= 1


def test_ranks_at_half():
    s = setup("--blocking")
    n = s.ranks_at_half(1.2e6, 2, 10, 562935)
    assert s.predict(1.2e6, 2, n, 10, 562935)["eff"] < 0.5
    assert s.predict(1.2e6, 2, n - 1, 10, 562935)["eff"] >= 0.5


def test_main_runs():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert ms.main(["--markdown"]) == 0
    out = buf.getvalue()
    assert "| sg-ns | 10 Gb/s |" in out


if __name__ == "__main__":  # without pytest: python3 bench/test_mpi_scaling.py
    tests = [f for n, f in sorted(globals().items()) if n.startswith("test_")]
    for f in tests:
        f()
    print(f"{len(tests)} passed")


def test_sync_share_is_a_share_of_the_vocabulary():
    s = setup()  # wembed's RankSync: the first eighth every sync, every row every 2nd
    assert s.top_for(68687) == 8585 and s.top_for(800) == 100
    assert math.isclose(s.mean_bytes(68687), (8585 / 2 + 68687 / 2) * s.row_bytes())
    assert setup("--sync-share", "0", "--sync-top", "4096").top_for(68687) == 4096
