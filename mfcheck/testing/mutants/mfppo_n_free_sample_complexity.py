"""Critics for the N-free sample-complexity check (``sampled_critic``'s signature)."""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.mfppo.problem import Array, MeanFieldProblem
from mfcheck.checks.mfppo.n_free_sample_complexity import sampled_critic


def mutant_noise_grows_with_n(rng: np.random.Generator, problem: MeanFieldProblem, policy: Array,
                              n_agents: int, n_samples: int, *, scale: float = 0.05) -> Array:
    """The sampled critic plus Gaussian noise of standard deviation scale · sqrt(N / B): a critic
    that sums (rather than averages) per-agent noisy signals, so its error, and the iterations
    needed, grow with N."""
    q_hat = sampled_critic(rng, problem, policy, n_agents, n_samples)
    return q_hat + rng.normal(0.0, scale * np.sqrt(n_agents / n_samples), size=q_hat.shape)
