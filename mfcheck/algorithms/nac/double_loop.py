"""DL-NAC: the double-loop baseline of App D (fixed-point iteration with inner NAC).

For a fixed μ, ``inner_steps`` NAC policy steps θ <- (1 - ηλ)θ + ηŵ(π_θ, μ) learn a policy;
then the mean field moves abruptly, μ <- Γ2(π_θ, μ) (App D, "Zigzags"). Inner steps are
flattened: iterate t is one inner step, and the mean field jumps after every ``inner_steps``
steps, so curves line up with single-loop NAC's. ``reset_policy`` restarts θ at 0 after each
jump ("learn a new policy from scratch"); by default θ is kept (warm start).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac.algorithm import DLNAC, Constant
from mfcheck.algorithms.nac.context import policy_context
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.oracles import ExactOracle, Oracle
from mfcheck.algorithms.nac.trajectory import NACState, NACTrajectory, StepRecord
from mfcheck.models import MeanFieldGame


@dataclass(frozen=True, kw_only=True)
class DLNACConfig:
    """Settings of DL-NAC.

    Attributes
    ----------
    n_iterations : int
        Total inner steps (flattened).
    policy_step : float
        η of the inner NAC steps.
    inner_steps : int
        Inner steps per outer (mean-field) update.
    reset_policy : bool
        Restart θ at 0 after each mean-field jump.
    exploitability_every : int
        Record E(π_t) every this many steps (0: never).
    """

    n_iterations: int
    policy_step: float
    inner_steps: int
    reset_policy: bool = False
    exploitability_every: int = 0

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"DLNACConfig.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if not self.policy_step > 0:
            raise ValueError(f"DLNACConfig.policy_step: must be > 0, got {self.policy_step!r}")
        if int(self.inner_steps) != self.inner_steps or self.inner_steps < 1:
            raise ValueError(f"DLNACConfig.inner_steps: must be a positive int, got {self.inner_steps!r}")


def dl_nac_step(
    game: MeanFieldGame,
    features: Features,
    state: NACState,
    *,
    config: DLNACConfig,
    oracle: Oracle,
    rng: np.random.Generator,
) -> tuple[NACState, StepRecord]:
    """One flattened DL-NAC step: an inner policy step, then the mean-field jump if due."""
    out = oracle(state.context, features, rng)
    eta = config.policy_step
    theta = (1.0 - eta * game.lam) * state.theta + eta * out.w_hat
    mu = state.mean_field
    context = policy_context(game, features, theta, mu)
    if (state.t + 1) % config.inner_steps == 0:
        mu = context.population_update()
        if config.reset_policy:
            theta = np.zeros_like(theta)
        context = policy_context(game, features, theta, mu)
    return NACState(state.t + 1, theta, mu, context), StepRecord(out.w_hat, out.q_hat)


def run_dl_nac(
    game: MeanFieldGame,
    features: Features,
    config: DLNACConfig,
    *,
    oracle: Oracle | None = None,
    rng: np.random.Generator | None = None,
    mean_field: np.ndarray | None = None,
) -> NACTrajectory:
    """Run DL-NAC from θ_0 = 0, μ_0 = ``mean_field`` (default ρ); every iterate recorded.

    ``mean_field_steps`` in the trajectory is 1 at the steps where μ jumped, else 0.
    """
    algorithm = DLNAC(
        n_iterations=config.n_iterations,
        policy_step=Constant(config.policy_step),
        inner_steps=config.inner_steps,
        reset_policy=config.reset_policy,
        oracle=ExactOracle() if oracle is None else oracle,
        exploitability_every=config.exploitability_every,
    )
    return algorithm.run(game, rng=rng, mean_field=mean_field, features=features)
