"""Mutants for mfppo.lemma_e4: samplers of agent states that are not i.i.d."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def mutant_copied_sampler(
    rng: np.random.Generator, dist: NDArray[np.float64], n_agents: int, n_draws: int
) -> NDArray[np.int64]:
    """All N agents copy one draw from d_S: the empirical distribution is a point mass for every N."""
    one = rng.choice(dist.size, size=n_draws, p=dist)
    return np.repeat(one[:, None], n_agents, axis=1)
