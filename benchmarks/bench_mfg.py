"""Exact exploitability and best response: mfcheck vs mfglib 0.3.0 and OpenSpiel 2.0.2.

Same instance on both sides, median of repeated wall-clock timings:

* SIS, mfglib ``susceptible_infected(T=50)`` = ``sis(horizon=50, lam=0)``;
* LQ, mfglib's default ``linear_quadratic()`` = the mapped mfcheck preset (see
  ``mfcheck/instances/linear_quadratic.py``);
* crowd modelling, OpenSpiel ``python_mfg_crowd_modelling`` (size 10, horizon 10) =
  ``mfcheck.peers.openspiel_games.crowd_modelling(cache_quirk=True)`` (the variant whose numbers
  equal OpenSpiel's NashConv; the game as written costs the same to solve).

torch runs single-threaded (``torch.set_num_threads(1)``, set here explicitly: with 2 threads on
a 2-core machine mfglib is ~50x slower); numpy uses whatever BLAS threads the environment gives.
Policies are uniform. "best response" times the optimal values against the policy's mean field
(mfglib ``QFn(env, L).optimal()``, OpenSpiel ``BestResponse``, mfcheck
``best_response_finite_horizon``) given that mean field.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Timing:
    """Median wall time of one task for mfcheck and a peer."""

    instance: str
    task: str
    peer: str
    mfcheck_s: float
    peer_s: float

    @property
    def ratio(self) -> float:
        return self.peer_s / self.mfcheck_s


def median_time(fn: Callable[[], object], *, repeats: int, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _mfglib_timings(repeats: int) -> list[Timing]:
    import torch

    torch.set_num_threads(1)
    import mfglib.alg  # noqa: F401  (before mfglib.scoring: circular import otherwise)
    from mfglib.alg.q_fn import QFn
    from mfglib.env import Environment
    from mfglib.scoring import exploitability_score
    from mfglib.utils import mean_field_from_policy

    from mfcheck.instances import linear_quadratic, sis
    from mfcheck.solvers import best_response_finite_horizon, exploitability, mean_field_flow

    cases = [
        ("SIS T=50", sis(horizon=50, lam=0.0), Environment.susceptible_infected(), repeats),
        (
            "LQ mfglib default (11x5, T=3)",
            linear_quadratic(
                n_states=11, actions=range(-2, 3), horizon=3, lam=0.0, sigma=3.0, dt=0.1,
                mean_reversion=1.0, terminal_cost=1.0, noise_spacing=3.0, noise="gaussian_grid",
            ),
            Environment.linear_quadratic(),
            max(3, repeats // 3),
        ),
    ]
    out = []
    for name, game, env, reps in cases:
        policy = np.full((game.horizon + 1, game.n_states, game.n_actions), 1.0 / game.n_actions)
        pi_t = torch.tensor(policy, dtype=torch.float32)
        ours = median_time(lambda g=game, p=policy: exploitability(g, p), repeats=reps)
        theirs = median_time(lambda e=env, p=pi_t: exploitability_score(e, p), repeats=reps)
        out.append(Timing(name, "exploitability", "mfglib", ours, theirs))
        flow = mean_field_flow(game, policy)
        joint = mean_field_from_policy(pi_t, env=env)
        ours = median_time(lambda g=game, f=flow: best_response_finite_horizon(g, f), repeats=reps)
        theirs = median_time(
            lambda e=env, L=joint: QFn(e, L, verify_integrity=False).optimal(), repeats=reps
        )
        out.append(Timing(name, "best response", "mfglib", ours, theirs))
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
    ours = median_time(lambda: exploitability(game, policy), repeats=repeats)
    theirs = median_time(lambda: nash_conv.NashConv(game_os, uniform_os).nash_conv(), repeats=repeats)
    out = [Timing(name, "exploitability", "OpenSpiel", ours, theirs)]
    flow = mean_field_flow(game, policy)
    dist = distribution.DistributionPolicy(game_os, uniform_os)
    ours = median_time(lambda: best_response_finite_horizon(game, flow), repeats=repeats)
    theirs = median_time(
        lambda: best_response_value.BestResponse(game_os, dist).eval_state(game_os.new_initial_state()),
        repeats=repeats,
    )
    out.append(Timing(name, "best response", "OpenSpiel", ours, theirs))
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


def format_table(timings: list[Timing]) -> str:
    """A plain-text table: instance, task, peer, mfcheck ms, peer ms, speed-up."""
    header = f"{'instance':<30} {'task':<15} {'peer':<10} {'mfcheck ms':>11} {'peer ms':>10} {'ratio':>8}"
    lines = [header, "-" * len(header)]
    for t in timings:
        lines.append(
            f"{t.instance:<30} {t.task:<15} {t.peer:<10} {1e3 * t.mfcheck_s:>11.3f} "
            f"{1e3 * t.peer_s:>10.3f} {t.ratio:>7.1f}x"
        )
    return "\n".join(lines)
