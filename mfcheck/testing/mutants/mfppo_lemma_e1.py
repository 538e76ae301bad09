"""Mutant networks for Lemmas E.1 and E.2 (linearisation at initialisation).

Each ``mutant_<what>(encoder, width, generator)`` has the signature of the checkers' network
factories (:func:`mfcheck.checks.mfppo.lemma_e1.check_lemma_e1`).
"""

from __future__ import annotations

import math

import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet


class _OtherInitLinearisation(TwoLayerDeepSet):
    """F⁰ built from the activation pattern of a second, independent initialisation."""

    def __init__(self, encoder: OneHotEncoder, width: int, *, generator: torch.Generator) -> None:
        super().__init__(encoder, width, generator=generator)
        other = torch.randn(self.n_params, generator=generator, dtype=torch.float32)
        self.register_buffer("other_beta0", other.to(self.beta0.dtype) * self.init_std)

    def pointwise_linearised(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        active = (x @ self.weights(self.other_beta0).T > 0).to(x.dtype)
        return (active * (x @ self.weights(beta).T)) @ self.u / math.sqrt(self.width)

    def pointwise_linearised_grad(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise_grad(x, self.other_beta0)

    def pointwise_linearised_grad_sum(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        return self.pointwise_grad_sum(x, weights, self.other_beta0)


class _UnscaledOutput(TwoLayerDeepSet):
    """f(x) = Σ_j u_j relu(β_j^T x): the 1/sqrt(m) output scale forgotten (f, f⁰ and gradients)."""

    def pointwise(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        return super().pointwise(x, beta) * math.sqrt(self.width)

    def pointwise_linearised(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        return super().pointwise_linearised(x, beta) * math.sqrt(self.width)

    def pointwise_grad(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        return super().pointwise_grad(x, beta) * math.sqrt(self.width)

    def pointwise_grad_sum(
        self, x: torch.Tensor, weights: torch.Tensor, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        return super().pointwise_grad_sum(x, weights, beta) * math.sqrt(self.width)

    def init_second_moment(self, x: torch.Tensor) -> torch.Tensor:
        return super().init_second_moment(x) * self.width


def mutant_linearised_at_other_init(
    encoder: OneHotEncoder, width: int, generator: torch.Generator
) -> TwoLayerDeepSet:
    """Linearisation taken at the wrong point: the indicator 1{β'_j(0)^T x > 0} of another draw.

    Half the units disagree with F at every width, so |F⁰_β - F_β|² stays O(1) (m-exponent 0).
    """
    return _OtherInitLinearisation(encoder, width, generator=generator)


def mutant_unscaled_output(encoder: OneHotEncoder, width: int, generator: torch.Generator) -> TwoLayerDeepSet:
    """The output scale 1/sqrt(m) dropped: every gap is multiplied by m (squared: by m).

    For β independent of β(0) the Lemma E.1 gap becomes R³ m^-1/2: exactly the stated rate, so
    this mutant does *not* violate Lemma E.1 (a finding recorded in the claim's notes).
    """
    return _UnscaledOutput(encoder, width, generator=generator)
