"""Exact, vectorised solvers: evaluation, (soft) best responses, mean fields, exploitability, equilibria."""

from __future__ import annotations

from mfcheck.solvers.best_response import (
    best_response_finite_horizon,
    boltzmann_best_response,
    policy_values,
    policy_values_finite_horizon,
    soft_best_response,
)
from mfcheck.solvers.dynamic_programming import (
    ConvergenceError,
    backward_induction,
    boltzmann_policy,
    evaluate_policy,
    evaluate_policy_finite_horizon,
    greedy_policy,
    soft_policy_iteration,
    soft_value_iteration,
)
from mfcheck.solvers.equilibria import (
    Equilibrium,
    composite_map,
    damped_fixed_point,
    fictitious_play,
    fictitious_play_finite_horizon,
    find_equilibria,
    online_mirror_descent,
)
from mfcheck.solvers.exploitability import (
    FiniteHorizonPass,
    exploitability,
    exploitability_details,
    finite_horizon_pass,
)
from mfcheck.solvers.mean_field import (
    induced_mean_field,
    mean_field_flow,
    population_update,
    stationary_mean_fields,
)
from mfcheck.solvers.mirror_descent import (
    mirror_descent_start,
    mirror_descent_step,
    online_mirror_descent_finite_horizon,
)

__all__ = [
    "ConvergenceError",
    "Equilibrium",
    "FiniteHorizonPass",
    "backward_induction",
    "best_response_finite_horizon",
    "boltzmann_best_response",
    "boltzmann_policy",
    "composite_map",
    "damped_fixed_point",
    "evaluate_policy",
    "evaluate_policy_finite_horizon",
    "exploitability",
    "exploitability_details",
    "fictitious_play",
    "fictitious_play_finite_horizon",
    "find_equilibria",
    "finite_horizon_pass",
    "greedy_policy",
    "induced_mean_field",
    "mean_field_flow",
    "mirror_descent_start",
    "mirror_descent_step",
    "online_mirror_descent",
    "online_mirror_descent_finite_horizon",
    "policy_values",
    "policy_values_finite_horizon",
    "population_update",
    "soft_best_response",
    "soft_policy_iteration",
    "soft_value_iteration",
    "stationary_mean_fields",
]
