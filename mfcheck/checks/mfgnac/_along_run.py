"""Quantities along a run of Algorithm 1 for Lemmas 5, 7 and 8, and the instance's constants.

Reconstruction of Assumptions 1-2 (the main text is not available) from how the proofs use them,
with d*_t = d^{π*_t}_{μ_t} (π*_t = Γ1^λ(μ_t)) and d* = d^{π*}_{μ*}:

* C1 >= sup_t max_s d*_{t+1}(s)/d*(s)                       (Lemma 5, eq (6));
* C2 >= sup_t (E_{s~d*_t}[(d*(s)/d*_t(s))²])^{1/2}          (Lemma 7, eq (8); Thm 1);
* C3 >= sup_t max_s d*_t(s)/d^{π_t}_{μ_t}(s)                (Lemma 8, eq (11));
* d0 >= sup_t max(Σ_s |d*_{t+1}(s) - d*_t(s)|, D(π*_t, π*_{t+1})) / ‖μ_{t+1} - μ_t‖_1
  (Assumption 1 as used in eq (5) and in the last step of eq (6));
* κ = 2 log|A|/(1-γ) + (1 + 2R(1-γ))/(λ(1-γ)), R = max_t ‖ŵ_t‖_2 (the smallest R for which
  Lemma 2's hypothesis ‖ŵ_t‖ <= R holds on the run), p_min = min_t min_{s,a} π_t(a|s) measured,
  next to Lemma 2's bound exp(-2R/λ)/|A|.

Each constant is the supremum *along the run* (the tightest values under which the proofs'
steps apply to that run), so a violated inequality points at a step of the proof, not at a loose
constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import (
    ExactOracle,
    Features,
    NACTrajectory,
    initial_state,
    nac_step,
    one_hot_features,
)
from mfcheck.algorithms.nac.single_loop import drive
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import boltzmann_best_response, find_equilibria
from mfcheck.solvers.visitation import discounted_visitation

Array = NDArray[np.float64]


def kl_rows(p: Array, q: Array) -> Array:
    """KL(p(·|s)‖q(·|s)) per state, [S]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0).sum(axis=-1)


def run_exact_nac(
    game: MeanFieldGame,
    *,
    n_iterations: int,
    policy_step: float,
    mean_field_step: float,
    features: Features | None = None,
    radius: float = np.inf,
) -> NACTrajectory:
    """Algorithm 1 with exact oracles (nac-core's :func:`nac_step`), one-hot features by default.

    ``mean_field_step`` is passed through unchecked (a negative value is the wrong-sign mutant;
    the step itself clips and renormalises μ); the trajectory records it as β_t.
    """
    features = one_hot_features(game.n_states, game.n_actions) if features is None else features
    oracle = ExactOracle(radius=radius)

    def step(state, gen):
        return nac_step(game, features, state, policy_step=policy_step,
                        mean_field_step=mean_field_step, oracle=oracle, rng=gen)

    return drive(step, initial_state(game, features), n_iterations, np.random.default_rng(0),
                 schedule=lambda t: (policy_step, mean_field_step))


def approached_equilibrium(
    game: MeanFieldGame, final_mean_field: Array, candidates: list[Array] | None = None
) -> Array:
    """The equilibrium mean field μ* closest (L1) to the run's last μ_T (among ``candidates``,
    default every equilibrium :func:`find_equilibria` reaches)."""
    if candidates is None:
        candidates = [e.mean_field for e in find_equilibria(game)]
    return min(candidates, key=lambda m: float(np.abs(m - final_mean_field).sum()))


@dataclass(frozen=True, kw_only=True)
class RunQuantities:
    """Per-iterate quantities (index t = 0..T) and the run's constants."""

    sigma: Array            # σ^π_t = E_{d*_t} KL(π*_t‖π_t)
    kl_next: Array          # E_{d*_t} KL(π*_t‖π_{t+1}), t < T
    distance_star: Array    # D(π*_t, π_t) (weights d*)
    mu_error: Array         # ‖μ_t - μ*‖_1
    mu_step: Array          # ‖μ_{t+1} - μ_t‖_1, t < T
    constants: dict[str, float]


def run_quantities(game: MeanFieldGame, trajectory: NACTrajectory, mu_star: Array) -> RunQuantities:
    """σ^π_t, the KL after the policy step, D(π*_t, π_t), ‖μ_t - μ*‖ and the constants."""
    pols, mus = trajectory.policies, trajectory.mean_fields
    n = pols.shape[0]
    pi_star_eq = boltzmann_best_response(game, mu_star)
    d_ref = discounted_visitation(game, pi_star_eq, mu_star)
    best = [boltzmann_best_response(game, mu) for mu in mus]
    d_best = np.stack([discounted_visitation(game, b, mu) for b, mu in zip(best, mus)])
    d_own = np.stack([discounted_visitation(game, p, mu) for p, mu in zip(pols, mus)])
    sigma = np.clip([d_best[t] @ kl_rows(best[t], pols[t]) for t in range(n)], 0.0, None)
    kl_next = np.clip([d_best[t] @ kl_rows(best[t], pols[t + 1]) for t in range(n - 1)], 0.0, None)
    distance = np.array([d_ref @ np.abs(best[t] - pols[t]).sum(axis=1) for t in range(n)])
    mu_error = np.abs(mus - mu_star).sum(axis=1)
    mu_step = np.abs(np.diff(mus, axis=0)).sum(axis=1)
    moving = mu_step > 1e-14
    d0_visit = np.abs(np.diff(d_best, axis=0)).sum(axis=1)
    d0_policy = np.array([d_ref @ np.abs(best[t + 1] - best[t]).sum(axis=1) for t in range(n - 1)])
    d0 = float(np.max(np.maximum(d0_visit, d0_policy)[moving] / mu_step[moving])) if moving.any() else 0.0
    radius = float(np.linalg.norm(trajectory.w_hats, axis=1).max())
    n_actions = game.n_actions
    gamma, lam = game.gamma, game.lam
    constants = {
        "C1": float((d_best[1:] / d_ref).max()),
        "C2": float(np.sqrt(max(d_best[t] @ (d_ref / d_best[t]) ** 2 for t in range(n)))),
        "C3": float((d_best / d_own).max()),
        "d0": d0,
        "R": radius,
        "kappa": 2 * np.log(n_actions) / (1 - gamma) + (1 + 2 * radius * (1 - gamma)) / (lam * (1 - gamma)),
        "p_min": float(pols.min()),
        "p_min_lemma2": float(np.exp(-2 * radius / lam) / n_actions),
    }
    return RunQuantities(sigma=sigma, kl_next=kl_next, distance_star=distance, mu_error=mu_error,
                         mu_step=mu_step, constants=constants)
