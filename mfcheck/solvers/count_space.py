"""Exact solvers for the N-agent cooperative MDP lumped onto counts (the models hold data only).

* :func:`optimal_solution`, :func:`optimal_value`, :func:`evaluate`, :func:`objective`,
  :func:`stationary_distribution` and :func:`discounted_state_distribution` take a
  :class:`~mfcheck.models.count_space.CountSpaceMDP` or a
  :class:`~mfcheck.models.mean_field_mdp.FiniteMeanFieldMDP` (anything with a
  :class:`~mfcheck.models.sparse_mdp.SparseMDP` as ``.mdp``) and run the sparse solvers of
  :mod:`mfcheck.solvers.sparse_dynamic_programming` on it;
* :func:`state_action_optimal_values` is Howard policy iteration over the state-dependent
  action sets of a :class:`~mfcheck.models.state_action_counts.StateActionCountMDP`;
* :func:`chain_values` is the value ``(I - γ K)^{-1} r`` of a
  :class:`~mfcheck.models.lumping.LumpedChain`.

Values are undiscounted sums ``E Σ_t γ^t r_t`` (MF-PPO's V and Q carry an extra factor 1 - γ).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.lumping import LumpedChain
from mfcheck.models.sparse_mdp import SparseMDP
from mfcheck.models.state_action_counts import StateActionCountMDP
from mfcheck.solvers import sparse_dynamic_programming as sdp
from mfcheck.solvers.dynamic_programming import OptimalSolution

Array = NDArray[np.float64]


class LumpedMDP(Protocol):
    """What the solvers read: a sparse MDP (``CountSpaceMDP``, ``FiniteMeanFieldMDP``)."""

    @property
    def mdp(self) -> SparseMDP: ...


#: The optimal-control solvers :func:`optimal_solution` accepts, by name.
METHODS = {"policy_iteration": sdp.policy_iteration, "value_iteration": sdp.value_iteration}


def optimal_solution(model: LumpedMDP, method: str = "policy_iteration", **options: float) -> OptimalSolution:
    """Optimal V* [X], Q* [X, M] and the greedy policy with uniform ties.

    ``method``: "policy_iteration" (sparse LU / GMRES evaluations, certified by the Bellman
    residual; fast) or "value_iteration" (the reference); ``options`` go to the solver.
    """
    if method not in METHODS:
        raise ValueError(f"{type(model).__name__}.optimal_solution: method {method!r} not in {sorted(METHODS)}")
    return METHODS[method](model.mdp, **options)


def optimal_value(model: LumpedMDP) -> Array:
    """V* [X] (policy iteration)."""
    return optimal_solution(model).values


def evaluate(model: LumpedMDP, policy: ArrayLike) -> tuple[Array, Array]:
    """Exact V^π [X] and Q^π [X, M] of a stationary policy π[X, M] over meta-actions."""
    return sdp.evaluate_policy(model.mdp, policy)


def objective(model: LumpedMDP, policy: ArrayLike) -> float:
    """``E_{x ~ initial} V^π(x)``."""
    return float(model.mdp.initial @ evaluate(model, policy)[0])


def stationary_distribution(model: LumpedMDP, policy: ArrayLike) -> Array:
    """Stationary state law ν_π of π: the Cesàro limit of the chain started from ``initial``."""
    return sdp.stationary_distribution(model.mdp.policy_kernel(policy), model.mdp.initial)


def discounted_state_distribution(model: LumpedMDP, policy: ArrayLike) -> Array:
    """``(1 - γ) Σ_t γ^t P(x_t = ·)`` from ``initial`` under π."""
    return sdp.discounted_state_distribution(model.mdp, policy)


def state_action_optimal_values(
    model: StateActionCountMDP, *, tol: float = 1e-12, max_iter: int = 1_000
) -> Array:
    """V* [X] of the unrestricted lumped MDP by Howard policy iteration over the state-dependent
    action sets (the improvement keeps the current row unless another beats it by ``tol``)."""
    starts = model.starts
    chosen = starts.copy()
    for _ in range(max_iter):
        values = sdp.solve_resolvent(sp.csr_array(model.kernel[chosen]), model.reward[chosen], model.gamma)
        q_values = model.reward + model.gamma * (model.kernel @ values)
        best = np.maximum.reduceat(q_values, starts)
        scale = max(1.0, float(np.abs(best).max()))
        improve = q_values[chosen] < best[np.arange(starts.size)] - tol * scale
        if not improve.any():
            return best
        candidates = np.flatnonzero(q_values >= best[model.owner] - tol * scale)
        first = candidates[np.unique(model.owner[candidates], return_index=True)[1]]
        chosen = np.where(improve, first, chosen)
    raise RuntimeError(f"state_action_optimal_values: no convergence in {max_iter} iterations")


def chain_values(chain: LumpedChain) -> Array:
    """``V = (I - γ K)^{-1} r`` on the classes of a lumped chain, [X]."""
    return sdp.solve_resolvent(chain.kernel, chain.reward, chain.gamma)
