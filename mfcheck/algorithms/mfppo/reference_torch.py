"""An independent torch recomputation of one step of MF-PPO's Algorithms 2 and 3 (eq E.5-E.6).

Built on :class:`~mfcheck.algorithms.mfppo.networks_torch.TwoLayerDeepSet` (not on the batched
numpy network the algorithm runs on): the batched network's (u, β0) are copied into the torch
module, and agent weights that are counts / N are expanded back into N explicit agent states, so
the torch forward and gradient pool over agents exactly as the paper writes F(s, s_1..s_N, ā).
Weights that are not counts (a critic embedding other than the empirical distribution) are
pooled as F(s, w, ā) = Σ_x w_x f(s, x, ā) (App E.1's population form).

One step: ``β(t+1) = Π_{B(β0,R)}(β(t) - η (F_β(s,s,ā) - c - μ F_β(s',s',ā')) ∇F_β(s,s,ā))``.
Reference: MF-PPO Alg 2, Alg 3, eq (3.1), (3.2), App E (E.5)-(E.6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
from mfcheck.algorithms.mfppo.problem import Array

#: weights whose entries times N lie this close to integers are read as counts of N agents
COUNT_ATOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class Sample:
    """One sample of a step: (s, w, ā), the fixed part c and, for TD (μ > 0), (s', w', ā')."""

    own: int
    weights: Array
    action: int
    target: float
    discount: float = 0.0
    next_own: int = 0
    next_weights: Array | None = None
    next_action: int = 0


class ReferenceNetwork:
    """The torch two-layer DeepSet with given (u [m], β0 [m, d]) and N agents per sample."""

    def __init__(self, u: Array, beta0: Array, *, n_local: int, n_actions: int, n_agents: int | None):
        torch.set_num_threads(1)
        self.n_local = n_local
        self.n_agents = n_agents
        self.net = TwoLayerDeepSet(OneHotEncoder(n_local, n_actions), u.size,
                                   generator=torch.Generator().manual_seed(0))
        with torch.no_grad():
            self.net.u.copy_(torch.as_tensor(u))
            self.net.beta0.copy_(torch.as_tensor(beta0.ravel()))
        self.shape = beta0.shape

    def _agents(self, weights: Array) -> torch.Tensor | None:
        if self.n_agents is None:
            return None
        counts = np.asarray(weights) * self.n_agents
        if not np.allclose(counts, np.rint(counts), atol=COUNT_ATOL, rtol=0.0):
            return None
        return torch.as_tensor(np.repeat(np.arange(self.n_local), np.rint(counts).astype(int)))[None, :]

    def value_and_grad(self, beta: torch.Tensor, own: int, weights: Array,
                       action: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(F_β(s, w, ā), ∇_β F_β(s, w, ā) [m d]) for one sample."""
        o, a = torch.tensor([own]), torch.tensor([action])
        agents = self._agents(weights)
        if agents is not None:
            return self.net(o, agents, a, beta=beta)[0], self.net.grad(o, agents, a, beta=beta)[0]
        w = torch.as_tensor(np.asarray(weights, dtype=float))[None, :]
        return (self.net.population(o, w, a, beta=beta)[0],
                self.net.population_grad(o, w, a, beta=beta)[0])

    def direction(self, beta: Array, sample: Sample) -> Array:
        """The semi-gradient (F_β(s,w,ā) - c - μ F_β(s',w',ā')) ∇F_β(s,w,ā), shape of β."""
        b = torch.as_tensor(np.asarray(beta, dtype=float).ravel())
        value, grad = self.value_and_grad(b, sample.own, sample.weights, sample.action)
        residual = value - sample.target
        if sample.discount > 0:
            if sample.next_weights is None:
                raise ValueError("ReferenceNetwork.direction: discount > 0 needs next_weights")
            following, _ = self.value_and_grad(b, sample.next_own, sample.next_weights, sample.next_action)
            residual = residual - sample.discount * following
        return (residual * grad).numpy().reshape(self.shape)

    def step(self, beta: Array, sample: Sample, *, eta: float, radius: float) -> Array:
        """β(t+1) = Π_{B(β0, R)}(β(t) - η · direction) (eq E.5-E.6)."""
        half = torch.as_tensor(np.asarray(beta, dtype=float).ravel()
                               - eta * self.direction(beta, sample).ravel())
        return self.net.project(half, radius).numpy().reshape(self.shape)
