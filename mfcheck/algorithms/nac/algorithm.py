"""NAC and DL-NAC as algorithm values (:mod:`mfcheck.algorithms.protocol`).

:class:`NAC` is Algorithm 1 of MFG-NAC (single loop)::

    ŵ_t, q̂_t  = oracle(π_t, μ_t)                               (Algorithms 2-3, or exact)
    θ_{t+1}   = policy_update(θ_t, ŵ_t, η_t, λ)  = (1 - η_t λ) θ_t + η_t ŵ_t
    μ_{t+1}   = mean_field_update(μ_t, Γ2(π_t, μ_t), β_t) = (1 - β_t) μ_t + β_t Γ2(π_t, μ_t)

with η_t = ``policy_step(t, T)``, β_t = ``mean_field_step(t, T)``, θ_0 = 0, μ_0 = ρ and
π_θ ∝ exp(φᵀθ) on ``features(game)``. :class:`DLNAC` is App D's double loop: ``inner_steps``
policy steps at a fixed μ, then μ jumps to ``mean_field_jump(μ, Γ2(π, μ))``.

A variant is ``dataclasses.replace(NAC_DEFAULT, part=other)``. The driver (``run``) is not a part:
it records every iterate (θ_t, π_t, μ_t, ŵ_t, q̂_t) and the steps it asked the schedules for,
so a checker judges what the parts did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.context import policy_context
from mfcheck.algorithms.nac.log_linear import Features, one_hot_features
from mfcheck.algorithms.nac.oracles import ExactOracle, Oracle
from mfcheck.algorithms.nac.trajectory import NACState, NACTrajectory, StepRecord
from mfcheck.algorithms.protocol import AlgorithmBase, register_default
from mfcheck.models import MeanFieldGame

Array = NDArray[np.float64]
#: (t, T) -> step size at iteration t of a run of T iterations
Schedule = Callable[[int, int], float]
#: (θ_t, ŵ_t, η_t, λ) -> θ_{t+1}
PolicyUpdate = Callable[[Array, Array, float, float], Array]
#: (μ_t, Γ2(π_t, μ_t), β_t) -> μ_{t+1}
MeanFieldUpdate = Callable[[Array, Array, float], Array]
#: game -> the log-linear policy class's features φ
FeatureMap = Callable[[MeanFieldGame], Features]


@dataclass(frozen=True)
class Constant:
    """A constant step: ``Constant(0.1)(t, T) = 0.1`` (Theorem 1 and App D use constant steps)."""

    value: float

    def __call__(self, t: int, n_iterations: int) -> float:
        return self.value


@dataclass(frozen=True)
class HorizonPower:
    """``scale * T**exponent`` for every t: Theorem 1's η = T^{-2/5}/λ, β = T^{-4/5}."""

    scale: float
    exponent: float

    def __call__(self, t: int, n_iterations: int) -> float:
        return self.scale * n_iterations ** self.exponent


def theorem_steps(lam: float) -> tuple[HorizonPower, HorizonPower]:
    """(η, β) schedules of Theorem 1 with constants 1: η = T^{-2/5}/λ, β = T^{-4/5}."""
    if not lam > 0:
        raise ValueError(f"theorem_steps: λ must be > 0, got {lam}")
    return HorizonPower(1.0 / lam, -0.4), HorizonPower(1.0, -0.8)


def regularised_policy_update(theta: Array, w_hat: Array, eta: float, lam: float) -> Array:
    """θ_{t+1} = (1 - ηλ)θ_t + ηŵ_t (Algorithm 1, line 4; the NPG step of a log-linear policy)."""
    return (1.0 - eta * lam) * theta + eta * w_hat


def damped_mean_field_update(mu: Array, image: Array, beta: float) -> Array:
    """μ_{t+1} = (1 - β)μ_t + βΓ2(π_t, μ_t) (Algorithm 1, line 5), kept on the simplex."""
    out = np.clip((1.0 - beta) * mu + beta * image, 0.0, None)
    return out / out.sum()


def jump_mean_field(mu: Array, image: Array) -> Array:
    """DL-NAC's outer update: μ <- Γ2(π, μ) (App D, "fixed-point iteration")."""
    return image


def one_hot(game: MeanFieldGame) -> Features:
    """The tabular policy class: one-hot features of (s, a)."""
    return one_hot_features(game.n_states, game.n_actions)


#: ε_critic = ε_actor = 0 (the oracle of Theorem 1's exact case)
EXACT_ORACLE = ExactOracle()


def _check_game(name: str, game: MeanFieldGame) -> None:
    if game.lam <= 0:
        raise ValueError(f"{name}: game {game.name} has λ = {game.lam}; NAC needs λ > 0")


@dataclass(frozen=True, kw_only=True)
class NAC(AlgorithmBase):
    """Algorithm 1 of MFG-NAC: the parts a variant may replace (see the module docstring)."""

    kind: ClassVar[str] = "nac"
    PARTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "policy_step": ("t", "n_iterations"),
        "mean_field_step": ("t", "n_iterations"),
        "oracle": ("context", "features", "rng"),
        "policy_update": ("theta", "w_hat", "eta", "lam"),
        "mean_field_update": ("mu", "image", "beta"),
        "features": ("game",),
    }

    n_iterations: int = 300
    policy_step: Schedule = Constant(0.1)
    mean_field_step: Schedule = Constant(0.05)
    oracle: Oracle = EXACT_ORACLE
    policy_update: PolicyUpdate = regularised_policy_update
    mean_field_update: MeanFieldUpdate = damped_mean_field_update
    features: FeatureMap = one_hot
    #: multiplies ``policy_step``: checkers set the schedule their instance needs, a variant may
    #: rescale it (η_t = policy_step_scale · policy_step(t, T))
    policy_step_scale: float = 1.0
    #: multiplies ``mean_field_step`` (β_t = mean_field_step_scale · mean_field_step(t, T))
    mean_field_step_scale: float = 1.0
    #: record E(π_t) every this many iterations (0: never)
    exploitability_every: int = 0
    #: validate the game's kernel and reward every this many iterations (and at t = 0)
    validate_every: int = 100

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"NAC.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if not (self.policy_step_scale > 0 and self.mean_field_step_scale >= 0):
            raise ValueError(f"NAC: policy_step_scale must be > 0 and mean_field_step_scale >= 0, got "
                             f"{self.policy_step_scale!r}, {self.mean_field_step_scale!r}")
        if self.exploitability_every < 0 or self.validate_every < 1:
            raise ValueError(f"NAC: exploitability_every must be >= 0 and validate_every >= 1, got "
                             f"{self.exploitability_every!r}, {self.validate_every!r}")

    def steps(self, t: int, n_iterations: int) -> tuple[float, float]:
        """(η_t, β_t) at iteration t of a run of T iterations: the schedules times their scales."""
        return (self.policy_step_scale * float(self.policy_step(t, n_iterations)),
                self.mean_field_step_scale * float(self.mean_field_step(t, n_iterations)))

    def initial_state(self, game: MeanFieldGame, features: Features, mean_field: Array | None = None) -> NACState:
        """θ_0 = 0 and μ_0 = ``mean_field`` (default ρ)."""
        mu = game.initial.copy() if mean_field is None else np.asarray(mean_field, dtype=float)
        theta = np.zeros(features.dim)
        return NACState(0, theta, mu, policy_context(game, features, theta, mu))

    def step(self, game: MeanFieldGame, features: Features, state: NACState, rng: np.random.Generator,
             *, eta: float, beta: float) -> tuple[NACState, StepRecord]:
        """One iteration of Algorithm 1 with steps (η_t, β_t). Pure given ``rng``."""
        out = self.oracle(state.context, features, rng)
        theta = np.asarray(self.policy_update(state.theta, out.w_hat, eta, game.lam), dtype=float)
        mu = np.asarray(self.mean_field_update(state.mean_field, state.context.population_update(), beta),
                        dtype=float)
        validate = (state.t + 1) % self.validate_every == 0
        context = policy_context(game, features, theta, mu, validate=validate)
        return NACState(state.t + 1, theta, mu, context), StepRecord(out.w_hat, out.q_hat)

    def run(self, game: MeanFieldGame, *, rng: np.random.Generator | None = None,
            mean_field: Array | None = None, features: Features | None = None) -> NACTrajectory:
        """Run T = ``n_iterations`` steps from θ_0 = 0, μ_0 = ``mean_field`` (ρ); every iterate kept.

        ``rng`` is required for sampled oracles (exact ones draw nothing); ``features`` overrides
        ``self.features(game)`` (a checker's instance may come with its own features).
        """
        _check_game("NAC.run", game)
        feats = self.features(game) if features is None else features
        gen = np.random.default_rng(0) if rng is None else rng
        T = self.n_iterations

        def step(state: NACState, g: np.random.Generator, t: int) -> tuple[NACState, StepRecord, float, float]:
            eta, beta = self.steps(t, T)
            nxt, rec = self.step(game, feats, state, g, eta=eta, beta=beta)
            return nxt, rec, eta, beta

        return drive(step, self.initial_state(game, feats, mean_field), T, gen,
                     exploitability_every=self.exploitability_every, game=game)


@dataclass(frozen=True, kw_only=True)
class DLNAC(AlgorithmBase):
    """DL-NAC (App D): ``inner_steps`` NAC policy steps at fixed μ, then μ jumps.

    Iterates are flattened (iterate t is one inner step) so curves line up with NAC's;
    ``reset_policy`` restarts θ at 0 after each jump. The trajectory's β_t is 1 at a jump, else 0.
    """

    kind: ClassVar[str] = "dlnac"
    PARTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "policy_step": ("t", "n_iterations"),
        "oracle": ("context", "features", "rng"),
        "policy_update": ("theta", "w_hat", "eta", "lam"),
        "mean_field_jump": ("mu", "image"),
        "features": ("game",),
    }

    n_iterations: int = 300
    policy_step: Schedule = Constant(0.1)
    inner_steps: int = 20
    reset_policy: bool = False
    oracle: Oracle = EXACT_ORACLE
    policy_update: PolicyUpdate = regularised_policy_update
    mean_field_jump: Callable[[Array, Array], Array] = jump_mean_field
    features: FeatureMap = one_hot
    exploitability_every: int = 0

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"DLNAC.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if int(self.inner_steps) != self.inner_steps or self.inner_steps < 1:
            raise ValueError(f"DLNAC.inner_steps: must be a positive int, got {self.inner_steps!r}")

    def step(self, game: MeanFieldGame, features: Features, state: NACState, rng: np.random.Generator,
             *, eta: float) -> tuple[NACState, StepRecord, bool]:
        """One flattened step: an inner policy step, then the mean-field jump if due."""
        out = self.oracle(state.context, features, rng)
        theta = np.asarray(self.policy_update(state.theta, out.w_hat, eta, game.lam), dtype=float)
        mu = state.mean_field
        context = policy_context(game, features, theta, mu)
        jumped = (state.t + 1) % self.inner_steps == 0
        if jumped:
            mu = np.asarray(self.mean_field_jump(mu, context.population_update()), dtype=float)
            if self.reset_policy:
                theta = np.zeros_like(theta)
            context = policy_context(game, features, theta, mu)
        return NACState(state.t + 1, theta, mu, context), StepRecord(out.w_hat, out.q_hat), jumped

    def run(self, game: MeanFieldGame, *, rng: np.random.Generator | None = None,
            mean_field: Array | None = None, features: Features | None = None) -> NACTrajectory:
        """Run DL-NAC from θ_0 = 0, μ_0 = ``mean_field`` (default ρ); every iterate kept."""
        _check_game("DLNAC.run", game)
        feats = self.features(game) if features is None else features
        gen = np.random.default_rng(0) if rng is None else rng
        T = self.n_iterations

        def step(state: NACState, g: np.random.Generator, t: int) -> tuple[NACState, StepRecord, float, float]:
            eta = float(self.policy_step(t, T))
            nxt, rec, jumped = self.step(game, feats, state, g, eta=eta)
            return nxt, rec, eta, float(jumped)

        initial = NAC.initial_state(NAC_DEFAULT, game, feats, mean_field)
        return drive(step, initial, T, gen, exploitability_every=self.exploitability_every, game=game)


StepFn = Callable[[NACState, np.random.Generator, int], tuple[NACState, StepRecord, float, float]]


def drive(step: StepFn, state: NACState, n_steps: int, rng: np.random.Generator, *,
          exploitability_every: int = 0, game: MeanFieldGame | None = None) -> NACTrajectory:
    """The one driver loop of NAC-type algorithms: apply ``step`` and record every iterate and
    the steps (η_t, β_t) the step used."""
    from mfcheck.solvers.exploitability import exploitability

    start = time.perf_counter()
    dim = state.theta.size
    n_states, n_actions = state.context.policy.shape
    thetas = np.empty((n_steps + 1, dim))
    policies = np.empty((n_steps + 1, n_states, n_actions))
    mean_fields = np.empty((n_steps + 1, n_states))
    w_hats = np.empty((n_steps, dim))
    q_hats = np.empty((n_steps, n_states, n_actions))
    etas = np.empty(n_steps)
    betas = np.empty(n_steps)
    exploit: list[tuple[int, float]] = []

    def record(i: int, s: NACState) -> None:
        thetas[i], policies[i], mean_fields[i] = s.theta, s.context.policy, s.mean_field
        if exploitability_every and game is not None and i % exploitability_every == 0:
            exploit.append((i, exploitability(game, s.context.policy)))

    record(0, state)
    for t in range(n_steps):
        state, rec, etas[t], betas[t] = step(state, rng, t)
        w_hats[t], q_hats[t] = rec.w_hat, rec.q_hat
        record(t + 1, state)
    return NACTrajectory(thetas, policies, mean_fields, w_hats, etas, betas, exploit,
                         time.perf_counter() - start, q_hats=q_hats)


#: The paper's Algorithm 1 with exact oracles, one-hot features and App D's LQ-sized constant
#: steps (η = 0.1, β = 0.05); checkers set T and the steps their instances need via replace().
NAC_DEFAULT: NAC = register_default(NAC())
#: App D's DL-NAC baseline (inner NAC steps, then a mean-field jump), warm-started.
DLNAC_DEFAULT: DLNAC = register_default(DLNAC())

__all__: list[Any] = ["DLNAC", "DLNAC_DEFAULT", "NAC", "NAC_DEFAULT", "Constant", "FeatureMap", "HorizonPower",
                      "MeanFieldUpdate", "PolicyUpdate", "Schedule", "damped_mean_field_update",
                      "jump_mean_field", "one_hot", "regularised_policy_update", "theorem_steps"]
