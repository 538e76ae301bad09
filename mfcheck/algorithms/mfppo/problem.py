"""Exact finite mean-field MDP as MF-PPO's algorithms see it, with the paper's (1-γ) normalisation.

A joint state x = (s, d) has an own local state ``own[x]`` and a distribution of the others
``dist[x]`` over the S local states; meta-actions ā are indexed 0..M-1. Values follow MF-PPO
Sec 2: ``V^π = (1-γ) E Σ γ^t r`` and ``Q^π = (1-γ) r + γ P V^π`` (the Bellman operator of
eq (3.1), ``T^π F = E[(1-γ) r + γ F']``), so both lie in [0, r̄].

:func:`as_problem` adapts any object with ``own``/``dist`` (or ``local_state``/``distribution``),
``transition [X, M, X]``, ``reward [X, M]`` and ``gamma`` (the exact instance of
``mfcheck.models.mean_field_mdp``); :func:`random_problem` builds small ones for tests.
Reference: MF-PPO (Li et al., arXiv 2105.08268) Sec 2, Def 2.1, eq (3.1), eq (4.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True, eq=False)
class MeanFieldProblem:
    """Arrays of a finite mean-field MDP with meta-actions (Def 2.1).

    Attributes
    ----------
    own : int array [X]
        Local state s of joint state x.
    dist : array [X, S]
        Distribution d of the other agents at x.
    transition : array [X, M, X]
        P(x' | x, ā).
    reward : array [X, M]
        r(s, d, ā) in [0, r_max].
    gamma : float
    r_max : float
        The bound r̄ of Assumption 2 (defaults to max r, at least 1e-12).
    """

    own: NDArray[np.int64]
    dist: Array
    transition: Array
    reward: Array
    gamma: float
    r_max: float = 0.0

    def __post_init__(self) -> None:
        own = np.asarray(self.own, dtype=np.int64)
        dist = np.asarray(self.dist, dtype=float)
        transition = np.asarray(self.transition, dtype=float)
        reward = np.asarray(self.reward, dtype=float)
        if transition.ndim != 3 or transition.shape[0] != transition.shape[2]:
            raise ValueError(f"MeanFieldProblem.transition: shape {transition.shape} is not [X, M, X]")
        n_x, n_m, _ = transition.shape
        if own.shape != (n_x,) or dist.ndim != 2 or dist.shape[0] != n_x:
            raise ValueError(
                f"MeanFieldProblem.own/dist: shapes {own.shape}, {dist.shape} do not match X={n_x}"
            )
        if reward.shape != (n_x, n_m):
            raise ValueError(f"MeanFieldProblem.reward: shape {reward.shape} is not {(n_x, n_m)}")
        rows = transition.sum(axis=2)
        bad = np.argwhere(np.abs(rows - 1) > 1e-9)
        if bad.size or (transition < 0).any():
            where = tuple(bad[0]) if bad.size else tuple(np.argwhere(transition < 0)[0])
            raise ValueError(f"MeanFieldProblem.transition: row {where} is not a distribution")
        if (own < 0).any() or (own >= dist.shape[1]).any():
            raise ValueError(f"MeanFieldProblem.own: indices must lie in [0, {dist.shape[1]})")
        if not 0 <= self.gamma < 1:
            raise ValueError(f"MeanFieldProblem.gamma: must lie in [0, 1), got {self.gamma!r}")
        if (reward < 0).any():
            raise ValueError(f"MeanFieldProblem.reward: entry {tuple(np.argwhere(reward < 0)[0])} < 0")
        r_max = max(float(self.r_max), float(reward.max()), 1e-12)
        for name, value in (("own", own), ("dist", dist), ("transition", transition),
                            ("reward", reward), ("r_max", r_max), ("gamma", float(self.gamma))):
            object.__setattr__(self, name, value)

    @property
    def n_joint(self) -> int:
        return self.transition.shape[0]

    @property
    def n_local(self) -> int:
        return self.dist.shape[1]

    @property
    def n_actions(self) -> int:
        return self.transition.shape[1]


def as_problem(model: object) -> MeanFieldProblem:
    """Adapt a mean-field MDP object (``mfcheck.models.mean_field_mdp`` or alike) to the arrays."""
    if isinstance(model, MeanFieldProblem):
        return model
    own = getattr(model, "own", None)
    if own is None:
        own = getattr(model, "local_state", None)
    dist = getattr(model, "dist", None)
    if dist is None:
        dist = getattr(model, "distribution", None)
    if own is None or dist is None:
        raise ValueError(f"as_problem: {type(model).__name__} exposes no own/dist arrays")
    return MeanFieldProblem(
        own=own, dist=dist, transition=model.transition, reward=model.reward,
        gamma=model.gamma, r_max=float(getattr(model, "r_max", 0.0) or 0.0),
    )


def random_problem(
    rng: np.random.Generator, *, n_local: int = 2, n_population: int = 3, n_actions: int = 4,
    gamma: float = 0.8, mean_field_weight: float = 1.0,
) -> MeanFieldProblem:
    """A random mean-field MDP on X = S x {counts of ``n_population`` others}, reward in [0, 1].

    The reward mixes a random table with a term ``mean_field_weight * d[own]`` so that the
    optimal policy depends on the mean field; the kernel is Dirichlet(1) mixed with 10 % uniform
    (ergodic, so stationary distributions are unique).
    """
    from itertools import combinations_with_replacement

    dists = []
    for combo in combinations_with_replacement(range(n_local), n_population):
        dists.append(np.bincount(combo, minlength=n_local) / n_population)
    dists = np.unique(np.array(dists), axis=0)
    own = np.repeat(np.arange(n_local), len(dists))
    dist = np.tile(dists, (n_local, 1))
    n_x = own.size
    kernel = rng.dirichlet(np.ones(n_x), size=(n_x, n_actions))
    kernel = 0.9 * kernel + 0.1 / n_x
    base = rng.random((n_x, n_actions))
    crowd = dist[np.arange(n_x), own][:, None] * rng.random(n_actions)[None, :]
    reward = (base + mean_field_weight * crowd) / (1.0 + mean_field_weight)
    return MeanFieldProblem(own=own, dist=dist, transition=kernel, reward=reward, gamma=gamma,
                            r_max=1.0)


def policy_kernel(problem: MeanFieldProblem, policy: Array) -> Array:
    """P_π[..., x, x'] for policies [..., X, M]."""
    return np.einsum("...xa,xay->...xy", policy, problem.transition)


def q_function(problem: MeanFieldProblem, policy: Array, *, normalised: bool = True) -> Array:
    """Q^π [..., X, M]: (1-γ)-normalised (Sec 2) or, with ``normalised=False``, E Σ γ^t r."""
    gamma = problem.gamma
    p_pi = policy_kernel(problem, policy)
    r_pi = np.einsum("...xa,xa->...x", policy, problem.reward)
    eye = np.eye(problem.n_joint)
    value = np.linalg.solve(eye - gamma * p_pi, r_pi[..., None])[..., 0]
    q = problem.reward + gamma * np.einsum("xay,...y->...xa", problem.transition, value)
    return (1 - gamma) * q if normalised else q


def value_function(problem: MeanFieldProblem, policy: Array, *, normalised: bool = True) -> Array:
    """V^π [..., X] = Σ_ā π Q^π."""
    return np.einsum("...xa,...xa->...x", policy, q_function(problem, policy, normalised=normalised))


def stationary_distribution(problem: MeanFieldProblem, policy: Array) -> Array:
    """ν_π [..., X]: the stationary distribution of P_π (least squares on ν P = ν, Σ ν = 1)."""
    p_pi = policy_kernel(problem, policy)
    n_x = problem.n_joint
    lhs = np.concatenate([np.swapaxes(p_pi, -1, -2) - np.eye(n_x),
                          np.ones((*p_pi.shape[:-2], 1, n_x))], axis=-2)
    rhs = np.zeros((*p_pi.shape[:-2], n_x + 1))
    rhs[..., -1] = 1.0
    flat_l = lhs.reshape(-1, n_x + 1, n_x)
    flat_r = rhs.reshape(-1, n_x + 1)
    nu = np.stack([np.linalg.lstsq(a, b, rcond=None)[0] for a, b in zip(flat_l, flat_r)])
    nu = np.clip(nu, 0.0, None)
    nu = nu / nu.sum(axis=-1, keepdims=True)
    return nu.reshape(p_pi.shape[:-1])


def optimal_policy(problem: MeanFieldProblem, *, tol: float = 1e-12, max_iter: int = 100_000) -> Array:
    """A deterministic optimal policy π* [X, M] by value iteration (ties to the lowest index)."""
    q = np.zeros_like(problem.reward)
    for _ in range(max_iter):
        new = problem.reward + problem.gamma * problem.transition @ q.max(axis=1)
        if np.abs(new - q).max() < tol:
            q = new
            break
        q = new
    policy = np.zeros_like(q)
    policy[np.arange(problem.n_joint), q.argmax(axis=1)] = 1.0
    return policy


def expected_total_reward(problem: MeanFieldProblem, policy: Array, weights: Array,
                          *, normalised: bool = True) -> Array:
    """L(π) = E_{ν*}[V^π] (eq 4.1) for policies [..., X, M] and weights ν* [X]."""
    return value_function(problem, policy, normalised=normalised) @ weights


def kl_rows(p: Array, q: Array) -> Array:
    """KL(p(·|x) ‖ q(·|x)) per row, 0 log 0 = 0, shape [..., X]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0)
    return terms.sum(axis=-1)
