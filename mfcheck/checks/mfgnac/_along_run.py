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

Runs with sampled oracles (Algorithms 2-3) record, at every iterate, the oracle's errors against
the exact quantities of (π_t, μ_t) (:class:`OracleErrors`, App B.2's definitions, realised).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import (
    ExactOracle,
    Features,
    NACTrajectory,
    Oracle,
    OracleOutput,
    PolicyContext,
    SampledOracle,
    SGDConfig,
    TDConfig,
    actor_loss,
    advantage_from_critic,
    approximation_error,
    critic_error,
    exact_actor,
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


# ---------------------------------------------------------------- runs with sampled oracles


@dataclass(frozen=True, kw_only=True)
class OracleErrors:
    """The oracle's errors at every iterate t < T, against the exact quantities of (π_t, μ_t).

    MFG-NAC App B.2 (proof of Lemma 8), each realised (the draw the run used, not an expectation
    over the oracle's randomness), shape [T]:

    * ``critic``: ε_critic,t = max_{s,a} (q̂_t(s,a) - q^{π_t,λ}_{μ_t}(s,a))² (the definition holds
      "∀(s,a)": a sup, no weighting);
    * ``actor``: ε_actor,t = L̂_t(ŵ_t) - min_{w∈R^d} L̂_t(w), L̂_t weighted by d^{π_t}_{μ_t} × π_t,
      with Â_t = Q̂_t - Σ_a π_t Q̂_t from the critic (the min over R^d, so that w*_t is feasible in
      the proof's step min L̂_t <= L̂_t(w*_t));
    * ``approx``: ε_approx,t = min_w L_t(w), the exact advantage's compatible-approximation error;

    and, reported: ``critic_stationary`` = ‖q̂_t - q_t‖²_{ν×π} (Proposition 1's norm),
    ``advantage`` = E_{d^{π_t}_{μ_t}×π_t}[(Â_t - A_t)²] (what the proof's steps L̂ <-> L use in
    place of ε_critic), ``loss`` = L_t(ŵ_t) and ``target_norm`` = ‖argmin_w L_t(w)‖.
    """

    critic: Array
    actor: Array
    approx: Array
    critic_stationary: Array
    advantage: Array
    loss: Array
    target_norm: Array

    @property
    def total(self) -> Array:
        """ε_total,t = ε_approx,t + ε_actor,t + ε_critic,t."""
        return self.approx + self.actor + self.critic

    def by_name(self) -> dict[str, Array]:
        """The reported errors by name: critic, actor, approx, total, critic_stationary, advantage."""
        return {"critic": self.critic, "actor": self.actor, "approx": self.approx, "total": self.total,
                "critic_stationary": self.critic_stationary, "advantage": self.advantage}

    def stats(self) -> dict[str, dict[str, float]]:
        """Median, min and max over t of each of :meth:`by_name`."""
        return {k: {"median": float(np.median(v)), "min": float(v.min()), "max": float(v.max())}
                for k, v in self.by_name().items()}

    def replace(self, **changes: Array) -> OracleErrors:
        """A copy with some fields replaced (mutants under-report errors this way)."""
        return dataclasses.replace(self, **changes)


def oracle_errors(context: PolicyContext, features: Features, output: OracleOutput) -> dict[str, float]:
    """The errors of one oracle call (see :class:`OracleErrors`), exact given ``context``."""
    error = output.q_hat - context.shifted_q
    advantage_hat = advantage_from_critic(context, output.q_hat)
    best_hat = exact_actor(context, features, advantage_hat)
    target = exact_actor(context, features, context.advantage)
    weights = context.visitation[:, None] * context.policy
    return {
        "critic": float((error**2).max()),
        "actor": max(float(actor_loss(context, advantage_hat, output.w_hat))
                     - float(actor_loss(context, advantage_hat, best_hat)), 0.0),
        "approx": approximation_error(context, features),
        "critic_stationary": float(critic_error(context, output.q_hat)),
        "advantage": float(np.sum(weights * (advantage_hat - context.advantage) ** 2)),
        "loss": float(actor_loss(context, context.advantage, output.w_hat)),
        "target_norm": float(np.linalg.norm(target)),
    }


@dataclass(eq=False)
class RecordingOracle:
    """Wraps an oracle and records :func:`oracle_errors` of every call."""

    inner: Oracle
    records: list[dict[str, float]] = field(default_factory=list)

    @property
    def radius(self) -> float:
        return self.inner.radius

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator) -> OracleOutput:
        output = self.inner(context, features, rng)
        self.records.append(oracle_errors(context, features, output))
        return output

    def errors(self) -> OracleErrors:
        """The records as arrays [T]."""
        return OracleErrors(**{k: np.array([r[k] for r in self.records])
                               for k in (f.name for f in dataclasses.fields(OracleErrors))})


@dataclass(frozen=True, eq=False)
class SampledRun:
    """A run of Algorithm 1 with the oracle's errors at every iterate."""

    trajectory: NACTrajectory
    errors: OracleErrors
    features: Features


#: (game, *, features, n_iterations, policy_step, mean_field_step, oracle, rng) -> SampledRun.
SampledRunner = Callable[..., SampledRun]


def run_sampled_nac(
    game: MeanFieldGame,
    *,
    features: Features,
    n_iterations: int,
    policy_step: float,
    mean_field_step: float,
    oracle: Oracle,
    rng: np.random.Generator,
) -> SampledRun:
    """Algorithm 1 with ``oracle`` (e.g. TD + SGD), recording the oracle's errors at every t."""
    recorder = RecordingOracle(oracle)

    def step(state, gen):
        return nac_step(game, features, state, policy_step=policy_step,
                        mean_field_step=mean_field_step, oracle=recorder, rng=gen)

    trajectory = drive(step, initial_state(game, features), n_iterations, rng,
                       schedule=lambda t: (policy_step, mean_field_step))
    return SampledRun(trajectory=trajectory, errors=recorder.errors(), features=features)


@dataclass(frozen=True, kw_only=True)
class OracleSettings:
    """Settings of the TD (Algorithm 2) + SGD (Algorithm 3) oracle pair of the sampled runs."""

    n_steps: int = 128
    """K of both oracles."""
    batch_size: int = 16
    """Samples averaged per oracle step."""
    actor_radius: float = 2.0
    """R of Algorithm 3's ball (‖argmin L_t‖ <= 0.43 with one-hot features along the runs checked,
    so it does not bind there; it does with 2 random features, ‖argmin L_t‖ up to 5.8)."""


def td_radius(game: MeanFieldGame) -> float:
    """B = 2 sqrt(|S||A|) Q_max with Lemma 3's Q_max = (1 + γλ log|A|)/(1-γ) (r in [0, 1])."""
    q_max = (1 + game.gamma * game.lam * np.log(game.n_actions)) / (1 - game.gamma)
    return float(2 * np.sqrt(game.n_states * game.n_actions) * q_max)


def sampled_oracle(game: MeanFieldGame, settings: OracleSettings) -> SampledOracle:
    """Algorithm 2 (α_k of Proposition 1, ball B = :func:`td_radius`) then Algorithm 3 (step
    R/(ρ√K), ball R = ``settings.actor_radius``)."""
    return SampledOracle(
        td=TDConfig(n_steps=settings.n_steps, radius=td_radius(game), batch_size=settings.batch_size),
        sgd=SGDConfig(n_steps=settings.n_steps, radius=settings.actor_radius, batch_size=settings.batch_size),
    )
