"""Input encoding of MF-PPO's networks: (own state, other agent's state, action) -> x in R^d.

MF-PPO Sec 4 and App E feed the two-layer network with the triple ``(s, s', ā)`` and
Assumption 3 asks ``‖(s, s', ā)‖_2 <= 1``. The paper never says how indices become vectors;
:class:`OneHotEncoder` uses the concatenation of three one-hot vectors scaled by
``norm / sqrt(3)``, so every input has norm exactly ``norm`` (1 by default).
Reference: MF-PPO (Li et al., arXiv 2105.08268) Assumption 3.
"""

from __future__ import annotations

import math

import torch


def as_index_tensor(value: object, size: int, what: str) -> torch.Tensor:
    """Return ``value`` as an int64 tensor of indices in ``[0, size)`` or raise ``ValueError``.

    The message names the object, the first offending index and its value.
    """
    try:
        tensor = torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError) as error:
        raise ValueError(f"{what}: cannot be converted to an index tensor ({error})") from error
    if tensor.is_floating_point() or tensor.is_complex() or tensor.dtype == torch.bool:
        raise ValueError(f"{what}: indices must be integers, got dtype {tensor.dtype}")
    tensor = tensor.to(torch.int64)
    bad = (tensor < 0) | (tensor >= size)
    if bool(bad.any()):
        index = tuple(int(i) for i in torch.nonzero(bad)[0])
        raise ValueError(
            f"{what}: index {int(tensor[index])} at position {index} is outside [0, {size})"
        )
    return tensor


class OneHotEncoder:
    """Scaled one-hot encoding ``x(s, s', a) = norm * (e_s, e_s', e_a) / sqrt(3)`` in R^(2S + A).

    Parameters
    ----------
    n_states : int
        |S|, the number of local states.
    n_actions : int
        Number of (meta-)actions |Ā|.
    norm : float
        ‖x‖_2 of every encoded input; Assumption 3 holds when ``norm <= 1``.
    dtype : torch.dtype
    """

    def __init__(
        self, n_states: int, n_actions: int, *, norm: float = 1.0, dtype: torch.dtype = torch.float64
    ) -> None:
        if int(n_states) != n_states or n_states < 1:
            raise ValueError(f"OneHotEncoder.n_states: must be a positive int, got {n_states!r}")
        if int(n_actions) != n_actions or n_actions < 1:
            raise ValueError(f"OneHotEncoder.n_actions: must be a positive int, got {n_actions!r}")
        if not (math.isfinite(norm) and norm > 0):
            raise ValueError(f"OneHotEncoder.norm: must be finite and > 0, got {norm!r}")
        self.n_states = int(n_states)
        self.n_actions = int(n_actions)
        self.norm = float(norm)
        self.dtype = dtype
        s, a = self.n_states, self.n_actions
        table = torch.zeros(s, s, a, 2 * s + a, dtype=dtype)
        idx_s = torch.arange(s)
        idx_a = torch.arange(a)
        table[idx_s, :, :, idx_s] = 1.0
        table[:, idx_s, :, s + idx_s] = 1.0
        table[:, :, idx_a, 2 * s + idx_a] = 1.0
        #: every input, ``table[s, s', a]`` = x(s, s', a), shape [S, S, A, d]
        self.table = table * (self.norm / math.sqrt(3.0))

    @property
    def dim(self) -> int:
        """Input dimension d = 2|S| + |Ā|."""
        return 2 * self.n_states + self.n_actions

    def check(
        self, own: object, others: object, action: object
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Validate a batch: own [B], others [B, N] (N >= 1), action [B]; return int64 tensors."""
        own_t = as_index_tensor(own, self.n_states, "own state")
        others_t = as_index_tensor(others, self.n_states, "others' states")
        action_t = as_index_tensor(action, self.n_actions, "action")
        if own_t.ndim != 1:
            raise ValueError(f"own state: expected shape [B], got {tuple(own_t.shape)}")
        if others_t.ndim != 2 or others_t.shape[0] != own_t.shape[0] or others_t.shape[1] < 1:
            raise ValueError(
                f"others' states: expected shape [B={own_t.shape[0]}, N>=1], got {tuple(others_t.shape)}"
            )
        if action_t.shape != own_t.shape:
            raise ValueError(f"action: expected shape {tuple(own_t.shape)}, got {tuple(action_t.shape)}")
        return own_t, others_t, action_t

    def encode(self, own: object, others: object, action: object) -> torch.Tensor:
        """Encoded inputs x(s, s_i, a) for a batch, shape [B, N, d]."""
        own_t, others_t, action_t = self.check(own, others, action)
        return self.table[own_t[:, None], others_t, action_t[:, None]]

    def encode_all_others(self, own: object, action: object) -> torch.Tensor:
        """x(s, x, a) for every other-agent state x, shape [B, S, d] (used for populations)."""
        own_t = as_index_tensor(own, self.n_states, "own state")
        action_t = as_index_tensor(action, self.n_actions, "action")
        if own_t.ndim != 1 or action_t.shape != own_t.shape:
            raise ValueError(
                f"own state/action: expected equal shapes [B], got {tuple(own_t.shape)} and "
                f"{tuple(action_t.shape)}"
            )
        return self.table[own_t, :, action_t]


def check_distribution_batch(dist: object, n_states: int, *, dtype: torch.dtype) -> torch.Tensor:
    """Validate a batch of distributions over S, shape [B, S]; raise ``ValueError`` otherwise."""
    tensor = torch.as_tensor(dist, dtype=dtype)
    if tensor.ndim != 2 or tensor.shape[1] != n_states:
        raise ValueError(f"dist: expected shape [B, {n_states}], got {tuple(tensor.shape)}")
    if not bool(torch.isfinite(tensor).all()) or bool((tensor < 0).any()):
        bad = torch.nonzero(~torch.isfinite(tensor) | (tensor < 0))[0]
        raise ValueError(f"dist: entry {tuple(int(i) for i in bad)} is {float(tensor[tuple(bad)])!r}")
    sums = tensor.sum(dim=1)
    off = torch.nonzero((sums - 1.0).abs() > 1e-8)
    if off.numel():
        row = int(off[0, 0])
        raise ValueError(f"dist: row {row} sums to {float(sums[row])!r}, not 1")
    return tensor
