"""OpenSpiel's ``mean_field_lin_quad`` as a :class:`FiniteHorizonMFG` (pure numpy, no pyspiel).

Source: OpenSpiel 2.0.2, ``open_spiel/python/mfg/games/linear_quadratic.py`` (the discretised
linear-quadratic game of Perrin et al. 2020, "Fictitious play for mean field games: continuous
time analysis and applications", Sec. 4.1; the continuous model is the systemic-risk game of
Carmona, Fouque & Sun 2015). Parameters: ``size`` N, ``horizon``, ``dt``, ``n_actions_per_side``
n, ``volatility`` σ, ``mean_revert`` K, ``cross_q`` q, ``kappa`` κ. As coded there:

* positions x on a torus {0..N-1}, μ_0 uniform; decision ticks k = 0..H-1, where H is the first
  k with k·dt >= horizon (floating point, as OpenSpiel's ``is_terminal``);
* actions a = 0..2n, move m = a - n; with m̄_k = Σ_x x μ_k(x) (plain average of the labels,
  *not* torus-aware) the move step is x ← (x + round((m + K (m̄_k - x)) dt)) mod N;
* noise: outcome e ∈ {-n..n} with p_e = Φ((e + 1/2)/σ) - Φ((e - 1/2)/σ), the two tails lumped
  into e = ±n, then x ← round(x + e √dt σ) mod N (σ enters the law *and* the step, so the
  displacement has standard deviation ≈ σ² √dt; ``round`` is Python's half-to-even);
* the decision node at tick k pays dt/2 (-m'² + 2 q m' (m̄_k - x) - κ (m̄_k - x)²), where m' is
  the *previous* move (0 at k = 0). The last move is never charged, and the terminal cost
  (``terminal_cost``) is dead code: the terminal state's player is MEAN_FIELD, so its reward
  is 0. ``eta_t`` (the continuous closed form) is not part of the game.

mfcheck's game augments the state with m': states (x, m') indexed ``(2n+1) x + (m' + n)``,
epochs t = 0..T with T = H - 1, μ_0 uniform over x with m' = 0. With K ≠ 0 the kernel depends on
μ_t through m̄_t (a μ-dependent ``transition_fn``, which :class:`FiniteHorizonMFG` supports).

OpenSpiel quirk (``shared/notes/mfg-peers.md``, quirk 1): ``PolicyValue`` and ``BestResponse``
memoise decision values by "(x, t)", which omits m'; every path through (x, t) is charged the m'
of the first depth-first path (:func:`~mfcheck.peers.openspiel_games.openspiel_first_moves`),
and the greedy best response never sees its own move cost. ``cache_quirk=True`` builds the
game with that frozen m', on which mfcheck's exact evaluators reproduce OpenSpiel's
``PolicyValue``, ``BestResponse`` and ``NashConv`` for full-support policies of (x, t). It needs
K = 0: with mean reversion the first path to (x, t) depends on the earlier mean fields
m̄_0..m̄_{t-1}, which a reward r_t(·, μ_t) cannot see.

Finding (defaults N = 10, horizon 10, dt 1, n 3, σ 1, K 0, q 0.01, κ 0.5; uniform policy; checked
in ``tests/peers/test_openspiel_lin_quad.py``): OpenSpiel's ``NashConv`` is 21.498181599551945
(best response -29.7138 minus policy value -51.2120), reproduced by the quirk game to 1e-14; the
game as written has exploitability 29.52257930595996 (best response -9.1024 minus policy value
-38.625 = 10 ticks of -κ/2 E(4.5 - x)² = -2.0625 and 9 charged moves of mean cost 2). The
first depth-first path reaches most nodes (x, t) by the first action, m = -3, so the quirk charges
about 3.4 per tick instead of 2, overcharging the uniform policy by 12.59, and charges the best
response the same frozen costs whatever it does (-29.71 instead of -9.10): OpenSpiel understates
the exploitability by 8.02. The flow (``DistributionPolicy``) is exact, also with K ≠ 0.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import FiniteHorizonMFG
from mfcheck.peers.openspiel_games import openspiel_first_moves

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

_WHAT = "openspiel_lin_quad_game"


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def lin_quad_ticks(horizon: float, dt: float) -> int:
    """H: the number of decision ticks, the first k with k·dt >= horizon (OpenSpiel's test)."""
    ticks = 0
    while ticks * dt < horizon:
        ticks += 1
    return ticks


def lin_quad_noise(n_actions_per_side: int, volatility: float) -> tuple[IntArray, Array]:
    """(outcomes e = -n..n, probabilities p_e): discretised N(0, σ²) with tails lumped at ±n."""
    outcomes = np.arange(-n_actions_per_side, n_actions_per_side + 1)
    probs = np.array(
        [
            _normal_cdf((e + 0.5) / volatility) - _normal_cdf((e - 0.5) / volatility)
            for e in outcomes
        ]
    )
    probs[0] += _normal_cdf((outcomes[0] - 0.5) / volatility)
    probs[-1] += 1.0 - _normal_cdf((outcomes[-1] + 0.5) / volatility)
    return outcomes, probs


def _move_targets(
    size: int, moves: IntArray, dt: float, mean_revert: float, mbar: float
) -> IntArray:
    """y[x, a] = (x + round((m_a + K (m̄ - x)) dt)) mod N (half-to-even, as Python's round)."""
    x = np.arange(size)[:, None]
    full_move = (moves[None, :] + mean_revert * (mbar - x)) * dt
    return ((x + np.rint(full_move)) % size).astype(np.int64)


def _noise_targets(size: int, outcomes: IntArray, dt: float, volatility: float) -> IntArray:
    """z[y, e] = round(y + e √dt σ) mod N, the product taken in OpenSpiel's order."""
    y = np.arange(size)[:, None]
    step = outcomes[None, :] * math.sqrt(dt) * volatility
    return (np.rint(y + step) % size).astype(np.int64)


def _check(size: int, horizon: int, dt: float, n_side: int, volatility: float, reals: dict) -> int:
    for name, value in (("size", size), ("n_actions_per_side", n_side), ("horizon", horizon)):
        low = 0 if name == "n_actions_per_side" else 1
        if isinstance(value, bool) or int(value) != value or value < low:
            raise ValueError(f"{_WHAT}: {name} must be an integer >= {low}, got {value!r}")
    if not (math.isfinite(dt) and dt > 0):
        raise ValueError(f"{_WHAT}: dt must be finite and > 0, got {dt!r}")
    if not (math.isfinite(volatility) and volatility > 0):
        raise ValueError(
            f"{_WHAT}: volatility must be finite and > 0 (OpenSpiel's noise law is NaN at 0), "
            f"got {volatility!r}"
        )
    for name, value in reals.items():
        if not math.isfinite(value):
            raise ValueError(f"{_WHAT}: {name} must be finite, got {value!r}")
    ticks = lin_quad_ticks(horizon, dt)
    if ticks < 2:
        raise ValueError(
            f"{_WHAT}: horizon={horizon!r} with dt={dt!r} gives {ticks} decision tick(s); "
            "mfcheck needs >= 2"
        )
    return ticks


def openspiel_lin_quad_game(
    size: int = 10,
    horizon: int = 10,
    dt: float = 1.0,
    n_actions_per_side: int = 3,
    volatility: float = 1.0,
    mean_revert: float = 0.0,
    cross_q: float = 0.01,
    kappa: float = 0.5,
    *,
    cache_quirk: bool = False,
) -> FiniteHorizonMFG:
    """OpenSpiel's ``mean_field_lin_quad`` on states (x, m'), epochs 0..H-1 (see module docstring).

    Parameters
    ----------
    size, horizon, dt, n_actions_per_side, volatility, mean_revert, cross_q, kappa
        OpenSpiel's parameters of the same names and defaults (``terminal_cost`` has no effect
        there and is left out).
    cache_quirk : bool
        ``False``: the game as written (the reward charges the true previous move).
        ``True``: the game OpenSpiel's memoised evaluators solve (the previous move frozen by
        the first depth-first path); needs ``mean_revert == 0``.

    Raises
    ------
    ValueError
        On a bad parameter (named in the message), fewer than 2 decision ticks, or
        ``cache_quirk=True`` with ``mean_revert != 0``.
    """
    reals = {"mean_revert": mean_revert, "cross_q": cross_q, "kappa": kappa}
    ticks = _check(size, horizon, dt, n_actions_per_side, volatility, reals)
    if cache_quirk and mean_revert != 0:
        raise ValueError(
            f"{_WHAT}: cache_quirk=True needs mean_revert=0, got {mean_revert!r} (with mean "
            "reversion OpenSpiel's frozen previous move depends on the earlier mean fields)"
        )
    size, n_side = int(size), int(n_actions_per_side)
    k = 2 * n_side + 1
    n_states = k * size
    moves = np.arange(-n_side, n_side + 1)
    outcomes, probs = lin_quad_noise(n_side, volatility)
    noise_targets = _noise_targets(size, outcomes, dt, volatility)
    x_of = np.repeat(np.arange(size), k)  # [kN]
    move_of = np.tile(moves, size)  # [kN], previous move m'
    positions = np.arange(size, dtype=float)

    def kernel_for(mbar: float) -> Array:
        targets = _move_targets(size, moves, dt, mean_revert, mbar)[x_of]  # [kN, A]
        landing = noise_targets[targets]  # [kN, A, E]
        kernel = np.zeros((n_states, k, n_states))
        rows = np.arange(n_states)[:, None, None]
        actions = np.arange(k)[None, :, None]
        np.add.at(kernel, (rows, actions, k * landing + actions), probs[None, None, :])
        return kernel

    fixed_kernel = kernel_for(0.0) if mean_revert == 0 else None

    def mean_position(mu: Array) -> float:
        return float(np.sum(positions * mu.reshape(size, k).sum(axis=1)))

    def transition(t: int, mu: Array) -> Array:
        return fixed_kernel if fixed_kernel is not None else kernel_for(mean_position(mu))

    if cache_quirk:
        first = openspiel_first_moves(
            size,
            ticks,
            moves=moves,
            move_targets=_move_targets(size, moves, dt, 0.0, 0.0),
            noise_targets=noise_targets,
        )
        charged = first[:, x_of].astype(float)  # [H, kN]
    else:
        charged = np.broadcast_to(move_of.astype(float), (ticks, n_states))

    def reward(t: int, mu: Array) -> Array:
        gap = mean_position(mu) - x_of
        m = charged[t]
        r = dt / 2 * (-(m**2) + 2 * cross_q * m * gap - kappa * gap**2)
        return np.repeat(r[:, None], k, axis=1)

    initial = np.zeros(n_states)
    initial[n_side::k] = 1.0 / size
    return FiniteHorizonMFG(
        n_states=n_states,
        n_actions=k,
        horizon=ticks - 1,
        transition_fn=transition,
        reward_fn=reward,
        initial=initial,
        name="openspiel_lin_quad" + ("_quirk" if cache_quirk else ""),
        state_labels=tuple(f"x={x},m'={m:+d}" for x, m in zip(x_of, move_of)),
        action_labels=tuple(f"{m:+d}" for m in moves),
    )
