"""Mutants for mfgnac.lemma2, each ``dataclasses.replace(NAC_DEFAULT, <one part>=...)``.

* ``UNPROJECTED_W``: an oracle that declares the ball ‖w‖ <= R = 0.2 but returns the exact,
  unprojected ŵ (Algorithm 3 without its projection). It breaks Lemma 2's hypothesis ‖ŵ_t‖ <= R,
  not its conclusion: the checker must answer not_applicable.
* ``DOUBLED_STEP``: its replacement, which keeps every hypothesis: the policy update
  θ <- (1 - ηλ)θ + 2ηŵ, whose iterates tend to 2ŵ/λ, outside the ball of radius R/λ.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT
from mfcheck.algorithms.nac.context import PolicyContext
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.oracles import OracleOutput, exact_actor, exact_critic


@dataclass(frozen=True)
class UnprojectedOracle:
    """Exact critic and the exact *unconstrained* actor, while declaring the ball of radius ``radius``."""

    radius: float = 0.2

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator) -> OracleOutput:
        return OracleOutput(exact_actor(context, features, context.advantage), exact_critic(context))


def doubled_policy_update(theta: np.ndarray, w_hat: np.ndarray, eta: float, lam: float) -> np.ndarray:
    """θ_{t+1} = (1 - ηλ)θ_t + 2ηŵ_t (twice Algorithm 1's natural-gradient step)."""
    return (1.0 - eta * lam) * theta + 2.0 * eta * w_hat


UNPROJECTED_W = dataclasses.replace(NAC_DEFAULT, oracle=UnprojectedOracle())
DOUBLED_STEP = dataclasses.replace(NAC_DEFAULT, policy_update=doubled_policy_update)
