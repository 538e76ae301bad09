"""Independent reference for one step of Alg 2/3, built on ``networks_torch.TwoLayerDeepSet``.

Adapter: the batched numpy network's (u, β0) are copied into the torch module; agent weights
(counts / N) are expanded back into N explicit agent states, so the torch forward/grad pool over
agents exactly as the paper writes F(s, s_1..s_N, ā).
"""

from __future__ import annotations

import numpy as np
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet


def reference_step(u: np.ndarray, beta0: np.ndarray, beta: np.ndarray, *, n_local: int,
                   n_actions: int, n_agents: int, own: int, weights: np.ndarray, action: int,
                   target: float, discount: float, next_own: int = 0,
                   next_weights: np.ndarray | None = None, next_action: int = 0,
                   eta: float, radius: float) -> np.ndarray:
    """β(t+1) = Π_{B(β0,R)}(β - η (F(s,s,ā) - c - μ F(s',s',ā')) ∇F(s,s,ā)) for one run (flat m d)."""
    torch.set_num_threads(1)
    encoder = OneHotEncoder(n_local, n_actions)
    net = TwoLayerDeepSet(encoder, u.size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.u.copy_(torch.as_tensor(u))
        net.beta0.copy_(torch.as_tensor(beta0.ravel()))
    b = torch.as_tensor(beta.ravel())

    def agents(w: np.ndarray) -> torch.Tensor:
        counts = np.rint(w * n_agents).astype(int)
        return torch.as_tensor(np.repeat(np.arange(n_local), counts))[None, :]

    o, a = torch.tensor([own]), torch.tensor([action])
    value = net(o, agents(weights), a, beta=b)
    grad = net.grad(o, agents(weights), a, beta=b)[0]
    residual = value - target
    if discount > 0:
        residual = residual - discount * net(torch.tensor([next_own]), agents(next_weights),
                                             torch.tensor([next_action]), beta=b)
    new = net.project(b - eta * residual[0] * grad, radius)
    return new.numpy().reshape(beta.shape)
