"""Quantities along a run of MFG-NAC's Algorithm 1, computed from its iterates (θ_t, μ_t, ŵ_t).

* :func:`log_linear_policies`: π_t = π_{θ_t} ∝ exp(φᵀθ_t), recomputed from θ_t (not the policies a
  run records about itself);
* :func:`update_deviations`: how far the iterates are from Algorithm 1's update
  θ_{t+1} = (1 - η_t λ)θ_t + η_t ŵ_t, μ_{t+1} = (1 - β_t)μ_t + β_t Γ2(π_t, μ_t) (lines 4-5),
  θ_0 = 0, μ_0 = ρ, with the steps (η_t, β_t) the checker read from the algorithm's schedules;
* :func:`run_quantities`: σ^π_t, the KL after the policy step, D(π*_t, π_t), ‖μ_t - μ*‖_1 and the
  constants of Assumptions 1-2 as suprema along the run.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_softmax

from mfcheck.models import MeanFieldGame
from mfcheck.solvers.best_response import boltzmann_best_response
from mfcheck.solvers.mean_field import population_update
from mfcheck.solvers.visitation import discounted_visitation

Array = NDArray[np.float64]


def kl_rows(p: Array, q: Array) -> Array:
    """KL(p(·|s)‖q(·|s)) per state, [S]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0).sum(axis=-1)


def log_linear_policies(phi: Array, thetas: Array) -> Array:
    """π_θ(a|s) = exp(φ_{s,a}ᵀθ) / Σ_b exp(φ_{s,b}ᵀθ) for each θ of ``thetas`` [..., d] -> [..., S, A]."""
    return np.exp(log_softmax(np.einsum("sad,...d->...sa", phi, thetas), axis=-1))


@dataclass(frozen=True, kw_only=True)
class UpdateDeviations:
    """Per-step distance of the iterates from Algorithm 1's update (index t < T), and at t = 0.

    ``theta[t]`` = ‖θ_{t+1} - (1 - η_t λ)θ_t - η_t ŵ_t‖_∞ / max(1, ‖θ_{t+1}‖_∞);
    ``mean_field[t]`` = ‖μ_{t+1} - (1 - β_t)μ_t - β_t Γ2(π_t, μ_t)‖_1;
    ``initial`` = max(‖θ_0‖_∞, ‖μ_0 - ρ‖_1).
    """

    theta: Array
    mean_field: Array
    initial: float

    def summary(self) -> dict[str, float | int]:
        """Largest deviation of each update and where (JSON-able, for a record)."""
        return {"theta": float(self.theta.max(initial=0.0)), "theta_t": int(np.argmax(self.theta)) if self.theta.size else 0,
                "mean_field": float(self.mean_field.max(initial=0.0)),
                "mean_field_t": int(np.argmax(self.mean_field)) if self.mean_field.size else 0,
                "initial": self.initial}


def conformance_reasons(summary: Mapping[str, float | int], tol: float) -> list[str]:
    """Why iterates with deviations ``summary`` (:meth:`UpdateDeviations.summary`) do not follow
    Algorithm 1 at tolerance ``tol`` (empty when they do)."""
    reasons = [f"iterates do not follow Algorithm 1's {what} update: max deviation {summary[key]:.3g} at t = "
               f"{summary[key + '_t']}" for key, what in (("theta", "policy"), ("mean_field", "mean-field"))
               if summary[key] > tol]
    if summary["initial"] > tol:
        reasons.append(f"θ_0 != 0 or μ_0 != ρ (deviation {summary['initial']:.3g})")
    return reasons


def update_deviations(
    game: MeanFieldGame, policies: Array, thetas: Array, mean_fields: Array, w_hats: Array,
    policy_steps: Sequence[float], mean_field_steps: Sequence[float],
) -> UpdateDeviations:
    """Distances of (θ_t, μ_t) from Algorithm 1's update with steps (η_t, β_t) (module docstring).

    ``policies`` are π_{θ_t} (:func:`log_linear_policies`); Γ2(π_t, μ_t) = μ_t P_{π_t}(μ_t).
    """
    eta = np.asarray(policy_steps, dtype=float)[:, None]
    beta = np.asarray(mean_field_steps, dtype=float)[:, None]
    expected_theta = (1.0 - eta * game.lam) * thetas[:-1] + eta * w_hats
    scale = np.maximum(1.0, np.abs(thetas[1:]).max(axis=1))
    theta = np.abs(thetas[1:] - expected_theta).max(axis=1) / scale
    images = np.stack([population_update(game, p, mu) for p, mu in zip(policies[:-1], mean_fields[:-1])])
    expected_mu = (1.0 - beta) * mean_fields[:-1] + beta * images
    mean_field = np.abs(mean_fields[1:] - expected_mu).sum(axis=1)
    initial = max(float(np.abs(thetas[0]).max()), float(np.abs(mean_fields[0] - game.initial).sum()))
    return UpdateDeviations(theta=theta, mean_field=mean_field, initial=initial)


def approached_equilibrium(game: MeanFieldGame, final_mean_field: Array, candidates: Sequence[Array]) -> Array:
    """The equilibrium mean field μ* among ``candidates`` closest (L1) to the run's last μ_T."""
    if not candidates:
        raise ValueError(f"approached_equilibrium: no candidate equilibrium for {game.name}")
    return min(candidates, key=lambda m: float(np.abs(m - final_mean_field).sum()))


@dataclass(frozen=True, kw_only=True)
class RunQuantities:
    """Per-iterate quantities (index t = 0..T) and the run's constants (module docstring)."""

    sigma: Array            # σ^π_t = E_{d*_t} KL(π*_t‖π_t)
    kl_next: Array          # E_{d*_t} KL(π*_t‖π_{t+1}), t < T
    distance_star: Array    # D(π*_t, π_t) (weights d*)
    mu_error: Array         # ‖μ_t - μ*‖_1
    mu_step: Array          # ‖μ_{t+1} - μ_t‖_1, t < T
    constants: dict[str, float]


def run_quantities(game: MeanFieldGame, policies: Array, mean_fields: Array, w_hats: Array,
                   mu_star: Array) -> RunQuantities:
    """σ^π_t, the KL after the policy step, D(π*_t, π_t), ‖μ_t - μ*‖ and the constants, from the
    iterates π_t (= π_{θ_t}), μ_t, ŵ_t and the equilibrium μ* the run approaches."""
    pols, mus = policies, mean_fields
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
    radius = float(np.linalg.norm(w_hats, axis=1).max())
    n_actions, gamma, lam = game.n_actions, game.gamma, game.lam
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
