"""Mutants for mfppo.deepset_invariance: networks that are not permutation invariant."""

from __future__ import annotations

import torch
from torch import nn

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder


class ConcatDeepSet(nn.Module):
    """h(concat_i φ(s, s_i, a)): the others' encodings concatenated in agent order, not averaged.

    Built for one number of agents ``n_agents``; any other N raises ``ValueError``, and swapping
    two agents in different states changes the output (h sees agent i in slot i).
    """

    def __init__(
        self,
        encoder: OneHotEncoder,
        n_agents: int,
        *,
        generator: torch.Generator,
        latent: int = 16,
        hidden: int = 64,
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.n_agents = int(n_agents)
        dtype = encoder.dtype

        def linear(fan_in: int, fan_out: int) -> nn.Linear:
            layer = nn.Linear(fan_in, fan_out, dtype=dtype)
            with torch.no_grad():
                layer.weight.copy_(torch.randn(fan_out, fan_in, generator=generator, dtype=dtype)
                                   * (2.0 / fan_in) ** 0.5)
                layer.bias.zero_()
            return layer

        self.phi = nn.Sequential(linear(encoder.dim, latent), nn.ReLU())
        self.rho = nn.Sequential(linear(self.n_agents * latent, hidden), nn.ReLU(), linear(hidden, 1))

    def forward(self, own: object, others: object, action: object) -> torch.Tensor:
        x = self.encoder.encode(own, others, action)
        if x.shape[1] != self.n_agents:
            raise ValueError(
                f"ConcatDeepSet: built for N = {self.n_agents} agents, got N = {x.shape[1]}"
            )
        return self.rho(self.phi(x).flatten(1)).squeeze(-1)


def mutant_concat_deepset(encoder: OneHotEncoder, n_agents: int, generator: torch.Generator) -> ConcatDeepSet:
    """A concatenating (order-dependent, fixed-N) network in place of the averaging DeepSet."""
    return ConcatDeepSet(encoder, n_agents, generator=generator)
