"""The oracle's errors at an iterate of MFG-NAC's Algorithm 1, computed exactly from (θ_t, μ_t, q̂_t, ŵ_t).

MFG-NAC App B.2 (proof of Lemma 8). At iterate t, with π_t = π_{θ_t} ∝ exp(φᵀθ_t) and the exact
soft values of π_t in the MDP induced by μ_t (Q = r + γPV, V the entropy-regularised value),
q_t = Q - λ log π_t, A_t = Q - Σ_a π_t Q, d_t = d^{π_t}_{μ_t} and the compatible features
ψ_{s,a} = ∇_θ log π_t(a|s) = φ_{s,a} - Σ_b π_t(b|s) φ_{s,b}:

* ε_critic,t = max_{s,a} (q̂_t(s,a) - q_t(s,a))²  (the definition holds "∀(s,a)": a sup);
* ε_actor,t  = L̂_t(ŵ_t) - min_{w∈R^d} L̂_t(w), L̂_t(w) = E_{d_t×π_t}[(wᵀψ - Â_t)²] with
  Â_t = Q̂_t - Σ_a π_t Q̂_t, Q̂_t = q̂_t + λ log π_t (the min over R^d, so that w*_t is feasible
  in the proof's step min L̂_t <= L̂_t(w*_t));
* ε_approx,t = min_w L_t(w), L_t the same loss with the exact A_t;

and, reported: ``advantage`` = E_{d_t×π_t}[(Â_t - A_t)²] (what the proof's steps L̂ <-> L use in
place of ε_critic), ``loss`` = L_t(ŵ_t) and ``target_norm`` = ‖argmin_w L_t(w)‖ (minimum norm).

Each error is *realised*: the draw the run used, not an expectation over the oracle's
randomness. The minimisations are weighted least squares (``numpy.linalg.lstsq``), independent
of the algorithm's own regression (:mod:`mfcheck.algorithms.nac.compatible`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_softmax

from mfcheck.models import MeanFieldGame
from mfcheck.solvers.dynamic_programming import evaluate_policy
from mfcheck.solvers.visitation import discounted_visitation

Array = NDArray[np.float64]
NAMES: tuple[str, ...] = ("critic", "actor", "approx", "advantage", "loss", "target_norm")


def _least_squares(score: Array, weights: Array, target: Array) -> tuple[Array, float]:
    """(argmin_w, min_w) of Σ weights (wᵀ score - target)², the minimum-norm minimiser."""
    root = np.sqrt(weights).ravel()
    design = score.reshape(-1, score.shape[-1]) * root[:, None]
    w = np.linalg.lstsq(design, target.ravel() * root, rcond=None)[0]
    return w, _loss(score, weights, target, w)


def _loss(score: Array, weights: Array, target: Array, w: Array) -> float:
    return float(np.sum(weights * (score @ w - target) ** 2))


def _centred(values: Array, policy: Array) -> Array:
    return values - (policy * values).sum(axis=-1, keepdims=True)


def iterate_errors(game: MeanFieldGame, phi: Array, theta: Array, mean_field: Array,
                   q_hat: Array, w_hat: Array) -> dict[str, float]:
    """The errors of one oracle call at iterate (θ_t, μ_t) (see the module docstring)."""
    log_pi = log_softmax(phi @ theta, axis=-1)
    policy = np.exp(log_pi)
    lam = game.lam
    _, q_values = evaluate_policy(game.transition(mean_field), game.reward(mean_field), game.gamma, policy, lam)
    weights = discounted_visitation(game, policy, mean_field)[:, None] * policy
    score = phi - np.einsum("sb,sbd->sd", policy, phi)[:, None, :]
    advantage = _centred(q_values, policy)
    advantage_hat = _centred(q_hat + lam * log_pi, policy)
    target, approx = _least_squares(score, weights, advantage)
    _, best_hat = _least_squares(score, weights, advantage_hat)
    return {
        "critic": float(((q_hat - (q_values - lam * log_pi)) ** 2).max()),
        "actor": max(_loss(score, weights, advantage_hat, w_hat) - best_hat, 0.0),
        "approx": approx,
        "advantage": float(np.sum(weights * (advantage_hat - advantage) ** 2)),
        "loss": _loss(score, weights, advantage, w_hat),
        "target_norm": float(np.linalg.norm(target)),
    }


@dataclass(frozen=True, kw_only=True)
class OracleErrors:
    """:func:`iterate_errors` at every iterate t < T, each of shape [T]."""

    critic: Array
    actor: Array
    approx: Array
    advantage: Array
    loss: Array
    target_norm: Array

    @property
    def total(self) -> Array:
        """ε_total,t = ε_approx,t + ε_actor,t + ε_critic,t."""
        return self.approx + self.actor + self.critic

    def stats(self) -> dict[str, dict[str, float]]:
        """Median, min and max over t of critic, actor, approx, total and advantage."""
        named = {"critic": self.critic, "actor": self.actor, "approx": self.approx, "total": self.total,
                 "advantage": self.advantage}
        return {k: {"median": float(np.median(v)), "min": float(v.min()), "max": float(v.max())}
                for k, v in named.items()}


def run_errors(game: MeanFieldGame, phi: Array, thetas: Iterable[Array], mean_fields: Iterable[Array],
               q_hats: Iterable[Array], w_hats: Iterable[Array]) -> OracleErrors:
    """:func:`iterate_errors` along a run (θ_t, μ_t, q̂_t, ŵ_t), t < T (zip stops at the shortest)."""
    rows = [iterate_errors(game, phi, th, mu, q, w) for th, mu, q, w in zip(thetas, mean_fields, q_hats, w_hats)]
    return OracleErrors(**{k: np.array([r[k] for r in rows]) for k in NAMES})
