"""Mutants for mfgnac.alg2_td: NAC values whose critic (Algorithm 2) is broken.

Each is ``dataclasses.replace(NAC_DEFAULT, oracle=...)``: one part, the oracle, replaced by an
actor-critic pair whose critic runs a mis-scheduled TD(0); the checker sweeps its K like a
user's variant.
"""

from __future__ import annotations

import dataclasses

from mfcheck.algorithms.nac.actor_critic import ActorCriticOracle, ExactActor, TDCritic
from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT

#: TD(0) with a constant step α_k = 0.5 (no 1/(k+1) decay) returning the LAST iterate: it keeps
#: fluctuating at a level O(α), so the error plateaus (exponent about 0)
CONSTANT_STEP_LAST_ITERATE = dataclasses.replace(
    NAC_DEFAULT,
    oracle=ActorCriticOracle(critic=TDCritic(n_steps=256, constant_step=0.5, average=False), actor=ExactActor()),
)

#: Constant step but the AVERAGED iterate: NOT a violation (averaged linear stochastic
#: approximation with i.i.d. samples still converges at about 1/K); kept to document it
CONSTANT_STEP_AVERAGED = dataclasses.replace(
    NAC_DEFAULT,
    oracle=ActorCriticOracle(critic=TDCritic(n_steps=256, constant_step=0.5, average=True), actor=ExactActor()),
)
