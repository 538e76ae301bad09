"""Mutants for mfgnac.alg3_sgd: NAC values whose actor (Algorithm 3) is broken.

Each is ``dataclasses.replace(NAC_DEFAULT, oracle=...)``: one part, the oracle, replaced by an
actor-critic pair (exact critic) whose actor runs a mis-scheduled or unaveraged projected SGD;
the checker sweeps its K like a user's variant.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac.actor_critic import ActorCriticOracle, ExactCritic, SGDActor
from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT
from mfcheck.algorithms.nac.context import PolicyContext
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.oracles import gradient_bound, projected_sgd


@dataclass(frozen=True, kw_only=True)
class OneOverKStepActor(SGDActor):
    """Projected SGD with step R/(ρK) instead of R/(ρ√K): the iterates travel a total distance of
    about R/ρ whatever K is, so the bias never vanishes and the excess loss plateaus."""

    def __call__(self, context: PolicyContext, features: Features, advantage: np.ndarray,
                 rng: np.random.Generator, n_replicates: int = 1) -> np.ndarray:
        step = self.radius / (gradient_bound(context, advantage, self.radius) * self.n_steps)
        return projected_sgd(context, advantage, dataclasses.replace(self, step=step), rng, n_replicates=n_replicates)


#: step R/(ρK): the excess loss plateaus (exponent about 0)
STEP_ONE_OVER_K = dataclasses.replace(
    NAC_DEFAULT, oracle=ActorCriticOracle(critic=ExactCritic(), actor=OneOverKStepActor(n_steps=256, radius=1.0)))
