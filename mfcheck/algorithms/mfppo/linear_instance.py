"""Instances for MF-PPO's Theorem 4.1: one where Assumption 1 holds for every policy, one where it fails.

Assumption 1 asks Q^π to lie in the class F^P_{β,m} of Definition 4.1, whose functions are
``F(s, d, ā) = Σ_x d(x) f(s, x, ā)``: for each (s, ā), *linear in d*. A generic mean-field MDP
(:func:`mean_field_dependent_problem`) has Q^π non-linear in d. :func:`linear_problem` builds
kernel and reward linear in d, ``P(·|s, d, ā) = Σ_x d(x) K(·|s, x, ā)`` and
``r(s, d, ā) = Σ_x d(x) g(s, x, ā)``, so that ``Q^π = (1-γ) r + γ P V^π`` is linear in d for
every π (Assumption 1 holds along any run, given a wide enough network). Unlike
:mod:`mfcheck.algorithms.mfppo.realisable` (Q^π linear for one evaluated π) it holds for every
π_k of a run; unlike ``n_population = 1`` (d a vertex) the mean field takes interior values.

:func:`linearity_residual` measures the distance to the class: the relative residual of the best
least-squares fit of Q in the mean-pooled class (0 up to roundoff when Assumption 1 holds).
Reference: MF-PPO Definition 4.1, Assumption 1, Theorem 4.1, eq (3.1).
"""

from __future__ import annotations

from itertools import combinations_with_replacement

import numpy as np

from mfcheck.algorithms.mfppo.class_twin import pooled_features
from mfcheck.algorithms.mfppo.problem import Array, MeanFieldProblem, random_problem


def empirical_distributions(n_local: int, n_population: int) -> Array:
    """Every empirical distribution of ``n_population`` agents on ``n_local`` states, [D, S]."""
    counts = [np.bincount(c, minlength=n_local) for c in
              combinations_with_replacement(range(n_local), n_population)]
    return np.unique(np.array(counts) / n_population, axis=0)


def linear_problem(rng: np.random.Generator, *, n_local: int = 2, n_population: int = 3, n_actions: int = 3,
                   gamma: float = 0.5, mean_field_weight: float = 2.0) -> MeanFieldProblem:
    """A mean-field MDP whose kernel and reward are linear in d (Assumption 1 holds for every π).

    Per triple (s, x, ā): K(·|s, x, ā) Dirichlet(1) mixed with 10 % uniform (ergodic), and
    ``g = (U + w 1{x = s} c(ā)) / (1 + w)`` with U, c uniform on [0, 1] (the crowd term of
    :func:`random_problem`, which makes the optimal policy depend on d), w = mean_field_weight.
    """
    if n_local < 1 or n_population < 1 or n_actions < 1:
        raise ValueError(f"linear_problem: sizes must be >= 1, got S={n_local}, N={n_population}, M={n_actions}")
    dists = empirical_distributions(n_local, n_population)
    own = np.repeat(np.arange(n_local), len(dists))
    dist = np.tile(dists, (n_local, 1))
    n_x = own.size
    kernels = 0.9 * rng.dirichlet(np.ones(n_x), size=(n_local, n_local, n_actions)) + 0.1 / n_x
    crowd = np.eye(n_local)[:, :, None] * rng.random(n_actions)[None, None, :]
    triple_reward = (rng.random((n_local, n_local, n_actions)) + mean_field_weight * crowd) / (1 + mean_field_weight)
    transition = np.einsum("xo,xoay->xay", dist, kernels[own])
    reward = np.einsum("xo,xoa->xa", dist, triple_reward[own])
    return MeanFieldProblem(own=own, dist=dist, transition=transition, reward=reward, gamma=gamma, r_max=1.0)


def mean_field_dependent_problem(rng: np.random.Generator) -> MeanFieldProblem:
    """The generic instance (S = 2, 3 others, |Ā| = 3, γ = 0.5, mean-field weight 2): the optimal
    policy depends on d, Q^π is not linear in d (Assumption 1 fails)."""
    return random_problem(rng, n_local=2, n_population=3, n_actions=3, gamma=0.5, mean_field_weight=2.0)


def linearity_residual(problem: MeanFieldProblem, q_values: Array) -> float:
    """‖Q - ΦΘ*‖ / ‖Q - mean Q‖ for the least-squares Θ* in the mean-pooled class (Def 4.1).

    The class holds the constants (Σ_x d(x) = 1), so the residual is relative to Q's spread; it is
    0 up to roundoff exactly when Q is linear in d for each (s, ā).
    """
    phi = pooled_features(problem)
    y = np.asarray(q_values, dtype=float).reshape(-1)
    if y.size != phi.shape[0]:
        raise ValueError(f"linearity_residual: Q has {y.size} entries, the problem {phi.shape[0]} (x, ā) pairs")
    theta = np.linalg.lstsq(phi, y, rcond=None)[0]
    spread = float(np.linalg.norm(y - y.mean()))
    return float(np.linalg.norm(y - phi @ theta) / spread) if spread > 0 else 0.0
