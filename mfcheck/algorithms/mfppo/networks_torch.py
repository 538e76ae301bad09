"""Permutation-invariant actor/critic networks of MF-PPO, vectorised over batch and agents.

Two architectures, both called as ``net(own [B], others [B, N], action [B]) -> [B]``:

* :class:`TwoLayerDeepSet`, the two-layer ReLU form of Sec 4 / App E.1 and its linearisation
  at initialisation (Definition 4.1). Two normalisations, chosen by ``pooling``:

  - ``"mean"`` (App E): ``F(s, s, a) = (1/N) Σ_i f(s, s_i, a)`` with the per-input network
    ``f(x) = m^-1/2 Σ_j u_j relu(β_j^T x)``; its population version is
    ``F(s, d, a) = E_{x~d} f(s, x, a)`` (the limit N -> ∞);
  - ``"sqrt_sum"`` (Sec 4 as printed): ``F = (m N)^-1/2 Σ_j Σ_i u_j relu(β_j^T x_i)
    = N^-1/2 Σ_i f(x_i)``, which grows like sqrt(N) and has no N -> ∞ limit.

* :class:`DeepSet`, the general ``h(mean_i φ(s, s_i, a))`` of Sec 3 (MLPs φ and h).

Parameters are exposed as one flat vector (``beta``/``flat_parameters``) so that algorithms
can project onto the ball B(β0, R). Reference: MF-PPO (arXiv 2105.08268) Sec 3, Sec 4,
Definition 4.1, App E.1.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Protocol

import torch
from torch import nn

from mfcheck.algorithms.mfppo.encoding_torch import (
    OneHotEncoder,
    as_index_tensor,
    check_distribution_batch,
)

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
    def pointwise(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """f_β(x) = m^-1/2 Σ_j u_j relu(β_j^T x) for inputs x [..., d] (App E.1)."""
        pre = x @ self.weights(beta).T
        return torch.relu(pre) @ self.u / math.sqrt(self.width)

    def pointwise_linearised(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """f⁰_β(x) = m^-1/2 Σ_j u_j 1{β_j(0)^T x > 0} β_j^T x (Definition 4.1, App E.1)."""
        active = torch.sign(x @ self.weights(self.beta0).T).clamp_(min=0.0)  # 1{β_j(0)^T x > 0}
        return (active * (x @ self.weights(beta).T)) @ self.u / math.sqrt(self.width)

    def pointwise_grad(self, x: torch.Tensor, beta: torch.Tensor | None = None) -> torch.Tensor:
        """∇_β f_β(x) = m^-1/2 (u_j 1{β_j^T x > 0} x)_j, shape [..., m d] (at ``beta0``: ∇f⁰)."""
        active = (x @ self.weights(beta).T > 0).to(x.dtype) * self.u / math.sqrt(self.width)
        return (active[..., :, None] * x[..., None, :]).flatten(-2)

    def pointwise_linearised_grad(self, x: torch.Tensor) -> torch.Tensor:
        """∇_β f⁰_β(x) = ∇_β f_β(0)(x), the same for every β, shape [..., m d] (App E.1)."""
        return self.pointwise_grad(x, self.beta0)

    def pointwise_grad_sum(
        self, x: torch.Tensor, weights: torch.Tensor, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Σ_i weights_i ∇_β f_β(x_i) for x [n, d], weights [n], shape [m d] (no [n, m d] array)."""
        active = (x @ self.weights(beta).T > 0).to(x.dtype)
        summed = active.T @ (weights[:, None] * x)
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
        self, own: object, others: object, action: object, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """F_β(s, s_1..s_N, a), shape [B]; own [B], others [B, N], action [B] are indices."""
        return self._pool(self.pointwise(self.encoder.encode(own, others, action), beta))

    def forward_linearised(
        self, own: object, others: object, action: object, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """F⁰_β(s, s_1..s_N, a): the same pooling of the linearised f⁰_β, shape [B]."""
        x = self.encoder.encode(own, others, action)
        return self._pool(self.pointwise_linearised(x, beta))

    def grad(
        self, own: object, others: object, action: object, beta: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Per-sample ∇_β F_β(s, s_1..s_N, a), shape [B, m d] (pass ``beta0`` for ∇F⁰)."""
        x = self.encoder.encode(own, others, action)
        n = x.shape[1]
        active = (x @ self.weights(beta).T > 0).to(x.dtype)
        summed = torch.einsum("bnj,bnd->bjd", active, x) * (self.u[:, None] / math.sqrt(self.width))
        scale = 1.0 / n if self.pooling == "mean" else 1.0 / math.sqrt(n)
        return summed.flatten(1) * scale

    # ------------------------------------------------------- population (N = ∞)
    def _require_mean(self) -> None:
        if self.pooling != "mean":
            raise ValueError(
                "population: defined only for pooling='mean' (App E); the Sec 4 "
                "(mN)^-1/2 normalisation has no N -> infinity limit"
            )

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
        self._require_mean()
        d = check_distribution_batch(dist, self.encoder.n_states, dtype=self.encoder.dtype)
        evaluate = self.pointwise_linearised if linearised else self.pointwise
        own_t, action_t = self._own_action(own, action)
        if own_t.numel() * self.encoder.n_states <= self.encoder.table[..., 0].numel():
            f = evaluate(self.encoder.table[own_t, :, action_t], beta)
        else:  # many rows: evaluate every input once, then gather
            f = evaluate(self.encoder.table, beta)[own_t, :, action_t]
        return (f * d).sum(dim=-1)

    def _own_action(self, own: object, action: object) -> tuple[torch.Tensor, torch.Tensor]:
        own_t = as_index_tensor(own, self.encoder.n_states, "own state")
        action_t = as_index_tensor(action, self.encoder.n_actions, "action")
        if own_t.ndim != 1 or action_t.shape != own_t.shape:
            raise ValueError(
                f"own state/action: expected equal shapes [B], got {tuple(own_t.shape)} and "
                f"{tuple(action_t.shape)}"
            )
        return own_t, action_t

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
        self._require_mean()
        d = check_distribution_batch(dist, self.encoder.n_states, dtype=self.encoder.dtype)
        own_t, action_t = self._own_action(own, action)

        def evaluate(x: torch.Tensor) -> torch.Tensor:
            return self.pointwise_linearised_grad(x) if linearised else self.pointwise_grad(x, beta)

        if own_t.numel() * self.encoder.n_states <= self.encoder.table[..., 0].numel():
            grads = evaluate(self.encoder.table[own_t, :, action_t])
        else:
            grads = evaluate(self.encoder.table)[own_t, :, action_t]
        return torch.einsum("bx,bxp->bp", d, grads)


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
