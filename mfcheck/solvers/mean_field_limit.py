"""Solving the grid discretisation of the N = ∞ mean-field MDP (MF-PPO Def 2.1, meta-actions).

The model, its semi-Lagrangian grid MDP and the :class:`~mfcheck.models.mean_field_limit.LimitSolution`
record live in :mod:`mfcheck.models.mean_field_limit`; this module solves the grid MDP.
"""

from __future__ import annotations

from mfcheck.models.count_space import compositions
from mfcheck.models.mean_field_limit import LimitSolution, MeanFieldLimit
from mfcheck.solvers.sparse_dynamic_programming import policy_iteration


def solve_limit(limit: MeanFieldLimit, resolution: int) -> LimitSolution:
    """Optimal values of the discretised limit at resolution K (policy iteration, sparse LU).

    ``limit.grid_mdp`` builds the finite MDP, so a subclass that changes the flow (a mutant)
    is solved with its own flow.
    """
    mdp = limit.grid_mdp(resolution)
    solution = policy_iteration(mdp, linear_solver="lu")
    return LimitSolution(
        resolution=int(resolution),
        nodes=compositions(resolution, limit.model.n_states) / resolution,
        values=solution.values,
        q_values=solution.q_values,
        policy=solution.policy,
        residual=solution.residual,
    )
