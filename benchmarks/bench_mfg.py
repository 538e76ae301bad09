"""Exact exploitability, best response, fictitious play and online mirror descent: mfcheck vs
mfglib 0.3.0 and OpenSpiel 2.0.2.

Same instance on both sides:

* SIS, mfglib ``susceptible_infected(T=50)`` = ``sis(horizon=50, lam=0)``;
* LQ, mfglib's default ``linear_quadratic()`` = the mapped mfcheck preset (see
  ``mfcheck/instances/linear_quadratic.py``);
* crowd modelling, OpenSpiel ``python_mfg_crowd_modelling`` (size 10, horizon 10) =
  ``mfcheck.peers.openspiel_games.crowd_modelling(cache_quirk=True)`` (the variant whose numbers
  equal OpenSpiel's NashConv; the game as written costs the same to solve).

Tasks: "exploitability" and "best response" on the uniform policy (the best response is timed
given the policy's mean field: mfglib ``QFn(env, L).optimal()``, OpenSpiel ``BestResponse``,
mfcheck ``best_response_finite_horizon``); "fictitious play xK" and "mirror descent xK" are K
iterations from the uniform policy with the exploitability of every iterate, as both libraries
do it (mfglib ``FictitiousPlay().solve`` / ``OnlineMirrorDescent().solve`` with ``max_iter=K``
and no early stop; mfcheck ``fictitious_play_finite_horizon`` /
``online_mirror_descent_finite_horizon``, whose iterates equal mfglib's, see
``tests/peers/test_mfglib.py``).

Timing: one process; each side is timed ``repeats`` times (at least 9) in three alternating
blocks (ours x3, theirs x3, ours x3, ...), each block after one untimed warm-up call, so that
every timed call runs warm and a change of load on this shared machine falls on both sides.
(Strict call-by-call alternation was tried: mfcheck's first calls after a torch-heavy mfglib
call run 2-3x slower from cache misses alone, e.g. ``check_policy`` 16 -> 126 us of thread CPU
time, which measures the interleaving rather than either library.) The table shows each side's
median with its interquartile range, the ratio of the medians with the interquartile range of
the ratios over all pairs of calls, and the ratio of median process CPU times, which a busy
machine disturbs less (a wall time includes the time the process waits for a core, and a 1 s
mfglib call waits more often than a 1 ms mfcheck call). torch runs single-threaded
(``torch.set_num_threads(1)``, set here explicitly: with 2 threads on a 2-core machine mfglib is
~50x slower) in its default float32; numpy uses whatever BLAS threads the environment gives.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Spread:
    """Median and spread of repeated measurements (seconds, or ratios)."""

    median: float
    q1: float
    q3: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        return cls(float(median), float(q1), float(q3), float(min(values)), float(max(values)))


@dataclass(frozen=True)
class Timing:
    """Wall (and CPU) times of one task for mfcheck and a peer, measured in alternating blocks."""

    instance: str
    task: str
    peer: str
    mfcheck: Spread
    peer_time: Spread
    pair_ratios: Spread
    repeats: int
    mfcheck_cpu: Spread
    peer_cpu: Spread

    @property
    def cpu_ratio(self) -> float:
        """Peer / mfcheck median process CPU time (steadier than wall time under load)."""
        return self.peer_cpu.median / self.mfcheck_cpu.median

    @property
    def ratio(self) -> float:
        """Peer median / mfcheck median (> 1: mfcheck is faster)."""
        return self.peer_time.median / self.mfcheck.median

    @property
    def mfcheck_s(self) -> float:
        return self.mfcheck.median

    @property
    def peer_s(self) -> float:
        return self.peer_time.median


def _seconds(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, process CPU) seconds of one call."""
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - start_cpu


def time_pair(
    instance: str,
    task: str,
    peer: str,
    ours: Callable[[], object],
    theirs: Callable[[], object],
    *,
    repeats: int,
    rounds: int = 3,
) -> Timing:
    """Time ``ours`` and ``theirs`` ``repeats`` times each, in ``rounds`` alternating blocks.

    Each block starts with one untimed warm-up call (so every timed call runs warm, as in a
    solver loop: right after a torch-heavy mfglib call, the first numpy call of mfcheck runs
    2-3x slower on this machine, cache misses, not work); blocks alternate so that a change of
    load on the shared machine falls on both sides.
    """
    if repeats < 1 or rounds < 1:
        raise ValueError(f"time_pair: need repeats, rounds >= 1, got {repeats!r}, {rounds!r}")
    sizes = [repeats // rounds + (i < repeats % rounds) for i in range(rounds)]
    mine: list[tuple[float, float]] = []
    peers: list[tuple[float, float]] = []
    for size in sizes:
        for fn, out in ((ours, mine), (theirs, peers)):
            fn()
            out.extend(_seconds(fn) for _ in range(size))
    wall_m, cpu_m = (list(x) for x in zip(*mine))
    wall_p, cpu_p = (list(x) for x in zip(*peers))
    ratios = [p / m for p in wall_p for m in wall_m]
    return Timing(
        instance, task, peer, Spread.of(wall_m), Spread.of(wall_p), Spread.of(ratios), repeats,
        Spread.of(cpu_m), Spread.of(cpu_p),
    )


def median_time(fn: Callable[[], object], *, repeats: int, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    return statistics.median(_seconds(fn)[0] for _ in range(repeats))


#: Iterations of fictitious play / mirror descent per timed call, by instance (mfglib's LQ
#: kernel is a Python loop, ~0.7 s per exploitability, hence one iteration there).
SOLVER_ITERATIONS = {"SIS T=50": 10, "LQ mfglib default (11x5, T=3)": 1}


def _mfglib_timings(repeats: int) -> list[Timing]:
    import torch

    torch.set_num_threads(1)
    import mfglib.alg  # (before mfglib.scoring: circular import otherwise)
    from mfglib.alg.q_fn import QFn
    from mfglib.env import Environment
    from mfglib.scoring import exploitability_score
    from mfglib.utils import mean_field_from_policy

    from mfcheck.instances import linear_quadratic, sis
    from mfcheck.solvers import (
        best_response_finite_horizon,
        exploitability,
        fictitious_play_finite_horizon,
        mean_field_flow,
    )
    from mfcheck.solvers.mirror_descent import online_mirror_descent_finite_horizon

    cases = [
        ("SIS T=50", sis(horizon=50, lam=0.0), Environment.susceptible_infected()),
        (
            "LQ mfglib default (11x5, T=3)",
            linear_quadratic(
                n_states=11, actions=range(-2, 3), horizon=3, lam=0.0, sigma=3.0, dt=0.1,
                mean_reversion=1.0, terminal_cost=1.0, noise_spacing=3.0, noise="gaussian_grid",
            ),
            Environment.linear_quadratic(),
        ),
    ]
    out = []
    for name, game, env in cases:
        policy = np.full((game.horizon + 1, game.n_states, game.n_actions), 1.0 / game.n_actions)
        pi_t = torch.tensor(policy, dtype=torch.float32)
        out.append(time_pair(
            name, "exploitability", "mfglib",
            lambda g=game, p=policy: exploitability(g, p),
            lambda e=env, p=pi_t: exploitability_score(e, p),
            repeats=repeats,
        ))
        flow = mean_field_flow(game, policy)
        joint = mean_field_from_policy(pi_t, env=env)
        out.append(time_pair(
            name, "best response", "mfglib",
            lambda g=game, f=flow: best_response_finite_horizon(g, f),
            lambda e=env, L=joint: QFn(e, L, verify_integrity=False).optimal(),
            repeats=repeats,
        ))
        k = SOLVER_ITERATIONS[name]
        out.append(time_pair(
            name, f"fictitious play x{k}", "mfglib",
            lambda g=game, k=k: fictitious_play_finite_horizon(g, n_iter=k),
            lambda e=env, k=k: mfglib.alg.FictitiousPlay().solve(e, max_iter=k, atol=None, rtol=None),
            repeats=repeats,
        ))
        out.append(time_pair(
            name, f"mirror descent x{k}", "mfglib",
            lambda g=game, k=k: online_mirror_descent_finite_horizon(g, n_iter=k),
            lambda e=env, k=k: mfglib.alg.OnlineMirrorDescent().solve(
                e, max_iter=k, atol=None, rtol=None
            ),
            repeats=repeats,
        ))
    return out


def _openspiel_timings(repeats: int) -> list[Timing]:
    import pyspiel
    from open_spiel.python import policy as policy_std
    from open_spiel.python.mfg.algorithms import best_response_value, distribution, nash_conv
    from open_spiel.python.mfg.games import crowd_modelling as _registers  # noqa: F401

    from mfcheck.peers.openspiel_games import crowd_modelling, lift_policy
    from mfcheck.solvers import best_response_finite_horizon, exploitability, mean_field_flow

    size, horizon = 10, 10
    game_os = pyspiel.load_game("python_mfg_crowd_modelling", {"size": size, "horizon": horizon})
    uniform_os = policy_std.UniformRandomPolicy(game_os)
    game = crowd_modelling(size=size, horizon=horizon, cache_quirk=True)
    policy = lift_policy(np.full((horizon, size, 3), 1.0 / 3.0))
    name = "crowd modelling (10, H=10)"
    out = [time_pair(
        name, "exploitability", "OpenSpiel",
        lambda: exploitability(game, policy),
        lambda: nash_conv.NashConv(game_os, uniform_os).nash_conv(),
        repeats=repeats,
    )]
    flow = mean_field_flow(game, policy)
    dist = distribution.DistributionPolicy(game_os, uniform_os)
    out.append(time_pair(
        name, "best response", "OpenSpiel",
        lambda: best_response_finite_horizon(game, flow),
        lambda: best_response_value.BestResponse(game_os, dist).eval_state(game_os.new_initial_state()),
        repeats=repeats,
    ))
    return out


def run_benchmarks(*, repeats: int = 9) -> list[Timing]:
    """All timings available in this environment (a missing peer is skipped)."""
    timings: list[Timing] = []
    for collect in (_mfglib_timings, _openspiel_timings):
        try:
            timings.extend(collect(repeats))
        except ImportError:
            continue
    return timings


def _ms(spread: Spread) -> str:
    return f"{1e3 * spread.median:9.3f} [{1e3 * spread.q1:.3f}-{1e3 * spread.q3:.3f}]"


def format_table(timings: list[Timing]) -> str:
    """A plain-text table: instance, task, peer, medians [IQR] in ms, ratio [IQR of pair ratios]."""
    header = (
        f"{'instance':<30} {'task':<22} {'peer':<10} {'mfcheck ms [IQR]':>28} "
        f"{'peer ms [IQR]':>30} {'ratio [IQR]':>20} {'CPU ratio':>10}"
    )
    lines = [header, "-" * len(header)]
    for t in timings:
        ratio = f"{t.ratio:6.1f}x [{t.pair_ratios.q1:.1f}-{t.pair_ratios.q3:.1f}]"
        lines.append(
            f"{t.instance:<30} {t.task:<22} {t.peer:<10} {_ms(t.mfcheck):>28} "
            f"{_ms(t.peer_time):>30} {ratio:>20} {t.cpu_ratio:>9.1f}x"
        )
    repeats = sorted({t.repeats for t in timings})
    lines.append(
        f"(wall time: median [interquartile range] of {', '.join(map(str, repeats))} warm "
        "repeats per side in alternating blocks, one process; ratio = peer median / mfcheck "
        "median [IQR of the ratios over all pairs of calls]; CPU ratio: the same with process "
        "CPU time, steadier under load)"
    )
    return "\n".join(lines)


def main() -> None:
    """Print the table (``python -m benchmarks.bench_mfg``)."""
    print(format_table(run_benchmarks()))


if __name__ == "__main__":
    main()
