"""Oracles of Algorithm 1: policy evaluation (Algorithm 2, TD(0)) and gradient estimation
(Algorithm 3, SGD), with their exact twins (ε = 0).

MFG-NAC App C. Given the exact :class:`~mfcheck.algorithms.nac.context.PolicyContext` of
(π_t, μ_t):

* critic: q̂ ≈ q^{π,λ}_μ = Q - λ log π. :func:`exact_critic` returns q itself;
  :func:`projected_td` runs Algorithm 2: ψ_{k+1} = Proj_B(ψ_k + α_k δ_k φ_{s_k,a_k}) with
  δ_k = r - λ log π(a_k|s_k) + γ ψ_kᵀφ_{s',a'} - ψ_kᵀφ_{s,a}, α_k = 1/(ω (k+1) (1-γ)),
  ω = λ_min(Σ ν(s)π(a|s)φφᵀ), output the average of ψ_0..ψ_{K-1}. Samples are i.i.d.:
  s ~ ν^π_μ (the stationary distribution of P_π(μ)), a ~ π, s' ~ P(·|s,a,μ), a' ~ π
  (the i.i.d. reading of "execute π"; Proposition 1's mixing time is then 1).
* actor: ŵ ≈ argmin_{‖w‖<=R} L̂(w), L̂(w) = E_{d^π_μ × π}[(wᵀ∇log π - Â)²] with
  Â = Q̂ - Σ_a π Q̂ and Q̂ = q̂ + λ log π. :func:`exact_actor` solves it exactly;
  :func:`projected_sgd` runs Algorithm 3 with step R/(ρ√K) (ρ an almost-sure bound on the
  stochastic gradient) and returns the average of w̄_0..w̄_{K-1}.

Every sampled routine takes an explicit ``numpy.random.Generator``; ``n_replicates``
independent runs are vectorised (one numpy operation per step for all of them), and all
samples are drawn in one batch before the loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.compatible import compatible_loss, fit_compatible, project_ball
from mfcheck.algorithms.nac.context import PolicyContext
from mfcheck.algorithms.nac.log_linear import Features

Array = NDArray[np.float64]


def sample_categorical(probs: Array, rng: np.random.Generator) -> NDArray[np.int64]:
    """One draw per row of ``probs`` [..., n] (inverse CDF, vectorised)."""
    cdf = np.cumsum(probs, axis=-1)
    u = rng.random((*probs.shape[:-1], 1)) * cdf[..., -1:]
    return np.minimum((cdf <= u).sum(axis=-1), probs.shape[-1] - 1)


# ---------------------------------------------------------------- critic (Algorithm 2)


def exact_critic(context: PolicyContext) -> Array:
    """The exact shifted Q-function q^{π,λ}_μ = Q - λ log π [S, A] (ε_critic = 0)."""
    return context.shifted_q


def feature_covariance(features: Features, context: PolicyContext) -> Array:
    """Σ_{s,a} ν(s) π(a|s) φ_{s,a} φ_{s,a}ᵀ [d, d] under the stationary ν (Proposition 1)."""
    weights = context.stationary[:, None] * context.policy
    return np.einsum("sa,sai,saj->ij", weights, features.phi, features.phi)


@dataclass(frozen=True, kw_only=True)
class TDConfig:
    """Algorithm 2's settings.

    Attributes
    ----------
    n_steps : int
        K, the number of TD iterations.
    radius : float
        B, the radius of the projection ball for ψ.
    batch_size : int
        Samples averaged per step (1 is Algorithm 2 as printed).
    constant_step : float or None
        ``None``: α_k = 1/(ω (k+1) (1-γ)) (Proposition 1). A float: α_k = constant_step for all
        k (a mis-scheduled step used as a mutant).
    average : bool
        Output the averaged iterate (Algorithm 2) or the last one.
    """

    n_steps: int
    radius: float = 1e3
    batch_size: int = 1
    constant_step: float | None = None
    average: bool = True

    def __post_init__(self) -> None:
        if int(self.n_steps) != self.n_steps or self.n_steps < 1:
            raise ValueError(f"TDConfig.n_steps: must be a positive int, got {self.n_steps!r}")
        if not self.radius > 0:
            raise ValueError(f"TDConfig.radius: must be > 0, got {self.radius!r}")
        if int(self.batch_size) != self.batch_size or self.batch_size < 1:
            raise ValueError(f"TDConfig.batch_size: must be a positive int, got {self.batch_size!r}")
        if self.constant_step is not None and not self.constant_step > 0:
            raise ValueError(f"TDConfig.constant_step: must be > 0, got {self.constant_step!r}")


def projected_td(
    context: PolicyContext,
    features: Features,
    config: TDConfig,
    rng: np.random.Generator,
    *,
    n_replicates: int = 1,
) -> Array:
    """Algorithm 2: ψ̂ [n_replicates, d] (average of ψ_0..ψ_{K-1}, or the last iterate).

    q̂(s, a) = φ_{s,a}ᵀψ̂ (see :func:`critic_values`).
    """
    n_states, n_actions, dim = features.phi.shape
    phi = features.phi.reshape(n_states * n_actions, dim)
    k_steps, batch = config.n_steps, config.batch_size
    shape = (k_steps, n_replicates, batch)
    nu = context.stationary
    states = sample_categorical(np.broadcast_to(nu, (*shape, n_states)), rng)
    actions = sample_categorical(context.policy[states], rng)
    next_states = sample_categorical(context.transition[states, actions], rng)
    next_actions = sample_categorical(context.policy[next_states], rng)
    index = states * n_actions + actions
    next_index = next_states * n_actions + next_actions
    soft_reward = (context.reward - context.lam * context.log_policy).ravel()[index]
    if config.constant_step is None:
        omega = float(np.linalg.eigvalsh(feature_covariance(features, context))[0])
        if omega <= 0:
            raise ValueError(
                "projected_td: the feature covariance is singular (ω = 0); α_k is undefined"
            )
        steps = 1.0 / (omega * (np.arange(k_steps) + 1.0) * (1.0 - context.gamma))
    else:
        steps = np.full(k_steps, float(config.constant_step))
    psi = np.zeros((n_replicates, dim))
    total = np.zeros_like(psi)
    gamma = context.gamma
    for k in range(k_steps):
        total += psi
        f_now = phi[index[k]]  # [R, B, d]
        f_next = phi[next_index[k]]
        delta = (
            soft_reward[k]
            + gamma * np.einsum("rbd,rd->rb", f_next, psi)
            - np.einsum("rbd,rd->rb", f_now, psi)
        )
        psi = psi + steps[k] * np.einsum("rb,rbd->rd", delta, f_now) / batch
        psi = project_ball(psi, config.radius)
    return total / k_steps if config.average else psi


def critic_values(features: Features, psi: Array) -> Array:
    """q̂(s, a) = φ_{s,a}ᵀψ, shape [..., S, A] for ψ [..., d]."""
    return np.einsum("sad,...d->...sa", features.phi, psi)


def critic_error(context: PolicyContext, q_hat: Array, *, weighting: str = "stationary") -> Array:
    """‖q̂ - q^{π,λ}_μ‖² in L²(w × π), w the stationary ν (Proposition 1) or the visitation d."""
    dist = context.stationary if weighting == "stationary" else context.visitation
    weights = dist[:, None] * context.policy
    return np.einsum("sa,...sa->...", weights, (q_hat - context.shifted_q) ** 2)


# ---------------------------------------------------------------- actor (Algorithm 3)


def advantage_from_critic(context: PolicyContext, q_hat: Array) -> Array:
    """Â = Q̂ - Σ_a π Q̂ with Q̂ = q̂ + λ log π (App B.2), shape like ``q_hat``."""
    big_q = q_hat + context.lam * context.log_policy
    return big_q - (context.policy * big_q).sum(axis=-1, keepdims=True)


def actor_loss(context: PolicyContext, advantage: Array, w: Array) -> float | Array:
    """L(w) = E_{d^π_μ × π}[(wᵀ∇log π - advantage)²] (App B.2)."""
    weights = context.visitation[:, None] * context.policy
    return compatible_loss(context.score, weights, advantage, w)


def exact_actor(
    context: PolicyContext, features: Features, advantage: Array, *, radius: float = np.inf
) -> Array:
    """argmin_{‖w‖<=R} L(w) exactly (ε_actor = 0), minimum norm among minimisers."""
    weights = context.visitation[:, None] * context.policy
    score = None if features.kind == "one_hot" else context.score
    return fit_compatible(features, score, weights, advantage, radius=radius, policy=context.policy)


def approximation_error(context: PolicyContext, features: Features) -> float:
    """ε_approx at this iterate: min_w L_t(w) with the exact advantage (App B.2)."""
    advantage = context.advantage
    w = exact_actor(context, features, advantage)
    return float(actor_loss(context, advantage, w))


def gradient_bound(context: PolicyContext, advantage: Array, radius: float) -> float:
    """ρ: sup ‖ḡ‖ = sup 2(R‖∇log π‖ + |Â|)‖∇log π‖ over the support of d^π × π (Prop 2)."""
    norms = np.linalg.norm(context.score, axis=-1)
    support = (context.visitation[:, None] * context.policy) > 0
    bound = 2.0 * (radius * norms + np.abs(advantage)) * norms
    return float(max(bound[support].max(), 1e-12))


@dataclass(frozen=True, kw_only=True)
class SGDConfig:
    """Algorithm 3's settings.

    Attributes
    ----------
    n_steps : int
        K.
    radius : float
        R, the radius of the projection ball (also the ‖ŵ‖ bound of Lemma 2).
    batch_size : int
        Samples averaged per step (1 is Algorithm 3 as printed).
    step : float or None
        ``None``: ᾱ = R/(ρ√K) (Proposition 2). A float: that constant step whatever K is.
    average : bool
        Output the averaged iterate (Algorithm 3) or the last one.
    """

    n_steps: int
    radius: float
    batch_size: int = 1
    step: float | None = None
    average: bool = True

    def __post_init__(self) -> None:
        if int(self.n_steps) != self.n_steps or self.n_steps < 1:
            raise ValueError(f"SGDConfig.n_steps: must be a positive int, got {self.n_steps!r}")
        if not self.radius > 0:
            raise ValueError(f"SGDConfig.radius: must be > 0, got {self.radius!r}")
        if int(self.batch_size) != self.batch_size or self.batch_size < 1:
            raise ValueError(f"SGDConfig.batch_size: must be a positive int, got {self.batch_size!r}")
        if self.step is not None and not self.step > 0:
            raise ValueError(f"SGDConfig.step: must be > 0, got {self.step!r}")


def projected_sgd(
    context: PolicyContext,
    advantage: Array,
    config: SGDConfig,
    rng: np.random.Generator,
    *,
    n_replicates: int = 1,
) -> Array:
    """Algorithm 3: ŵ [n_replicates, d], s ~ d^π_μ, a ~ π, step R/(ρ√K), projected on ‖w‖<=R."""
    n_states, n_actions, dim = context.score.shape
    k_steps, batch = config.n_steps, config.batch_size
    shape = (k_steps, n_replicates, batch)
    states = sample_categorical(np.broadcast_to(context.visitation, (*shape, n_states)), rng)
    actions = sample_categorical(context.policy[states], rng)
    scores = context.score.reshape(n_states * n_actions, dim)
    targets = np.asarray(advantage, dtype=float).reshape(-1)
    index = states * n_actions + actions
    if config.step is None:
        step = config.radius / (gradient_bound(context, advantage, config.radius) * np.sqrt(k_steps))
    else:
        step = float(config.step)
    w = np.zeros((n_replicates, dim))
    total = np.zeros_like(w)
    for k in range(k_steps):
        total += w
        g = scores[index[k]]  # [R, B, d]
        residual = np.einsum("rbd,rd->rb", g, w) - targets[index[k]]
        w = project_ball(w - step * 2.0 * np.einsum("rb,rbd->rd", residual, g) / batch, config.radius)
    return total / k_steps if config.average else w


# ---------------------------------------------------------------- oracle pairs for Algorithm 1


@dataclass(frozen=True)
class OracleOutput:
    """What an oracle returns to Algorithm 1: ŵ [d] and the critic's q̂ [S, A]."""

    w_hat: Array
    q_hat: Array


class Oracle(Protocol):
    """An oracle pair: (context, features, rng) -> OracleOutput, with ‖ŵ‖ <= radius."""

    radius: float

    def __call__(
        self, context: PolicyContext, features: Features, rng: np.random.Generator
    ) -> OracleOutput: ...


@dataclass(frozen=True)
class ExactOracle:
    """ε_critic = ε_actor = 0: q̂ = q^{π,λ}_μ and ŵ = argmin_{‖w‖<=R} L_t(w) exactly."""

    radius: float = np.inf

    def __call__(
        self, context: PolicyContext, features: Features, rng: np.random.Generator
    ) -> OracleOutput:
        q_hat = exact_critic(context)
        w = exact_actor(context, features, context.advantage, radius=self.radius)
        return OracleOutput(w, q_hat)


@dataclass(frozen=True)
class SampledOracle:
    """Algorithm 2 (TD critic) followed by Algorithm 3 (SGD actor) with ball radius R."""

    td: TDConfig
    sgd: SGDConfig

    @property
    def radius(self) -> float:
        return self.sgd.radius

    def __call__(
        self, context: PolicyContext, features: Features, rng: np.random.Generator
    ) -> OracleOutput:
        psi = projected_td(context, features, self.td, rng)[0]
        q_hat = critic_values(features, psi)
        advantage = advantage_from_critic(context, q_hat)
        w = projected_sgd(context, advantage, self.sgd, rng)[0]
        return OracleOutput(w, q_hat)
