"""MFG-NAC (single-loop natural actor-critic) and DL-NAC, numpy only, each with exact oracles.

Public API (MFG-NAC Algorithm 1-3, App C-D):

* features and policies: :class:`Features`, :func:`one_hot_features`, :func:`random_features`,
  :func:`polynomial_features`, :func:`log_linear_policy`, :func:`log_policy`,
  :func:`score_function`, :func:`log_policy_hessian`;
* exact ground truth of (θ, μ): :func:`policy_context` -> :class:`PolicyContext` (P, r, π,
  V, Q, q = Q - λ log π, A, d^π_μ, ν^π_μ, score);
* oracles: :class:`ExactOracle`, :class:`SampledOracle` (:func:`projected_td` = Algorithm 2,
  :func:`projected_sgd` = Algorithm 3), :func:`exact_actor`, :func:`approximation_error`;
* Algorithm 1: :class:`NACConfig` (``.theorem``, ``.paper``), :func:`initial_state`,
  :func:`nac_step`, :func:`run_nac` -> :class:`NACTrajectory`;
* DL-NAC: :class:`DLNACConfig`, :func:`run_dl_nac`;
* the algorithm values (:mod:`mfcheck.algorithms.protocol`): :class:`NAC`, :data:`NAC_DEFAULT`,
  :class:`DLNAC`, :data:`DLNAC_DEFAULT`, schedules :class:`Constant`, :class:`HorizonPower`.
"""

from __future__ import annotations

from mfcheck.algorithms.nac.algorithm import (
    DLNAC,
    DLNAC_DEFAULT,
    NAC,
    NAC_DEFAULT,
    Constant,
    HorizonPower,
    damped_mean_field_update,
    jump_mean_field,
    one_hot,
    regularised_policy_update,
    theorem_steps,
)
from mfcheck.algorithms.nac.compatible import compatible_loss, fit_compatible, project_ball
from mfcheck.algorithms.nac.context import (
    PolicyContext,
    discounted_visitation,
    policy_context,
    stationary_distribution,
)
from mfcheck.algorithms.nac.double_loop import DLNACConfig, dl_nac_step, run_dl_nac
from mfcheck.algorithms.nac.log_linear import (
    Features,
    log_linear_policy,
    log_policy,
    log_policy_hessian,
    one_hot_features,
    polynomial_features,
    random_features,
    score_function,
)
from mfcheck.algorithms.nac.oracles import (
    ExactOracle,
    Oracle,
    OracleOutput,
    SampledOracle,
    SGDConfig,
    TDConfig,
    actor_loss,
    advantage_from_critic,
    approximation_error,
    critic_error,
    critic_values,
    exact_actor,
    exact_critic,
    feature_covariance,
    gradient_bound,
    projected_sgd,
    projected_td,
)
from mfcheck.algorithms.nac.single_loop import (
    PAPER_STEPS,
    NACConfig,
    NACState,
    NACTrajectory,
    initial_state,
    nac_step,
    run_nac,
    theorem_schedule,
)

__all__ = [
    "DLNAC",
    "DLNAC_DEFAULT",
    "NAC",
    "NAC_DEFAULT",
    "PAPER_STEPS",
    "Constant",
    "DLNACConfig",
    "ExactOracle",
    "Features",
    "HorizonPower",
    "NACConfig",
    "NACState",
    "NACTrajectory",
    "Oracle",
    "OracleOutput",
    "PolicyContext",
    "SGDConfig",
    "SampledOracle",
    "TDConfig",
    "actor_loss",
    "advantage_from_critic",
    "approximation_error",
    "compatible_loss",
    "critic_error",
    "critic_values",
    "damped_mean_field_update",
    "discounted_visitation",
    "dl_nac_step",
    "exact_actor",
    "exact_critic",
    "feature_covariance",
    "fit_compatible",
    "gradient_bound",
    "initial_state",
    "jump_mean_field",
    "log_linear_policy",
    "log_policy",
    "log_policy_hessian",
    "nac_step",
    "one_hot",
    "one_hot_features",
    "policy_context",
    "polynomial_features",
    "project_ball",
    "projected_sgd",
    "projected_td",
    "random_features",
    "regularised_policy_update",
    "run_dl_nac",
    "run_nac",
    "score_function",
    "stationary_distribution",
    "theorem_schedule",
    "theorem_steps",
]
