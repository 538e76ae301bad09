"""Cross-checks against mfglib 0.3.0: mfcheck's exact exploitability equals ``exploitability_score``.

mfglib computes in float32 (its kernels are ``torch.zeros`` float32 tensors, and its mean-field
recursion refuses float64 policies against them), so the comparison is at 1e-5 relative to the
scale of the values involved (mfcheck runs in float64 on the same float64 policy).
"""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances import linear_quadratic, sis
from mfcheck.models import FiniteHorizonMFG
from mfcheck.solvers import (
    exploitability,
    exploitability_details,
    fictitious_play_finite_horizon,
)

torch = pytest.importorskip("torch")
pytest.importorskip("mfglib")
import mfglib.alg  # noqa: E402  (import before mfglib.scoring: circular import otherwise)
from mfglib.env import Environment  # noqa: E402
from mfglib.scoring import exploitability_score  # noqa: E402

pytestmark = pytest.mark.peer

RTOL = 1e-5


@pytest.fixture(autouse=True)
def _single_thread():
    """mfglib's tiny reductions are ~50x slower with torch's default 2 threads on 2 cores."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def _policies(game: FiniteHorizonMFG, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    shape = (game.horizon + 1, game.n_states, game.n_actions)
    deterministic = np.eye(game.n_actions)[rng.integers(0, game.n_actions, size=shape[:2])]
    return {
        "uniform": np.full(shape, 1.0 / game.n_actions),
        "dirichlet": rng.dirichlet(np.ones(game.n_actions), size=shape[:2]),
        "deterministic": deterministic,
        "fictitious_play": fictitious_play_finite_horizon(game, n_iter=10).policy,
    }


def _assert_matches(game: FiniteHorizonMFG, env: Environment, policy: np.ndarray) -> float:
    ours = exploitability_details(game, policy)
    theirs = exploitability_score(env, torch.tensor(policy, dtype=torch.float32))
    scale = max(abs(ours.exploitability), abs(ours.best_response_value), 1.0)
    assert abs(ours.exploitability - theirs) <= RTOL * scale, (ours.exploitability, theirs)
    return theirs


def test_sis_matches_susceptible_infected() -> None:
    """mfglib's ``susceptible_infected(T=50, mu0=(0.4, 0.6))`` is ``sis(horizon=50, lam=0)``."""
    game = sis(horizon=50, lam=0.0)
    env = Environment.susceptible_infected()
    for name, policy in _policies(game, seed=0).items():
        theirs = _assert_matches(game, env, policy)
        assert theirs >= 0, name


def test_sis_matches_on_mfglib_fictitious_play_output() -> None:
    game = sis(horizon=20, lam=0.0, initial=(0.7, 0.3))
    env = Environment.susceptible_infected(T=20, mu0=(0.7, 0.3))
    iterates, expls, _ = mfglib.alg.FictitiousPlay().solve(env, max_iter=15, atol=None, rtol=None)
    for k in (0, 5, 15):
        policy = iterates[k].double().numpy()
        policy /= policy.sum(axis=-1, keepdims=True)
        ours = exploitability(game, policy)
        assert abs(ours - expls[k]) <= RTOL * max(1.0, abs(ours) * 10)
    assert expls[15] < expls[0]


def test_linear_quadratic_matches_mfglib_default() -> None:
    """mfglib's default ``linear_quadratic()`` (T=3, el=5, m=2, σ=3, Δt=0.1, k=1, q=0.01, κ=0.5,
    c_term=1) needs ``noise="gaussian_grid"`` (weights exp(-(σj)²/2)) and ``noise_spacing=σ``;
    uniform-policy exploitability 2.138123 (mfglib, float32) vs 2.1381226 (mfcheck, float64)."""
    game = linear_quadratic(
        n_states=11, actions=range(-2, 3), horizon=3, lam=0.0, sigma=3.0, dt=0.1,
        mean_reversion=1.0, terminal_cost=1.0, noise_spacing=3.0, noise="gaussian_grid",
    )
    env = Environment.linear_quadratic()
    values = {name: _assert_matches(game, env, p) for name, p in _policies(game, seed=1).items()}
    np.testing.assert_allclose(values["uniform"], 2.1381226, rtol=1e-6)


def test_linear_quadratic_matches_app_d_configuration() -> None:
    """mfglib with App D's constants (25 states, actions -3..3, σ = 1, Δt = 1, k = 0, no terminal
    cost) is mfcheck's default LQ preset made finite-horizon (``horizon=T, lam=0``); T = 2 keeps
    mfglib's Python-loop kernel affordable."""
    game = linear_quadratic(horizon=2, lam=0.0)
    env = Environment.linear_quadratic(T=2, el=12, m=3, sigma=1.0, delta=1.0, k=0.0, c_term=0.0)
    policies = _policies(game, seed=2)
    del policies["fictitious_play"]  # 10 FP iterations here are slow and add nothing new
    for policy in policies.values():
        _assert_matches(game, env, policy)


def test_old_noise_reading_disagrees_with_mfglib_default() -> None:
    """Documents the discrepancy that was fixed: with exp(-j²/2) weights (``noise="gaussian"``)
    the preset is a different game from mfglib's default (1.02 vs 2.14 on the uniform policy)."""
    game = linear_quadratic(
        n_states=11, actions=range(-2, 3), horizon=3, lam=0.0, sigma=3.0, dt=0.1,
        mean_reversion=1.0, terminal_cost=1.0, noise_spacing=3.0, noise="gaussian",
    )
    uniform = np.full((4, 11, 5), 0.2)
    assert abs(exploitability(game, uniform) - 2.1381226) > 0.5
