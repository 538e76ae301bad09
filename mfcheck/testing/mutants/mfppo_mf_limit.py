"""A wrong statement for ``mfppo.mf_limit``: a mean-field MDP whose flow is not the N → ∞ limit.

:data:`FROZEN_FLOW` states that the limit is the mean-field MDP with flow
``d' = Σ_x d(x) p(·|x, ā(x), d₀)``: the kernel evaluated at the initial distribution d₀ instead
of the current d (the population's feedback on each agent's transition dropped; the reward is
the honest one). For a model whose kernel depends on d, the N-agent values converge to Def 2.1's
limit, so their gap to this one stays bounded away from 0, and the checker must refute it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.judgement.statement import Statement
from mfcheck.models.mean_field_limit import MeanFieldLimit
from mfcheck.solvers.mean_field_gap import Limit

Array = NDArray[np.float64]


class FrozenFlowLimit(MeanFieldLimit):
    """A :class:`MeanFieldLimit` whose flow uses ``p(·|x, a, d₀)`` for every d."""

    def flow(self, d: ArrayLike) -> Array:
        d = np.asarray(d, dtype=float)
        kernel = self.model.kernel(np.broadcast_to(self.model.initial, d.shape))
        states = np.arange(self.model.n_states)
        chosen = kernel[..., states[None, :], self.meta_actions, :]
        return np.einsum("...x,...mxy->...my", d, chosen)


FROZEN_FLOW = Statement(
    text="the N → ∞ limit is the mean-field MDP with flow d' = Σ_x d(x) p(·|x, ā(x), d₀) (kernel frozen "
         "at the initial distribution)",
    value=Limit(limit=FrozenFlowLimit),
    wrong=True,
)
