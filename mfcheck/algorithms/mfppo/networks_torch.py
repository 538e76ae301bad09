"""Permutation-invariant actor/critic networks of MF-PPO, vectorised over batch and agents.

Two architectures, both called as ``net(own [B], others [B, N], action [B]) -> [B]``:

* :class:`TwoLayerDeepSet`, the two-layer ReLU form of Sec 4 / App E.1 and its linearisation
  at initialisation (Definition 4.1). Two normalisations, chosen by ``pooling``:

  - ``"mean"`` (App E): ``F(s, s, a) = (1/N) Σ_i f(s, s_i, a)`` with the per-input network
    ``f(x) = m^-1/2 Σ_j u_j relu(β_j^T x)``; its population version is
    ``F(s, d, a) = E_{x~d} f(s, x, a)`` (the limit N -> ∞);
  - ``"sqrt_sum"`` (Sec 4 as printed): ``F = (m N)^-1/2 Σ_j Σ_i u_j relu(β_j^T x_i)
    = N^-1/2 Σ_i f(x_i)``, which grows like sqrt(N) and has no N -> ∞ limit.

* :class:`DeepSet`, the general ``h(mean_i φ(s, s_i, a))`` of Sec 3 (MLPs φ and h), defined in
  :mod:`mfcheck.algorithms.mfppo.deepset_torch` and re-exported here.

Parameters are exposed as one flat vector (``beta``/``flat_parameters``) so that algorithms
can project onto the ball B(β0, R). Reference: MF-PPO (arXiv 2105.08268) Sec 3, Sec 4,
Definition 4.1, App E.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import torch
from torch import nn

from mfcheck.algorithms.mfppo.deepset_torch import DeepSet
from mfcheck.algorithms.mfppo.encoding_torch import (
    OneHotEncoder,
    as_index_tensor,
    check_distribution_batch,
)

__all__ = ["POOLINGS", "DeepSet", "PermutationInvariantNetwork", "TwoLayerDeepSet"]

POOLINGS: tuple[str, ...] = ("mean", "sqrt_sum")


class PermutationInvariantNetwork(Protocol):
    """What the checks need from an actor/critic: a batched forward on state indices."""

    def __call__(self, own: object, others: object, action: object) -> torch.Tensor: ...


class TwoLayerDeepSet(nn.Module):
    """Two-layer ReLU DeepSet of MF-PPO Sec 4 with fixed output signs u_j.

    Parameters
    ----------
    encoder : OneHotEncoder
        Maps (s, s', a) to x in R^d.
    width : int
        Number of hidden units m.
    generator : torch.Generator
        Source of u_j ~ Unif{-1, +1} and β_j(0) ~ N(0, I_d / d).
    pooling : "mean" | "sqrt_sum"
        App E's mean over agents or Sec 4's (mN)^-1/2 double sum (see the module docstring).
    init_std : float, optional
        Standard deviation of each entry of β_j(0); the paper's 1/sqrt(d) by default.

    Attributes
    ----------
    u : Tensor [m]
    beta0 : Tensor [m d]
        Initial first-layer weights, flat (row j is ``beta0.view(m, d)[j]``).
    beta : nn.Parameter [m d]
        Current weights (starts at ``beta0``); every method also accepts an explicit ``beta``.
    """

    def __init__(
        self,
        encoder: OneHotEncoder,
        width: int,
        *,
        generator: torch.Generator,
        pooling: str = "mean",
        init_std: float | None = None,
    ) -> None:
        super().__init__()
        if int(width) != width or width < 1:
            raise ValueError(f"TwoLayerDeepSet.width: must be a positive int, got {width!r}")
        if pooling not in POOLINGS:
            raise ValueError(f"TwoLayerDeepSet.pooling: {pooling!r} is not one of {POOLINGS}")
        d = encoder.dim
        std = 1.0 / math.sqrt(d) if init_std is None else float(init_std)
        if not (math.isfinite(std) and std > 0):
            raise ValueError(f"TwoLayerDeepSet.init_std: must be finite and > 0, got {init_std!r}")
        self.encoder = encoder
        self.width = int(width)
        self.pooling = pooling
        self.init_std = std
        dtype = encoder.dtype
        signs = torch.randint(0, 2, (self.width,), generator=generator).to(dtype) * 2 - 1
        # float32 draws (5x faster on CPU), then cast: the entries are still N(0, std²) samples
        beta0 = torch.randn(self.width * d, generator=generator, dtype=torch.float32).to(dtype) * std
        self.register_buffer("u", signs)
        self.register_buffer("beta0", beta0)
        self.beta = nn.Parameter(beta0.clone())

    # ----------------------------------------------------------------- parameters
    @property
    def input_dim(self) -> int:
        return self.encoder.dim

    @property
    def n_params(self) -> int:
        """Number of trained parameters m d (the u_j are fixed)."""
        return self.width * self.encoder.dim

    def weights(self, beta: torch.Tensor | None = None) -> torch.Tensor:
        """First-layer weights as a matrix [m, d] (``beta`` flat [m d], default ``self.beta``)."""
        beta = self.beta if beta is None else beta
        if beta.shape != (self.n_params,):
            raise ValueError(f"beta: expected shape ({self.n_params},), got {tuple(beta.shape)}")
        return beta.view(self.width, self.encoder.dim)

    def project(self, beta: torch.Tensor, radius: float) -> torch.Tensor:
        """Euclidean projection of ``beta`` onto the ball B(beta0, radius) (Algorithms 2-3)."""
        if not radius >= 0:
            raise ValueError(f"radius: must be >= 0, got {radius!r}")
        offset = beta - self.beta0
        norm = torch.linalg.vector_norm(offset)
        if float(norm) <= radius:
            return beta
        return self.beta0 + offset * (radius / norm)

    # ----------------------------------------------------------- per-input network
    def gate(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """The gate 1{β_j^T x > 0} for inputs x [..., d], shape [..., m] (``beta0``: f⁰'s gate)."""
        return (x @ self.weights(beta).T > 0).to(x.dtype)

    def pointwise(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """f_β(x) = m^-1/2 Σ_j u_j relu(β_j^T x) for inputs x [..., d] (App E.1)."""
        return torch.relu(x @ self.weights(beta).T) @ self.u / math.sqrt(self.width)

    def pointwise_linearised(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """f⁰_β(x) = m^-1/2 Σ_j u_j 1{β_j(0)^T x > 0} β_j^T x (Definition 4.1, App E.1)."""
        return (self.gate(x, self.beta0) * (x @ self.weights(beta).T)) @ self.u / math.sqrt(self.width)

    def pointwise_grad(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """∇_β f_β(x) = m^-1/2 (u_j 1{β_j^T x > 0} x)_j, shape [..., m d] (at ``beta0``: ∇f⁰)."""
        active = self.gate(x, beta) * self.u / math.sqrt(self.width)
        return (active[..., :, None] * x[..., None, :]).flatten(-2)

    def pointwise_linearised_grad(self, x: torch.Tensor) -> torch.Tensor:
        """∇_β f⁰_β(x) = ∇_β f_β(0)(x), the same for every β, shape [..., m d] (App E.1)."""
        return self.pointwise_grad(x, self.beta0)

    def pointwise_grad_sum(
        self, x: torch.Tensor, weights: torch.Tensor, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Σ_i weights_i ∇_β f_β(x_i) for x [n, d], weights [n], shape [m d] (no [n, m d] array)."""
        summed = self.gate(x, beta).T @ (weights[:, None] * x)
        return (summed * (self.u[:, None] / math.sqrt(self.width))).flatten()

    def pointwise_linearised_grad_sum(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        """Σ_i weights_i ∇_β f⁰_β(x_i) = Σ_i weights_i ∇f_β(0)(x_i), shape [m d]."""
        return self.pointwise_grad_sum(x, weights, self.beta0)

    def init_second_moment(self, x: torch.Tensor) -> torch.Tensor:
        """Closed form E_init[f_β(0)(x)²] = init_std² ‖x‖² / 2, shape [...] (proof of Lemma E.3).

        With w ~ N(0, σ² I), w^T x ~ N(0, σ² ‖x‖²) and E relu(w^T x)² = σ² ‖x‖² / 2; the cross
        terms vanish because E u_k u_l = 0 for k != l. With σ² = 1/d this is ‖x‖² / (2d).
        """
        return self.init_std**2 * (x * x).sum(dim=-1) / 2

    # ------------------------------------------------------------- pooled network
    def _pool(self, values: torch.Tensor) -> torch.Tensor:
        n = values.shape[-1]
        if self.pooling == "mean":
            return values.mean(dim=-1)
        return values.sum(dim=-1) / math.sqrt(n)

    def forward(
        self,
        own: object,
        others: object,
        action: object,
        beta: torch.Tensor | None = None,
        *,
        linearised: bool = False,
    ) -> torch.Tensor:
        """F_β(s, s_1..s_N, a) (or F⁰_β, the same pooling of f⁰_β, with ``linearised``), shape [B].

        own [B], others [B, N], action [B] are indices.
        """
        evaluate = self.pointwise_linearised if linearised else self.pointwise
        return self._pool(evaluate(self.encoder.encode(own, others, action), beta))

    def forward_linearised(
        self, own: object, others: object, action: object, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """F⁰_β(s, s_1..s_N, a), shape [B]: ``forward(..., linearised=True)``."""
        return self.forward(own, others, action, beta, linearised=True)

    def grad(
        self, own: object, others: object, action: object, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Per-sample ∇_β F_β(s, s_1..s_N, a), shape [B, m d] (pass ``beta0`` for ∇F⁰)."""
        x = self.encoder.encode(own, others, action)
        n = x.shape[1]
        summed = torch.einsum("bnj,bnd->bjd", self.gate(x, beta), x)
        summed = summed * (self.u[:, None] / math.sqrt(self.width))
        scale = 1.0 / n if self.pooling == "mean" else 1.0 / math.sqrt(n)
        return summed.flatten(1) * scale

    # ------------------------------------------------------- population (N = ∞)
    def _require_mean(self) -> None:
        if self.pooling != "mean":
            raise ValueError(
                "population: defined only for pooling='mean' (App E); the Sec 4 "
                "(mN)^-1/2 normalisation has no N -> infinity limit"
            )

    def _over_inputs(
        self, own: object, dist: object, action: object, evaluate: Callable[[torch.Tensor], torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(d [B, S], evaluate(x(s_b, x, a_b)) [B, S, ...]): a per-input map at every input of each row."""
        self._require_mean()
        d = check_distribution_batch(dist, self.encoder.n_states, dtype=self.encoder.dtype)
        own_t = as_index_tensor(own, self.encoder.n_states, "own state")
        action_t = as_index_tensor(action, self.encoder.n_actions, "action")
        if own_t.ndim != 1 or action_t.shape != own_t.shape:
            raise ValueError(
                f"own state/action: expected equal shapes [B], got {tuple(own_t.shape)} and "
                f"{tuple(action_t.shape)}"
            )
        if own_t.numel() * self.encoder.n_states <= self.encoder.table[..., 0].numel():
            return d, evaluate(self.encoder.table[own_t, :, action_t])
        return d, evaluate(self.encoder.table)[own_t, :, action_t]  # many rows: every input once

    def population(
        self,
        own: object,
        dist: object,
        action: object,
        beta: torch.Tensor | None = None,
        *,
        linearised: bool = False,
    ) -> torch.Tensor:
        """F_β(s, d, a) = Σ_x d(x) f_β(s, x, a) (or F⁰ with ``linearised``), shape [B] (App E.1)."""
        pointwise = self.pointwise_linearised if linearised else self.pointwise
        d, f = self._over_inputs(own, dist, action, lambda x: pointwise(x, beta))
        return (f * d).sum(dim=-1)

    def population_grad(
        self,
        own: object,
        dist: object,
        action: object,
        beta: torch.Tensor | None = None,
        *,
        linearised: bool = False,
    ) -> torch.Tensor:
        """∇_β F_β(s, d, a) = Σ_x d(x) ∇f_β(s, x, a), shape [B, m d] (∇F⁰ with ``linearised``)."""

        def evaluate(x: torch.Tensor) -> torch.Tensor:
            return self.pointwise_linearised_grad(x) if linearised else self.pointwise_grad(x, beta)

        d, grads = self._over_inputs(own, dist, action, evaluate)
        return torch.einsum("bx,bxp->bp", d, grads)
