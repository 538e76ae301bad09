"""Algorithm 1: the single-loop natural actor-critic (NAC) for entropy-regularised MFGs.

MFG-NAC Algorithm 1 (main text; App B):

    ŵ_t       = oracle(π_t, μ_t)                     (Algorithms 2-3, or exact)
    θ_{t+1}   = (1 - η_t λ) θ_t + η_t ŵ_t            (θ_0 = 0)
    μ_{t+1}   = (1 - β_t) μ_t + β_t Γ2(π_t, μ_t)

The algorithm value is :class:`mfcheck.algorithms.nac.algorithm.NAC` (its parts, pure step and
driver); this module holds its state and trajectory types and the keyword-config adapter
:func:`run_nac` (``NACConfig`` -> ``NAC``). Schedules:
:func:`theorem_schedule` (η = T^{-2/5}/λ, β = T^{-4/5}, Theorem 1) and
:data:`PAPER_STEPS` (App D constants).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, Constant
from mfcheck.algorithms.nac.context import policy_context
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.oracles import ExactOracle, Oracle
from mfcheck.algorithms.nac.trajectory import NACState, NACTrajectory, StepRecord
from mfcheck.models import MeanFieldGame

Array = NDArray[np.float64]

#: App D constants: (β, η) per task; the critic's learning rate there is 0.001.
PAPER_STEPS: dict[str, dict[str, float]] = {
    "sis": {"mean_field_step": 0.01, "policy_step": 0.05, "critic_lr": 0.001},
    "linear_quadratic": {"mean_field_step": 0.05, "policy_step": 0.1, "critic_lr": 0.001},
}


def theorem_schedule(n_iterations: int, lam: float) -> tuple[float, float]:
    """(η, β) = (T^{-2/5}/λ, T^{-4/5}) of Theorem 1 (constants set to 1)."""
    if n_iterations < 1 or not lam > 0:
        raise ValueError(f"theorem_schedule: need T >= 1 and λ > 0, got T={n_iterations}, λ={lam}")
    return n_iterations ** -0.4 / lam, n_iterations ** -0.8


@dataclass(frozen=True, kw_only=True)
class NACConfig:
    """Settings of Algorithm 1.

    Attributes
    ----------
    n_iterations : int
        T.
    policy_step : float
        η (constant in t, as in Theorem 1 and App D); needs 0 < ηλ < 1 for Lemma 2.
    mean_field_step : float
        β in [0, 1] (β = 0: the mean field never moves).
    exploitability_every : int
        Record the exploitability of π_t every this many iterations (0: never; it costs an
        induced-mean-field solve each time).
    validate_every : int
        Call the game's validated kernel/reward every this many iterations (and at t = 0);
        the raw callables in between (speed).
    """

    n_iterations: int
    policy_step: float
    mean_field_step: float
    exploitability_every: int = 0
    validate_every: int = 100

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"NACConfig.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if not self.policy_step > 0:
            raise ValueError(f"NACConfig.policy_step: must be > 0, got {self.policy_step!r}")
        if not 0 <= self.mean_field_step <= 1:
            raise ValueError(f"NACConfig.mean_field_step: must lie in [0, 1], got {self.mean_field_step!r}")
        if self.exploitability_every < 0:
            raise ValueError(
                f"NACConfig.exploitability_every: must be >= 0, got {self.exploitability_every!r}"
            )
        if self.validate_every < 1:
            raise ValueError(f"NACConfig.validate_every: must be >= 1, got {self.validate_every!r}")

    @classmethod
    def theorem(cls, n_iterations: int, lam: float, **kwargs: object) -> NACConfig:
        """Theorem 1's schedule η = T^{-2/5}/λ, β = T^{-4/5}."""
        eta, beta = theorem_schedule(n_iterations, lam)
        return cls(n_iterations=n_iterations, policy_step=eta, mean_field_step=beta, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def paper(cls, task: str, n_iterations: int, **kwargs: object) -> NACConfig:
        """App D's constants for ``task`` in {"sis", "linear_quadratic"}."""
        if task not in PAPER_STEPS:
            raise ValueError(f"NACConfig.paper: unknown task {task!r}; one of {sorted(PAPER_STEPS)}")
        steps = PAPER_STEPS[task]
        return cls(
            n_iterations=n_iterations,
            policy_step=steps["policy_step"],
            mean_field_step=steps["mean_field_step"],
            **kwargs,  # type: ignore[arg-type]
        )


def initial_state(
    game: MeanFieldGame, features: Features, *, mean_field: Array | None = None
) -> NACState:
    """θ_0 = 0 and μ_0 = ``mean_field`` (default ρ, the game's initial distribution)."""
    mu = game.initial.copy() if mean_field is None else np.asarray(mean_field, dtype=float)
    theta = np.zeros(features.dim)
    return NACState(0, theta, mu, policy_context(game, features, theta, mu))


def nac_step(
    game: MeanFieldGame,
    features: Features,
    state: NACState,
    *,
    policy_step: float,
    mean_field_step: float,
    oracle: Oracle,
    rng: np.random.Generator,
    validate: bool = True,
) -> tuple[NACState, StepRecord]:
    """One iteration of Algorithm 1: returns the next state and (ŵ_t, q̂_t). Pure given ``rng``.

    ``validate`` is passed to :func:`policy_context` for the next state.
    """
    out = oracle(state.context, features, rng)
    theta = (1.0 - policy_step * game.lam) * state.theta + policy_step * out.w_hat
    image = state.context.population_update()
    mu = (1.0 - mean_field_step) * state.mean_field + mean_field_step * image
    mu = np.clip(mu, 0.0, None)
    mu = mu / mu.sum()
    next_state = NACState(
        state.t + 1, theta, mu, policy_context(game, features, theta, mu, validate=validate)
    )
    return next_state, StepRecord(out.w_hat, out.q_hat)


def run_nac(
    game: MeanFieldGame,
    features: Features,
    config: NACConfig,
    *,
    oracle: Oracle | None = None,
    rng: np.random.Generator | None = None,
    mean_field: Array | None = None,
) -> NACTrajectory:
    """Run Algorithm 1 for ``config.n_iterations`` steps from θ_0 = 0, μ_0 = ``mean_field`` (ρ).

    ``oracle`` defaults to :class:`ExactOracle` (unconstrained). ``rng`` is required for
    sampled oracles (a fixed default generator is used for exact ones, which draw nothing).
    """
    algorithm = NAC(
        n_iterations=config.n_iterations,
        policy_step=Constant(config.policy_step),
        mean_field_step=Constant(config.mean_field_step),
        oracle=ExactOracle() if oracle is None else oracle,
        exploitability_every=config.exploitability_every,
        validate_every=config.validate_every,
    )
    return algorithm.run(game, rng=rng, mean_field=mean_field, features=features)
