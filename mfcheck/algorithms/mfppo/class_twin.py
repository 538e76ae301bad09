"""The limit of neural MF-PPO as T, m, N -> ∞: ideal MF-PPO with the critic restricted to its class.

The mean-pooled two-layer network (Sec 4, App E) represents ``F(s, d, ā) = Σ_x d(x) f(s, x, ā)``.
As the width m grows its linearisation spans every function f on the finite triples (the NTK of
distinct unit inputs is positive definite), so the class becomes ``{Φθ}`` with the features
``φ(s, d, ā)[s', x, ā'] = 1{s' = s, ā' = ā} d(x)``. TD (Alg 2) with T -> ∞ and N -> ∞ converges to
the projected Bellman fixed point in this class (LSTD; Tsitsiklis & Van Roy 1997), not to Q^π:

``Φ^T D_σ (Φ - γ P_π Φ) θ = Φ^T D_σ (1-γ) r``,  σ = ν_π π (the sampling law of Alg 2).

The actor's target ``τ_{k+1}(F_Q/v_k + F_A/τ_k)`` lies in the class, so Alg 3 fits it exactly in
the limit. The class twin runs Algorithm 1 with this critic and the exact energy update of
Prop 3.2. Where Q^π is in the class for every π (the population d takes only vertex values,
``n_population = 1``), it equals the exact twin; elsewhere it differs by the approximation error
that Assumption 1 rules out, and the neural run approaches the class twin, not the exact one.
Reference: MF-PPO Alg 1-3, Prop 3.2, Def 4.1, Assumption 1, App E.1.
"""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.mfppo.ideal import run_energy_form
from mfcheck.algorithms.mfppo.problem import Array, MeanFieldProblem, stationary_distribution


def pooled_features(problem: MeanFieldProblem) -> Array:
    """Features of the mean-pooled class, shape [X * M, S * S * M] (rows ordered (x, ā))."""
    n_x, n_m, n_s = problem.n_joint, problem.n_actions, problem.n_local
    phi = np.zeros((n_x, n_m, n_s, n_s, n_m))
    actions = np.arange(n_m)
    for x in range(n_x):
        phi[x, actions, problem.own[x], :, actions] = problem.dist[x]
    return phi.reshape(n_x * n_m, n_s * n_s * n_m)


def td_fixed_point(problem: MeanFieldProblem, policy: Array) -> Array:
    """The projected Bellman fixed point of π in the mean-pooled class, shape [X, M].

    Solves ``Φ^T D (Φ - γ P_π Φ) θ = Φ^T D (1-γ) r`` with D = diag(ν_π π) (minimum-norm θ; the
    (1-γ)-normalised Q of Sec 2, as Alg 2's target ``(1-γ) r``).
    """
    n_x, n_m = problem.n_joint, problem.n_actions
    if policy.shape != (n_x, n_m):
        raise ValueError(f"td_fixed_point: policy shape {policy.shape} != {(n_x, n_m)}")
    phi = pooled_features(problem)
    sigma = (stationary_distribution(problem, policy)[:, None] * policy).reshape(-1)
    next_pairs = np.einsum("xay,yb->xayb", problem.transition, policy).reshape(n_x * n_m, -1)
    lhs = phi.T @ (sigma[:, None] * (phi - problem.gamma * next_pairs @ phi))
    rhs = phi.T @ (sigma * (1 - problem.gamma) * problem.reward.reshape(-1))
    theta = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
    return (phi @ theta).reshape(n_x, n_m)


def run_class_twin(problem: MeanFieldProblem, n_iterations: int, v: float) -> Array:
    """Policies π_0..π_K [K+1, X, M] of Algorithm 1 with the class-limit critic (ε' = 0)."""
    return run_energy_form(problem, n_iterations, v, lambda policy: td_fixed_point(problem, policy))[0]
