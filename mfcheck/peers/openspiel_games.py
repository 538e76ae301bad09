"""OpenSpiel's ``python_mfg_crowd_modelling`` as a :class:`FiniteHorizonMFG` (pure numpy, no pyspiel).

OpenSpiel 2.0.2 game (Perrin et al. 2020, Sec. 4.2), parameters ``size`` N and ``horizon`` H:
positions x on a torus {0..N-1}, actions a ∈ {0, 1, 2} = moves m ∈ {-1, 0, +1}, then a uniform
noise e ∈ {-1, 0, +1}: x' = (x + m + e) mod N. Decision nodes at ticks t = 0..H-1 pay

    r_t(x, m', μ_t) = 1 - |x - N//2| / (N//2) - |m'| / N - log(μ_t(x) + 1e-25)

where m' is the *previous* move (0 at t = 0); the last move is never charged and the terminal
node pays 0. mfcheck's equivalent game augments the state with m': states (x, m') indexed
``3 x + (m' + 1)``, epochs t = 0..T with T = H - 1 (reward at every epoch, T included),
μ_0 uniform over x with m' = 0.

OpenSpiel quirk (``shared/notes/mfg-peers.md``, quirk 1): ``PolicyValue`` and ``BestResponse``
memoise decision-node values by the string "(x, t)", which omits m'. The value stored for (x, t)
is the one of the first depth-first path that reaches it, so every path through (x, t) is charged
that path's |m'| / N, and the greedy best response never sees its own move cost.
:func:`openspiel_first_moves` replays the depth-first order; ``cache_quirk=True`` builds the game
whose reward uses that frozen m', and on it mfcheck's exact evaluators reproduce OpenSpiel's
``PolicyValue``, ``BestResponse`` and ``NashConv`` for policies that depend on (x, t) only (as
OpenSpiel's do) and give every action positive probability (so the depth-first order is the one
of the uniform policy).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models import FiniteHorizonMFG

Array = NDArray[np.float64]

MOVES = (-1, 0, 1)
_EPSILON = 1e-25


def openspiel_first_moves(
    size: int,
    horizon: int,
    *,
    moves: Sequence[int] = MOVES,
    move_targets: ArrayLike | None = None,
    noise_targets: ArrayLike | None = None,
) -> NDArray[np.int64]:
    """m'[t, x]: the previous move on the first depth-first path reaching decision node (x, t).

    Replays OpenSpiel's recursion: initial states x0 = 0..N-1, actions in OpenSpiel's order,
    chance outcomes in order; chance nodes (post-move position y, t), mean-field nodes (z, t+1)
    and decision nodes (z, t+1) are each expanded once (their values are memoised by string).
    Row t = 0 is 0 (the neutral initial move).

    Parameters
    ----------
    size, horizon : int
        Positions N and decision ticks H.
    moves : sequence of int
        The move recorded for each action, in OpenSpiel's action order (crowd modelling:
        (-1, 0, +1)).
    move_targets : int array [N, A], optional
        Position y reached from x by action a before the noise; default (x + moves[a]) mod N.
    noise_targets : int array [N, E], optional
        Position z reached from y by chance outcome e (every outcome, in OpenSpiel's order, as its
        recursion visits zero-probability outcomes too); default (y + e) mod N, e in (-1, 0, +1).
    """
    positions = np.arange(size)
    if move_targets is None:
        move_targets = (positions[:, None] + np.asarray(moves)[None, :]) % size
    if noise_targets is None:
        noise_targets = (positions[:, None] + np.asarray(MOVES)[None, :]) % size
    step = np.asarray(move_targets, dtype=np.int64).tolist()
    noise = np.asarray(noise_targets, dtype=np.int64).tolist()
    move_list = [int(m) for m in moves]
    first = np.zeros((horizon, size), dtype=np.int64)
    seen_decision: set[tuple[int, int]] = set()
    seen_chance: set[tuple[int, int]] = set()
    seen_mean_field: set[tuple[int, int]] = set()

    def decision(x: int, t: int) -> None:
        if (x, t) in seen_decision:
            return
        seen_decision.add((x, t))
        for a, move in enumerate(move_list):
            chance(step[x][a], t, move)

    def chance(y: int, t: int, move: int) -> None:
        if (y, t) in seen_chance or t + 1 >= horizon:
            return
        seen_chance.add((y, t))
        for z in noise[y]:
            if (z, t + 1) not in seen_mean_field:
                seen_mean_field.add((z, t + 1))
                first[t + 1, z] = move
                decision(z, t + 1)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * horizon + 100))
    try:
        for x0 in range(size):
            decision(x0, 0)
    finally:
        sys.setrecursionlimit(limit)
    return first


def crowd_modelling(*, size: int = 10, horizon: int = 10, cache_quirk: bool = False) -> FiniteHorizonMFG:
    """OpenSpiel's crowd modelling game on states (x, m'), epochs 0..H-1 (see module docstring).

    Parameters
    ----------
    size, horizon : int
        OpenSpiel's ``size`` N and ``horizon`` H (H decision ticks; mfcheck's T = H - 1).
    cache_quirk : bool
        ``False``: the game as written (reward charges the true previous move).
        ``True``: the game OpenSpiel's memoised evaluators actually solve (the previous move is
        the one frozen by :func:`openspiel_first_moves`).
    """
    if size < 2 or horizon < 2:
        raise ValueError(f"crowd_modelling: need size >= 2 and horizon >= 2, got {size}, {horizon}")
    n_states = 3 * size
    x_of = np.repeat(np.arange(size), 3)  # [3N]
    move_of = np.tile(np.array(MOVES), size)  # [3N], previous move m'
    centre = size // 2
    position_reward = 1.0 - np.abs(x_of - centre) / centre
    if cache_quirk:
        charged = np.abs(openspiel_first_moves(size, horizon)[:, x_of]) / size  # [H, 3N]
    else:
        charged = np.broadcast_to(np.abs(move_of) / size, (horizon, n_states))
    kernel = np.zeros((n_states, 3, n_states))
    for a, move in enumerate(MOVES):
        for noise in MOVES:
            target = 3 * ((x_of + move + noise) % size) + a  # new state (x', m' = move)
            kernel[np.arange(n_states), a, target] += 1.0 / 3.0
    initial = np.zeros(n_states)
    initial[1::3] = 1.0 / size

    def reward(t: int, mu: Array) -> Array:
        density = mu.reshape(size, 3).sum(axis=1)[x_of]
        r = position_reward - charged[t] - np.log(density + _EPSILON)
        return np.repeat(r[:, None], 3, axis=1)

    labels = tuple(f"x={x},m'={m:+d}" for x, m in zip(x_of, move_of))
    return FiniteHorizonMFG(
        n_states=n_states,
        n_actions=3,
        horizon=horizon - 1,
        transition_fn=lambda t, mu: kernel,
        reward_fn=reward,
        initial=initial,
        name="openspiel_crowd_modelling" + ("_quirk" if cache_quirk else ""),
        state_labels=labels,
        action_labels=("-1", "0", "+1"),
    )


def lift_policy(policy: Array, n_moves: int = 3) -> Array:
    """Lift a policy π[t, x, a] on positions (OpenSpiel's) to the (x, m') states [t, K x + j, a],
    K = ``n_moves`` previous moves per position (3 for crowd modelling)."""
    return np.repeat(np.asarray(policy, dtype=float), n_moves, axis=1)


def position_marginals(flow: Array, n_moves: int = 3) -> Array:
    """μ_t(x) = Σ_m' μ_t(x, m') from a flow [T+1, K N], K = ``n_moves`` (3 for crowd modelling)."""
    flow = np.asarray(flow, dtype=float)
    return flow.reshape(flow.shape[0], -1, n_moves).sum(axis=2)
