"""The general DeepSet of MF-PPO Sec 3, ``F(s, s_1..s_N, a) = h(mean_i φ(s, s_i, a))`` (MLPs φ, h).

Called as ``net(own [B], others [B, N], action [B]) -> [B]`` like the two-layer network of
:mod:`mfcheck.algorithms.mfppo.networks_torch` (which re-exports :class:`DeepSet`); parameters
are exposed as one flat vector (``flat_parameters``). Reference: MF-PPO (arXiv 2105.08268) Sec 3.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
from torch import nn

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder, check_distribution_batch


def _linear(fan_in: int, fan_out: int, generator: torch.Generator, dtype: torch.dtype) -> nn.Linear:
    layer = nn.Linear(fan_in, fan_out, dtype=dtype)
    with torch.no_grad():
        layer.weight.copy_(
            torch.randn(fan_out, fan_in, generator=generator, dtype=dtype) * math.sqrt(2.0 / fan_in)
        )
        layer.bias.zero_()
    return layer


def _mlp(sizes: Sequence[int], generator: torch.Generator, dtype: torch.dtype, *, last_relu: bool) -> nn.Sequential:
    layers: list[nn.Module] = []
    for k, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(_linear(fan_in, fan_out, generator, dtype))
        if k < len(sizes) - 2 or last_relu:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class DeepSet(nn.Module):
    """General DeepSet F(s, s_1..s_N, a) = h(mean_i φ(x(s, s_i, a))) of MF-PPO Sec 3.

    Parameters
    ----------
    encoder : OneHotEncoder
    generator : torch.Generator
        He-normal weights, zero biases.
    phi_sizes : sequence of int
        Widths of φ's layers; the last one is the pooled (latent) dimension.
    rho_sizes : sequence of int
        Hidden widths of h (its output is a scalar).
    """

    def __init__(
        self,
        encoder: OneHotEncoder,
        *,
        generator: torch.Generator,
        phi_sizes: Sequence[int] = (64, 32),
        rho_sizes: Sequence[int] = (64,),
    ) -> None:
        super().__init__()
        for name, sizes in (("phi_sizes", phi_sizes), ("rho_sizes", rho_sizes)):
            if any(int(w) != w or w < 1 for w in sizes):
                raise ValueError(f"DeepSet.{name}: widths must be positive ints, got {tuple(sizes)!r}")
        if len(phi_sizes) < 1:
            raise ValueError("DeepSet.phi_sizes: needs at least the latent width")
        self.encoder = encoder
        dtype = encoder.dtype
        self.phi = _mlp([encoder.dim, *phi_sizes], generator, dtype, last_relu=True)
        self.rho = _mlp([phi_sizes[-1], *rho_sizes, 1], generator, dtype, last_relu=False)

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def flat_parameters(self) -> torch.Tensor:
        """All parameters as one flat vector (a copy), in ``self.parameters()`` order."""
        return nn.utils.parameters_to_vector(self.parameters()).detach().clone()

    def set_flat_parameters(self, vector: torch.Tensor) -> None:
        """Overwrite the parameters from a flat vector of length ``n_params``."""
        if vector.shape != (self.n_params,):
            raise ValueError(f"vector: expected shape ({self.n_params},), got {tuple(vector.shape)}")
        nn.utils.vector_to_parameters(vector.detach(), self.parameters())

    def forward(self, own: object, others: object, action: object) -> torch.Tensor:
        """h(mean_i φ(s, s_i, a)), shape [B]; defined for every N >= 1."""
        pooled = self.phi(self.encoder.encode(own, others, action)).mean(dim=1)
        return self.rho(pooled).squeeze(-1)

    def population(self, own: object, dist: object, action: object) -> torch.Tensor:
        """h(E_{x~d} φ(s, x, a)), the mean-field network of Sec 3, shape [B]."""
        d = check_distribution_batch(dist, self.encoder.n_states, dtype=self.encoder.dtype)
        phi = self.phi(self.encoder.encode_all_others(own, action))
        return self.rho((phi * d[..., None]).sum(dim=1)).squeeze(-1)

    def grad(self, own: object, others: object, action: object) -> torch.Tensor:
        """Per-sample gradient w.r.t. the flat parameters, shape [B, n_params] (torch.func)."""
        from torch.func import functional_call, grad, vmap

        x = self.encoder.encode(own, others, action)
        names = [k for k, _ in self.named_parameters()]
        params = {k: v.detach() for k, v in self.named_parameters()}

        def one(p: dict[str, torch.Tensor], xi: torch.Tensor) -> torch.Tensor:
            phi_p = {k[4:]: v for k, v in p.items() if k.startswith("phi.")}
            rho_p = {k[4:]: v for k, v in p.items() if k.startswith("rho.")}
            pooled = functional_call(self.phi, phi_p, (xi,)).mean(dim=0)
            return functional_call(self.rho, rho_p, (pooled,))[0]

        grads = vmap(grad(one), in_dims=(None, 0))(params, x)
        return torch.cat([grads[k].flatten(1) for k in names], dim=1)
