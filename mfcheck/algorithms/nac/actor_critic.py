"""The oracle of Algorithm 1 as two replaceable halves: a critic (Algorithm 2) and an actor
(Algorithm 3), each with a sample size K a checker can sweep.

MFG-NAC App C. An :class:`ActorCriticOracle` is an NAC ``oracle`` part::

    q̂ = critic(context, features, rng)                     (Algorithm 2, or exact)
    Â = Q̂ - Σ_a π Q̂,  Q̂ = q̂ + λ log π                      (App B.2)
    ŵ = actor(context, features, Â, rng)                    (Algorithm 3, or exact)

A critic is called ``critic(context, features, rng, n_replicates) -> q̂ [n_replicates, S, A]``
and an actor ``actor(context, features, advantage, rng, n_replicates) -> ŵ [n_replicates, d]``:
``n_replicates`` independent runs in one call (the sampled ones are vectorised), so a check can
draw many replicates of the same half at once. :class:`TDCritic` and :class:`SGDActor` are
Algorithms 2 and 3 (their settings are :class:`TDConfig` / :class:`SGDConfig` fields, K =
``n_steps``); :class:`ExactCritic` and :class:`ExactActor` are their ε = 0 twins.
``ActorCriticOracle(TDCritic(**td), SGDActor(**sgd))`` draws exactly what
``SampledOracle(td, sgd)`` draws (same generator, same order), and :func:`as_actor_critic`
splits a :class:`SampledOracle` or :class:`ExactOracle` into its halves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.context import PolicyContext
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.oracles import (
    ExactOracle,
    OracleOutput,
    SampledOracle,
    SGDConfig,
    TDConfig,
    advantage_from_critic,
    critic_values,
    exact_actor,
    projected_sgd,
    projected_td,
)

Array = NDArray[np.float64]


class Critic(Protocol):
    """Estimates q^{π,λ}_μ = Q - λ log π: ``n_replicates`` independent estimates [n, S, A]."""

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator,
                 n_replicates: int = 1) -> Array: ...


class Actor(Protocol):
    """Fits ŵ ≈ argmin_{‖w‖<=R} E_{d×π}[(wᵀ∇log π - Â)²]: ``n_replicates`` estimates [n, d]."""

    radius: float

    def __call__(self, context: PolicyContext, features: Features, advantage: Array,
                 rng: np.random.Generator, n_replicates: int = 1) -> Array: ...


@dataclass(frozen=True, kw_only=True)
class TDCritic(TDConfig):
    """Algorithm 2 (projected TD(0), Proposition 1's α_k, averaged iterate) with K = ``n_steps``
    steps in the ball of radius B = ``radius``: q̂ = φᵀψ̂."""

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator,
                 n_replicates: int = 1) -> Array:
        psi = projected_td(context, features, self, rng, n_replicates=n_replicates)
        return critic_values(features, psi)


@dataclass(frozen=True, kw_only=True)
class SGDActor(SGDConfig):
    """Algorithm 3 (projected SGD, step R/(ρ√K), averaged iterate) with K = ``n_steps`` steps in
    the ball of radius R = ``radius``, on samples s ~ d^π_μ, a ~ π."""

    def __call__(self, context: PolicyContext, features: Features, advantage: Array,
                 rng: np.random.Generator, n_replicates: int = 1) -> Array:
        return projected_sgd(context, advantage, self, rng, n_replicates=n_replicates)


@dataclass(frozen=True)
class ExactCritic:
    """q̂ = q^{π,λ}_μ exactly (ε_critic = 0); draws nothing."""

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator,
                 n_replicates: int = 1) -> Array:
        return np.broadcast_to(context.shifted_q, (n_replicates, *context.shifted_q.shape)).copy()


@dataclass(frozen=True)
class ExactActor:
    """ŵ = argmin_{‖w‖<=R} L̂(w) exactly (ε_actor = 0), minimum norm; draws nothing."""

    radius: float = np.inf

    def __call__(self, context: PolicyContext, features: Features, advantage: Array,
                 rng: np.random.Generator, n_replicates: int = 1) -> Array:
        w = exact_actor(context, features, advantage, radius=self.radius)
        return np.broadcast_to(w, (n_replicates, w.size)).copy()


@dataclass(frozen=True)
class ActorCriticOracle:
    """An NAC oracle part: ``critic`` then ``actor`` on the critic's advantage (App B.2)."""

    critic: Any = ExactCritic()
    actor: Any = ExactActor()

    @property
    def radius(self) -> float:
        """R, the actor's ball (Lemma 2's bound on ‖ŵ_t‖)."""
        return float(getattr(self.actor, "radius", np.inf))

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator) -> OracleOutput:
        q_hat = np.asarray(self.critic(context, features, rng, 1), dtype=float)[0]
        advantage = advantage_from_critic(context, q_hat)
        w_hat = np.asarray(self.actor(context, features, advantage, rng, 1), dtype=float)[0]
        return OracleOutput(w_hat, q_hat)


def as_actor_critic(oracle: Any) -> ActorCriticOracle | None:
    """The halves of an NAC oracle part: an :class:`ActorCriticOracle` as it is, a
    :class:`SampledOracle` as (TDCritic, SGDActor) with its settings, an :class:`ExactOracle` as
    (ExactCritic, ExactActor) with its radius; None for any other oracle (it has no halves)."""
    if isinstance(oracle, ActorCriticOracle):
        return oracle
    if type(oracle) is SampledOracle:
        return ActorCriticOracle(TDCritic(**dataclasses.asdict(oracle.td)),
                                 SGDActor(**dataclasses.asdict(oracle.sgd)))
    if type(oracle) is ExactOracle:
        return ActorCriticOracle(ExactCritic(), ExactActor(radius=oracle.radius))
    return None


def is_exact(half: Any) -> bool:
    """True for :class:`ExactCritic` / :class:`ExactActor` (the ε = 0 twins, which draw nothing)."""
    return type(half) in (ExactCritic, ExactActor)


@dataclass(frozen=True)
class SweptHalf:
    """The half of an NAC oracle a sub-solver check sweeps in K.

    ``half`` is the oracle's critic (or actor), or ``paper`` standing in for an exact one (an
    exact half is the K -> ∞ limit of the paper's sampled one: ``stand_in`` is then True);
    ``problem`` says why the oracle has no such half with settable ``n_steps`` and ``radius``
    ("" when it has one).
    """

    which: str
    half: Any
    stand_in: bool = False
    problem: str = ""

    def overridden(self, fields: tuple[str, ...] = ("n_steps", "radius"), *, paper: Any = None) -> tuple[str, ...]:
        """``oracle.<which>.<field>`` for each swept field whose value the variant chose (it
        differs from ``paper``'s); empty for a stand-in."""
        if self.stand_in or paper is None:
            return ()
        return tuple(f"oracle.{self.which}.{name}" for name in fields
                     if getattr(self.half, name, None) != getattr(paper, name, None))


def swept_half(oracle: Any, which: str, paper: Any) -> SweptHalf:
    """The ``which`` ("critic" or "actor") half of ``oracle`` for a sweep in K (see :class:`SweptHalf`)."""
    if which not in ("critic", "actor"):
        raise ValueError(f"swept_half: which must be 'critic' or 'actor', got {which!r}")
    pair = as_actor_critic(oracle)
    if pair is None:
        return SweptHalf(which, None, problem=f"the oracle {type(oracle).__name__} is not a critic-actor pair "
                                              "(ActorCriticOracle, SampledOracle or ExactOracle)")
    half = getattr(pair, which)
    if is_exact(half):
        return SweptHalf(which, paper, stand_in=True)
    names = {f.name for f in dataclasses.fields(half)} if dataclasses.is_dataclass(half) else set()
    if not {"n_steps", "radius"} <= names:
        return SweptHalf(which, half, problem=f"the {which} {type(half).__name__} has no dataclass fields "
                                              "n_steps and radius (its K and ball cannot be set)")
    return SweptHalf(which, half)


__all__ = ["Actor", "ActorCriticOracle", "Critic", "ExactActor", "ExactCritic", "SGDActor", "SweptHalf", "TDCritic",
           "as_actor_critic", "is_exact", "swept_half"]
