"""Mutants for MFG-NAC Lemmas 5 and 8 (checker: :mod:`mfcheck.checks.mfgnac.lemma5_lemma8`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac import (
    Features,
    Oracle,
    OracleOutput,
    PolicyContext,
    TDConfig,
    advantage_from_critic,
    critic_values,
    exact_actor,
    projected_td,
)
from mfcheck.checks.mfgnac._along_run import SampledRun, run_sampled_nac
from mfcheck.models import MeanFieldGame


def mutant_drift_ignored(constants: dict[str, float]) -> dict[str, float]:
    """d0 = 0 (Assumption 1's constant underestimated: as if d*_t and π*_t ignored μ): the
    mean-field drift term (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖ vanishes, and σ_{t+1} exceeds
    E_{d*_t} KL(π*_t‖π_{t+1}) on SIS and the control game (Lemma 5 fails)."""
    return {**constants, "d0": 0.0}


def mutant_oracle_errors_unrecorded(
    game: MeanFieldGame, *, features: Features, n_iterations: int, policy_step: float,
    mean_field_step: float, oracle: Oracle, rng: np.random.Generator,
) -> SampledRun:
    """A TD + SGD run (``oracle`` as given) whose recorded ε_critic, ε_actor and ε_approx are all
    0, as if its oracles were exact: Lemma 8's oracle term vanishes while ŵ_t is noisy, and with
    small steps (Theorem 1's η, β for T = 10^6) σ_{t+1} exceeds the rest of the bound."""
    run = run_sampled_nac(game, features=features, n_iterations=n_iterations, policy_step=policy_step,
                          mean_field_step=mean_field_step, oracle=oracle, rng=rng)
    zero = np.zeros_like(run.errors.critic)
    return SampledRun(trajectory=run.trajectory, errors=run.errors.replace(critic=zero, actor=zero, approx=zero),
                      features=run.features)


@dataclass(frozen=True)
class TDCriticExactActor:
    """Algorithm 2's critic followed by the exact actor given it: ŵ = argmin_w L̂(w) (ε_actor = 0)."""

    td: TDConfig
    radius: float = np.inf

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator) -> OracleOutput:
        q_hat = critic_values(features, projected_td(context, features, self.td, rng)[0])
        w = exact_actor(context, features, advantage_from_critic(context, q_hat), radius=self.radius)
        return OracleOutput(w, q_hat)


def mutant_critic_error_unrecorded(
    game: MeanFieldGame, *, features: Features, n_iterations: int, policy_step: float,
    mean_field_step: float, oracle: Oracle, rng: np.random.Generator,
) -> SampledRun:
    """A run whose actor is exact given a noisy TD critic (``oracle.td``; ε_actor = 0) and whose
    recorded ε_critic is 0 although q̂ is noisy: the recorded ε_total is ε_approx (0 with one-hot
    features), and with small steps σ_{t+1} exceeds the bound without the critic's share."""
    td = oracle.td  # type: ignore[attr-defined]
    run = run_sampled_nac(game, features=features, n_iterations=n_iterations, policy_step=policy_step,
                          mean_field_step=mean_field_step, oracle=TDCriticExactActor(td), rng=rng)
    return SampledRun(trajectory=run.trajectory, errors=run.errors.replace(critic=np.zeros_like(run.errors.critic)),
                      features=run.features)
