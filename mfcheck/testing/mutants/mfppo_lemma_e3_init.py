"""Mutants for mfppo.lemma_e3_init (second moment of the network at initialisation).

``mutant_unscaled_output`` violates the claim; ``mutant_unit_variance_init`` and
``mutant_raw_index_inputs`` are the suggested mutants that do *not* (see the claim's notes).
"""

from __future__ import annotations

import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
from mfcheck.testing.mutants.mfppo_lemma_e1 import mutant_unscaled_output

__all__ = ["mutant_raw_index_inputs", "mutant_unit_variance_init", "mutant_unscaled_output"]


def mutant_unit_variance_init(
    encoder: OneHotEncoder, width: int, generator: torch.Generator
) -> TwoLayerDeepSet:
    """β_j(0) ~ N(0, I) instead of N(0, I/d): E_init f(x)² = ‖x‖²/2 <= 1/2, no violation."""
    return TwoLayerDeepSet(encoder, width, generator=generator, init_std=1.0)


def mutant_raw_index_inputs(n_states: int, n_actions: int) -> torch.Tensor:
    """Inputs x = (s, s', a) as raw index values, shape [S S A, 3]: ‖x‖ up to sqrt(2(S-1)² + (A-1)²).

    Outside Assumption 3 (‖x‖ <= 1): the checker answers not_applicable.
    """
    grid = torch.cartesian_prod(
        torch.arange(n_states), torch.arange(n_states), torch.arange(n_actions)
    )
    return grid.to(torch.float64)
