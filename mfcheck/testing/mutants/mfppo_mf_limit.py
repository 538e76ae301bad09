"""Mutants for ``mfppo.mf_limit``: mean-field MDPs whose flow is not the N → ∞ limit.

* :func:`mutant_frozen_flow`: ``d' = Σ_x d(x) p(·|x, ā(x), d₀)``: the kernel is evaluated at
  the initial distribution d₀ instead of the current d (the population's feedback on each
  agent's transition is dropped). The reward is the honest one. For a model whose kernel
  depends on d, the N-agent values converge to the honest limit, so their gap to this one
  stays bounded away from 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.mean_field_limit import MeanFieldLimit
from mfcheck.models.n_agent import CooperativeModel

Array = NDArray[np.float64]


class FrozenFlowLimit(MeanFieldLimit):
    """A :class:`MeanFieldLimit` whose flow uses ``p(·|x, a, d₀)`` for every d."""

    def flow(self, d: ArrayLike) -> Array:
        d = np.asarray(d, dtype=float)
        frozen = np.broadcast_to(self.model.initial, d.shape)
        kernel = self.model.kernel(frozen)
        states = np.arange(self.model.n_states)
        chosen = kernel[..., states[None, :], self.meta_actions, :]
        return np.einsum("...x,...mxy->...my", d, chosen)


def mutant_frozen_flow(model: CooperativeModel) -> FrozenFlowLimit:
    """The limit MDP of ``model`` with its flow frozen at the initial mean field d₀."""
    return FrozenFlowLimit(model)
