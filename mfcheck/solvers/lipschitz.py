"""Estimates of the Lipschitz constants d1, d2, d3 of Assumption 3 (MFG-NAC Lemmas 6-7).

Reconstruction of Assumption 3 (the main text is not available), metric of the appendix:

* D(π, π') = E_{s~d*} ‖π(·|s) - π'(·|s)‖_1 with d* = d^{π*}_{μ*}, the normalised discounted
  visitation from ρ of the equilibrium policy π* = Γ1^λ(μ*) at the equilibrium mean field μ*
  (the d* of Lemmas 5 and 7: d*_t = d^{π*_t}_{μ_t} and d* its value at equilibrium);
* d1: D(Γ1^λ(μ), Γ1^λ(μ')) <= d1 ‖μ - μ'‖_1;
* d2: ‖Γ2(π, μ) - Γ2(π', μ)‖_1 <= d2 D(π, π') for all μ;
* d3: ‖Γ2(π, μ) - Γ2(π, μ')‖_1 <= d3 ‖μ - μ'‖_1 for all π.

d2 has a closed form per μ: max_s μ(s) c_s(μ)/d*(s) with c_s(μ) = max_{a,a'} ‖P(s,a,μ) -
P(s,a',μ)‖_1 / 2 (the ratio is maximised by perturbing one state along e_a - e_a'), so d2 is the
max of that over the sampled μ. d1 and d3 are suprema estimated from below: the max over sampled
pairs and over finite-difference directional derivatives along the extreme directions e_i - e_j
of the tangent space (a convex ratio is maximised there). For d3 the policy is maximised by sign
ascent over deterministic policies (the difference is linear in π, its norm convex).

Every estimate is a *lower* bound of its supremum, so d̄ = 1 - d1 d2 - d3 computed from them is
an *upper* bound of the true d̄: d̄ <= 0 certifies that Lemma 7's hypothesis fails, d̄ > 0 does
not certify that it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import MeanFieldGame
from mfcheck.solvers.best_response import boltzmann_best_response
from mfcheck.solvers.mean_field import population_update
from mfcheck.solvers.visitation import discounted_visitation

Array = NDArray[np.float64]
FD_STEP = 1e-6


def policy_distance(weights: Array, pi: Array, pi_prime: Array) -> float:
    """D(π, π') = Σ_s d*(s) ‖π(·|s) - π'(·|s)‖_1."""
    return float(weights @ np.abs(pi - pi_prime).sum(axis=1))


def reference_visitation(game: MeanFieldGame, mean_field: Array) -> Array:
    """d* = d^{Γ1(μ*)}_{μ*}: visitation of the soft best response to ``mean_field`` (μ*)."""
    return discounted_visitation(game, boltzmann_best_response(game, mean_field), mean_field)


def tangent_directions(n: int, rng: np.random.Generator, max_pairs: int = 40) -> list[Array]:
    """Extreme directions e_i - e_j of the simplex's tangent space (all pairs, or the extreme
    pair (0, n-1) plus a random subset when there are more than ``max_pairs``)."""
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    if len(pairs) > max_pairs:
        keep = rng.choice(len(pairs), size=max_pairs - 2, replace=False)
        pairs = [(0, n - 1), (n - 1, 0), *(pairs[k] for k in keep)]
    out = []
    for i, j in pairs:
        v = np.zeros(n)
        v[i], v[j] = 1.0, -1.0
        out.append(v)
    return out


def _step_inside(mu: Array, v: Array, h: float) -> Array | None:
    """μ + h v if it stays in the simplex (shrinking h towards the boundary), else None."""
    neg = v < 0
    room = np.min(mu[neg] / -v[neg]) if neg.any() else np.inf
    step = min(h, 0.5 * room)
    return None if step <= 1e-12 else mu + step * v


def d2_at(game: MeanFieldGame, mu: Array, weights: Array) -> float:
    """max_s μ(s) c_s(μ)/d*(s): the exact sup over (π, π') of ‖Γ2(π,μ) - Γ2(π',μ)‖_1 / D(π,π')."""
    kernel = game.transition(mu)
    spread = np.abs(kernel[:, :, None, :] - kernel[:, None, :, :]).sum(axis=-1).max(axis=(1, 2)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mu * spread > 0, mu * spread / weights, 0.0)
    return float(ratio.max())


def _best_policy_norm(w: Array, rng: np.random.Generator, n_starts: int = 4) -> float:
    """max over deterministic π of ‖Σ_s w[s, π(s)]‖_1 by sign ascent (w [S, A, S'])."""
    best = 0.0
    for start in range(n_starts):
        sign = np.sign(rng.normal(size=w.shape[-1])) if start else np.sign(w.sum(axis=(0, 1)) + 1e-300)
        for _ in range(50):
            choice = (w @ sign).argmax(axis=1)
            total = w[np.arange(w.shape[0]), choice].sum(axis=0)
            new_sign = np.where(total >= 0, 1.0, -1.0)
            if np.array_equal(new_sign, sign):
                break
            sign = new_sign
        best = max(best, float(np.abs(total).sum()))
    return best


def _weighted_kernels(game: MeanFieldGame, mu: Array) -> Array:
    """w[s, a, s'] = μ(s) P(s'|s, a, μ): Γ2(π, μ) = Σ_s Σ_a π(a|s) w[s, a]."""
    return mu[:, None, None] * game.transition(mu)


def d3_ratio(game: MeanFieldGame, mu: Array, mu_prime: Array, rng: np.random.Generator) -> float:
    """max_π ‖Γ2(π,μ) - Γ2(π,μ')‖_1 / ‖μ - μ'‖_1 (sign ascent over deterministic π)."""
    norm = float(np.abs(mu - mu_prime).sum())
    w = _weighted_kernels(game, mu) - _weighted_kernels(game, mu_prime)
    return _best_policy_norm(w, rng) / norm


def d1_ratio(game: MeanFieldGame, mu: Array, mu_prime: Array, weights: Array) -> float:
    """D(Γ1(μ), Γ1(μ')) / ‖μ - μ'‖_1."""
    pi, pi_prime = boltzmann_best_response(game, mu), boltzmann_best_response(game, mu_prime)
    return policy_distance(weights, pi, pi_prime) / float(np.abs(mu - mu_prime).sum())


@dataclass(frozen=True, kw_only=True)
class LipschitzEstimate:
    """d1, d2, d3 (lower estimates of the suprema) with how many points each used."""

    d1: float
    d2: float
    d3: float
    n_pairs: int
    n_local: int

    @property
    def bound(self) -> float:
        """d1 d2 + d3 (Lemma 6)."""
        return self.d1 * self.d2 + self.d3

    @property
    def d_bar(self) -> float:
        """d̄ = 1 - d1 d2 - d3 (Lemma 7); an upper bound of the true d̄ (see the module)."""
        return 1.0 - self.bound


def random_pair(n_states: int, rng: np.random.Generator, *, close: bool, weight: float) -> tuple[Array, Array]:
    """(μ, μ') ~ Dirichlet(1/2)², or μ' = ``weight`` μ + (1 - ``weight``) μ' when ``close``."""
    mu = rng.dirichlet(np.full(n_states, 0.5))
    other = rng.dirichlet(np.full(n_states, 0.5))
    return mu, (weight * mu + (1 - weight) * other) if close else other


def estimate_constants(
    game: MeanFieldGame,
    weights: Array,
    rng: np.random.Generator,
    *,
    n_pairs: int,
    n_local: int,
    extra_points: Sequence[Array] = (),
) -> LipschitzEstimate:
    """Estimate d1, d2, d3 from ``n_pairs`` random pairs (Dirichlet(1/2), half of them close)
    and finite-difference derivatives at ``n_local`` points (plus ``extra_points``)."""
    n = game.n_states
    d1 = d2 = d3 = 0.0
    points = [*extra_points, *rng.dirichlet(np.full(n, 0.5), size=n_local)]
    for mu in [*points, *np.eye(n)]:
        d2 = max(d2, d2_at(game, mu, weights))
    for k in range(n_pairs):
        mu, other = random_pair(n, rng, close=bool(k % 2), weight=0.9)
        if np.abs(mu - other).sum() < 1e-9:
            continue
        d1 = max(d1, d1_ratio(game, mu, other, weights))
        d3 = max(d3, d3_ratio(game, mu, other, rng))
        d2 = max(d2, d2_at(game, mu, weights))
    for mu in points:
        base_policy = boltzmann_best_response(game, mu)
        for v in tangent_directions(n, rng):
            shifted = _step_inside(mu, v, FD_STEP)
            if shifted is None:
                continue
            norm = float(np.abs(shifted - mu).sum())
            d1 = max(d1, policy_distance(weights, boltzmann_best_response(game, shifted), base_policy) / norm)
            d3 = max(d3, d3_ratio(game, shifted, mu, rng))
    return LipschitzEstimate(d1=d1, d2=d2, d3=d3, n_pairs=n_pairs, n_local=len(points))


def composite_ratio(game: MeanFieldGame, mu: Array, mu_prime: Array) -> float:
    """‖Λ(μ) - Λ(μ')‖_1 / ‖μ - μ'‖_1 with Λ(μ) = Γ2(Γ1^λ(μ), μ)."""
    image = population_update(game, boltzmann_best_response(game, mu), mu)
    image_prime = population_update(game, boltzmann_best_response(game, mu_prime), mu_prime)
    return float(np.abs(image - image_prime).sum() / np.abs(mu - mu_prime).sum())
