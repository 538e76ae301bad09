"""Cross-checks against mfglib 0.3.0: mfcheck's exact exploitability equals ``exploitability_score``,
and its finite-horizon fictitious play and online mirror descent produce mfglib's iterates.

mfglib computes in float32 by default (its kernels are ``torch.zeros`` float32 tensors, and its
mean-field recursion refuses float64 policies against them), so the exploitability comparison
is at 1e-5 relative to the scale of the values involved (mfcheck runs in float64 on the same
float64 policy). The iterate comparisons run mfglib in float64 instead
(``torch.set_default_dtype(torch.float64)`` before its environment is built: every tensor it
makes then is float64), where the two agree to ~1e-14; they assert 1e-10.
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
from mfcheck.solvers.mirror_descent import mirror_descent_start, mirror_descent_step

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


@pytest.fixture
def float64_torch():
    """Run mfglib in float64 for the duration of a test (environments built inside it)."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def _lq_mfglib_default() -> FiniteHorizonMFG:
    """mfcheck's preset equal to mfglib's default ``linear_quadratic()`` (see the LQ test below)."""
    return linear_quadratic(
        n_states=11, actions=range(-2, 3), horizon=3, lam=0.0, sigma=3.0, dt=0.1,
        mean_reversion=1.0, terminal_cost=1.0, noise_spacing=3.0, noise="gaussian_grid",
    )


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
    game = _lq_mfglib_default()
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


ITERATE_ATOL = 1e-10

#: (mfcheck game, mfglib environment factory, iterations); mfglib's LQ kernel is a Python loop
#: (~0.1 s per epoch and call), hence fewer iterations there.
ITERATE_CASES = {
    "sis_T50": (lambda: sis(horizon=50, lam=0.0), lambda: Environment.susceptible_infected(), 8),
    "sis_T20_mu0": (
        lambda: sis(horizon=20, lam=0.0, initial=(0.7, 0.3)),
        lambda: Environment.susceptible_infected(T=20, mu0=(0.7, 0.3)),
        8,
    ),
    "lq_default": (_lq_mfglib_default, lambda: Environment.linear_quadratic(), 3),
}


@pytest.mark.usefixtures("float64_torch")
@pytest.mark.parametrize("case", sorted(ITERATE_CASES))
def test_online_mirror_descent_iterates_equal_mfglib(case: str) -> None:
    """mfglib ``OnlineMirrorDescent(alpha=1)`` from its uniform start: π_k and E(π_k) of every
    iterate equal mfcheck's ``mirror_descent_step`` chain (y_0 = 0, y += α Q^π, π = softmax(y))."""
    make_game, make_env, n_iter = ITERATE_CASES[case]
    game, env = make_game(), make_env()
    pis, expls, _ = mfglib.alg.OnlineMirrorDescent(alpha=1.0).solve(
        env, max_iter=n_iter, atol=None, rtol=None
    )
    state = mirror_descent_start(game)
    for k in range(n_iter + 1):
        assert pis[k].dtype == torch.float64
        np.testing.assert_allclose(state.policy, pis[k].numpy(), rtol=0, atol=ITERATE_ATOL)
        assert abs(state.exploitability - expls[k]) <= ITERATE_ATOL * max(1.0, abs(expls[k]))
        state = mirror_descent_step(game, state, learning_rate=1.0)
    assert expls[n_iter] < expls[0]


@pytest.mark.usefixtures("float64_torch")
@pytest.mark.parametrize("case", sorted(ITERATE_CASES))
def test_fictitious_play_iterates_equal_mfglib(case: str) -> None:
    """mfglib ``FictitiousPlay(alpha=0)`` (weights 1/(k+2)): π_k and E(π_k) equal
    ``fictitious_play_finite_horizon(n_iter=k)`` for every k."""
    make_game, make_env, n_iter = ITERATE_CASES[case]
    game, env = make_game(), make_env()
    pis, expls, _ = mfglib.alg.FictitiousPlay().solve(env, max_iter=n_iter, atol=None, rtol=None)
    eq = fictitious_play_finite_horizon(game, n_iter=n_iter)
    np.testing.assert_allclose(
        eq.history["exploitability"], expls[1:], rtol=0, atol=ITERATE_ATOL * max(1.0, expls[0])
    )
    for k in range(1, n_iter + 1):
        policy = fictitious_play_finite_horizon(game, n_iter=k).policy
        np.testing.assert_allclose(policy, pis[k].numpy(), rtol=0, atol=ITERATE_ATOL)
