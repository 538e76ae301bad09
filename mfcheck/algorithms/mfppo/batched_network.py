"""Two-layer DeepSet of MF-PPO Sec 4 in numpy, batched over R independent runs (seeds).

``F_β(s, w, ā) = Σ_x w_x f_β(s, x, ā)`` with ``f_β(z) = m^-1/2 Σ_j u_j relu(β_j^T z(s, x, ā))``:
mean pooling (App E), where ``w`` is the empirical distribution of the N sampled agents (the
mean over agents is a function of it) or the population d itself (N = ∞). Inputs are the
scaled one-hot triples of ``encoding_torch.OneHotEncoder`` (norm 1), so this network equals
``networks_torch.TwoLayerDeepSet(pooling="mean")`` with the same u, β0 (tested); it exists to
run many seeds at once without per-step torch overhead.
Reference: MF-PPO Sec 4 (two-layer form), Definition 4.1, App E.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.problem import Array, MeanFieldProblem


def encoding_table(n_local: int, n_actions: int, norm: float = 1.0) -> Array:
    """z(s, x, ā) = norm (e_s, e_x, e_ā)/sqrt(3), shape [S, S, M, 2S + M]."""
    d = 2 * n_local + n_actions
    table = np.zeros((n_local, n_local, n_actions, d))
    idx = np.arange(n_local)
    table[idx, :, :, idx] = 1.0
    table[:, idx, :, n_local + idx] = 1.0
    table[:, :, np.arange(n_actions), 2 * n_local + np.arange(n_actions)] = 1.0
    return table * norm / np.sqrt(3.0)


@dataclass(frozen=True, kw_only=True, eq=False)
class BatchedDeepSet:
    """R two-layer DeepSets: fixed signs u [R, m], initial weights beta0 [R, m, d]."""

    table: Array
    u: Array
    beta0: Array

    @classmethod
    def initialise(cls, rng: np.random.Generator, *, n_runs: int, width: int, n_local: int,
                   n_actions: int, symmetric: bool = False) -> BatchedDeepSet:
        """u_j ~ Unif{-1, +1}, β_j(0) ~ N(0, I_d/d) for each run (Sec 4).

        ``symmetric=True`` is the symmetric initialisation of the neural TD/PPO analyses
        (Cai et al. 2019; Liu et al. 2019): units j and j + m/2 share β_j(0) and have
        opposite signs u, so F_{β(0)} ≡ 0 while each unit's law (and the NTK) is unchanged.
        Needs an even width. The draws for ``symmetric=False`` are unchanged.
        """
        if width < 1 or n_runs < 1:
            raise ValueError(f"BatchedDeepSet: width={width!r}, n_runs={n_runs!r} must be >= 1")
        if symmetric and width % 2:
            raise ValueError(f"BatchedDeepSet: symmetric initialisation needs an even width, got {width!r}")
        table = encoding_table(n_local, n_actions)
        d = table.shape[-1]
        if symmetric:
            half = width // 2
            u_half = rng.choice(np.array([-1.0, 1.0]), size=(n_runs, half))
            beta_half = rng.standard_normal((n_runs, half, d)) / np.sqrt(d)
            u = np.concatenate([u_half, -u_half], axis=1)
            beta0 = np.concatenate([beta_half, beta_half], axis=1)
            return cls(table=table, u=u, beta0=beta0)
        u = rng.choice(np.array([-1.0, 1.0]), size=(n_runs, width))
        beta0 = rng.standard_normal((n_runs, width, d)) / np.sqrt(d)
        return cls(table=table, u=u, beta0=beta0)

    @property
    def width(self) -> int:
        return self.u.shape[1]

    def inputs(self, own: Array, action: Array) -> Array:
        """z(s, x, ā) for every other-agent state x, shape [R, B, S, d]."""
        return self.table[own, :, action]

    def forward(self, beta: Array, own: Array, weights: Array, action: Array,
                *, linearised: bool = False) -> Array:
        """F_β [R, B] for own/action [R, B] (or [B]) and agent weights [R, B, S] (or [B, S])."""
        z = self.inputs(own, action)
        pre = _pre(z, beta)
        if linearised:
            hidden = (_pre(z, self.beta0) > 0) * pre
        else:
            hidden = np.maximum(pre, 0.0)
        f = np.einsum("rbxj,rj->rbx", hidden, self.u) / np.sqrt(self.width)
        w = weights if weights.ndim == 3 else weights[None]
        return (f * w).sum(axis=-1)

    def forward_and_grad(self, beta: Array, own: Array, weights: Array, action: Array,
                         *, linearised: bool = False) -> tuple[Array, Array]:
        """(F_β [R, B], ∇_β F_β [R, B, m, d]) for the batch (App E's semi-gradient factor).

        ``linearised=True``: the same for F⁰_β, the linearisation at β(0) (App E.1).
        """
        z = self.inputs(own, action)
        pre = _pre(z, beta)
        scale = np.sqrt(self.width)
        w = weights if weights.ndim == 3 else np.broadcast_to(weights, (beta.shape[0], *weights.shape))
        gate = (_pre(z, self.beta0) > 0) if linearised else (pre > 0)
        value = np.einsum("rbxj,rj,rbx->rb", gate * pre, self.u, w) / scale
        coef = gate * (self.u[:, None, None, :] / scale) * w[..., None]
        zz = z if z.ndim == 4 else np.broadcast_to(z, (beta.shape[0], *z.shape))
        grad = np.einsum("rbxj,rbxd->rbjd", coef, zz)
        return value, grad

    def population(self, beta: Array, problem: MeanFieldProblem, *, linearised: bool = False,
                   weights: Array | None = None) -> Array:
        """F_β(s, d, ā) on every (x, ā) of the problem, shape [R, X, M] (N = ∞)."""
        n_x, n_m = problem.n_joint, problem.n_actions
        own = np.repeat(problem.own, n_m)
        action = np.tile(np.arange(n_m), n_x)
        dist = problem.dist if weights is None else weights
        w = np.repeat(dist, n_m, axis=0)
        values = self.forward(beta, own, w, action, linearised=linearised)
        return values.reshape(beta.shape[0], n_x, n_m)


def _pre(z: Array, beta: Array) -> Array:
    """Pre-activations β_j^T z, shape [R, B, S, m] for z [R, B, S, d] or [B, S, d]."""
    if z.ndim == 3:
        return np.einsum("bxd,rjd->rbxj", z, beta)
    return np.einsum("rbxd,rjd->rbxj", z, beta)


def project(beta: Array, beta0: Array, radius: float) -> Array:
    """Π_{B(β0, R)} per run (Algorithms 2-3): scale β - β0 back to norm R where it is longer."""
    offset = beta - beta0
    norm = np.sqrt((offset**2).sum(axis=(1, 2), keepdims=True))
    factor = np.where(norm > radius, radius / np.maximum(norm, 1e-300), 1.0)
    return beta0 + offset * factor
