"""Mean-field MDPs on which Assumption 1 of MF-PPO holds by construction (Q^π in F^P_{β,m}).

The class ``F^P_{β,m}`` of Definition 4.1 holds ``F(s, d, ā) = E_{x~d} f⁰_β(s, x, ā)``: for each
(s, ā) a function *linear in d*. A generic Q^π is not (so Assumption 1 fails on generic
instances). The construction here goes the other way round: pick a function g(s, x, ā) on the
finite triples, set ``Q*(s, d, ā) = Σ_x d(x) g(s, x, ā)`` and define the reward by the Bellman
equation of the evaluated policy π, ``r = (Q* - γ P V*) / (1-γ)`` with ``V* = Σ_ā π Q*``
(shifted by a constant so that r >= 0; a constant added to g adds the same constant to Q*).
Then Q^π = Q* exactly, and for each network initialisation β(0) the minimum-norm
``Δ*`` with ``f⁰_{β(0)+Δ*} = g`` on every triple gives ``F⁰_{β*} = Q^π`` with
``β* = β(0) + Δ*``; Assumption 1 holds for that initialisation when ``‖Δ*‖ <= R``.
Reference: MF-PPO Definition 4.1, Assumption 1, eq (3.1), App E.1 (linearisation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    random_problem,
    stationary_distribution,
)


@dataclass(frozen=True, kw_only=True, eq=False)
class RealisableInstance:
    """A problem, the evaluated policy π [X, M], its Q^π [X, M] and the triple function g [S, S, M]."""

    problem: MeanFieldProblem
    policy: Array
    q_values: Array
    triple_values: Array

    @property
    def stationary(self) -> Array:
        """ν_π [X]."""
        return stationary_distribution(self.problem, self.policy)


def realisable_instance(rng: np.random.Generator, *, n_local: int = 2, n_population: int = 3,
                        n_actions: int = 3, gamma: float = 0.5, spread: float = 0.5,
                        policy_temperature: float = 1.0) -> RealisableInstance:
    """A random kernel (as :func:`random_problem`) with a reward making Q^π linear in d.

    ``g = 0.5 + spread * (U - 1/2)`` with U uniform on [0, 1] per triple; π is a random softmax
    policy with logits ~ N(0, 1) / ``policy_temperature``.
    """
    if not 0 < spread <= 1:
        raise ValueError(f"realisable_instance.spread: must lie in (0, 1], got {spread!r}")
    base = random_problem(rng, n_local=n_local, n_population=n_population, n_actions=n_actions,
                          gamma=gamma)
    g = 0.5 + spread * (rng.random((n_local, n_local, n_actions)) - 0.5)
    logits = rng.standard_normal((base.n_joint, n_actions)) / policy_temperature
    policy = np.exp(logits - logits.max(axis=1, keepdims=True))
    policy /= policy.sum(axis=1, keepdims=True)
    q = pooled(g, base)
    value = (policy * q).sum(axis=1)
    reward = (q - gamma * base.transition @ value) / (1 - gamma)
    shift = max(0.0, -float(reward.min()))
    problem = MeanFieldProblem(own=base.own, dist=base.dist, transition=base.transition,
                               reward=reward + shift, gamma=gamma)
    return RealisableInstance(problem=problem, policy=policy, q_values=q + shift,
                              triple_values=g + shift)


def pooled(triple_values: Array, problem: MeanFieldProblem) -> Array:
    """Σ_x d(x) g(s, x, ā) on every (joint state, ā), shape [X, M] (mean pooling, N = ∞)."""
    return np.einsum("xy,xya->xa", problem.dist, triple_values[problem.own])


def linearised_features(network: BatchedDeepSet) -> Array:
    """∇_β f⁰ at every triple (s, x, ā): ``u_j 1{β_j(0)^T z > 0} z / √m``, shape [R, S·S·M, m·d]."""
    z = network.table.reshape(-1, network.table.shape[-1])
    gate = np.einsum("td,rjd->rtj", z, network.beta0) > 0
    feats = gate[..., None] * network.u[:, None, :, None] * z[None, :, None, :]
    return feats.reshape(*feats.shape[:2], -1) / np.sqrt(network.width)


def realising_offsets(network: BatchedDeepSet, instance: RealisableInstance) -> Array:
    """Minimum-norm Δ* [R, m, d] with f⁰_{β(0)+Δ*} = g on every triple, per initialisation."""
    feats = linearised_features(network)
    n_local, _, n_actions = instance.triple_values.shape
    own = np.repeat(np.arange(n_local), n_local * n_actions)
    other = np.tile(np.repeat(np.arange(n_local), n_actions), n_local)
    action = np.tile(np.arange(n_actions), n_local * n_local)
    onehot = np.eye(n_local)[other]
    init = network.forward(network.beta0, own, onehot, action)
    residual = instance.triple_values.reshape(-1)[None, :] - init
    offsets = np.stack([np.linalg.lstsq(f, b, rcond=None)[0] for f, b in zip(feats, residual)])
    return offsets.reshape(network.beta0.shape)
