"""MFG-NAC Lemma 3: Q*_μ <= Q_max = (1 + γλ log|A|)/(1-γ) and π*_μ(a|s) >= 1/(|A| exp(Q_max/λ)).

The check solves the soft-optimal Q*_μ and the Boltzmann policy π*_μ = softmax(Q*_μ/λ) exactly
(soft policy iteration, :func:`mfcheck.solvers.soft_best_response`) for many mean fields μ on
games whose rewards lie in [0, 1] (SIS and LQ after an affine rescaling; random games; a
two-state "trap" game where the action gap is large) and compares both with the bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.instances import linear_quadratic, random_mean_field_game, sis
from mfcheck.instances.rescaling import rescale_rewards, reward_range
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import soft_best_response
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.lemma3"
Array = NDArray[np.float64]
#: (Q*[S, A], π*[S, A]) at a mean field: what the lemma calls the soft-optimal pair.
BestResponse = Callable[[MeanFieldGame, Array], tuple[Array, Array]]
#: Relative slack for floating point (Q_max is attained exactly when r ≡ 1).
RTOL = 1e-9

READING = (
    "Q^{π,λ}_μ(s,a) = r(s,a,μ) + γ E[V^{π,λ}_μ(s')] with V = Σ_a π (Q - λ log π) (entropy from the "
    "next step on), Q* the soft-optimal fixed point and π* = softmax(Q*/λ). Rewards must lie in "
    "[0, 1] at every checked μ: SIS and LQ are rescaled affinely, r' = (r - lo)/(hi - lo), with "
    "lo, hi the instance's reward_bounds (SIS: [-1.5, 0]) or, where none are declared (LQ), the "
    "range over ρ, uniform and the simplex vertices (LQ: [-149.2, 0], attained at vertices since "
    "r is concave in the mean state). Rescaling is not a symmetry of the regularised game (it "
    "acts like λ·(hi - lo)): the checked games are the rescaled ones, with the same λ."
)


def lemma3_bounds(gamma: float, lam: float, n_actions: int) -> tuple[float, float]:
    """(Q_max, π_min) of Lemma 3: (1 + γλ log|A|)/(1-γ) and 1/(|A| exp(Q_max/λ))."""
    q_max = (1.0 + gamma * lam * np.log(n_actions)) / (1.0 - gamma)
    return float(q_max), float(np.exp(-q_max / lam - np.log(n_actions)))


def soft_optimal_pair(game: MeanFieldGame, mu: Array) -> tuple[Array, Array]:
    """(Q*_μ, π*_μ = softmax(Q*_μ/λ)) by soft policy iteration (the correct Γ1^λ)."""
    solution = soft_best_response(game, mu)
    return solution.q_values, solution.policy


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    n_mean_fields: int
    """Random mean fields per game (besides ρ, uniform and the vertices)."""
    lams: tuple[float, ...]
    """Entropy weights λ at which every instance is checked."""
    gammas: tuple[float, ...]
    """Discount factors."""
    n_random_games: int
    """Random games (rewards in (0, 1)) per (γ, λ)."""

    def __post_init__(self) -> None:
        if self.n_mean_fields < 0 or self.n_random_games < 0:
            raise ValueError(f"Config: negative sizes in {self!r}")


CONFIGS = {
    "quick": Config(n_mean_fields=8, lams=(0.1, 1.0), gammas=(0.9,), n_random_games=3),
    "full": Config(
        n_mean_fields=50, lams=(0.01, 0.1, 0.5, 1.0, 5.0), gammas=(0.5, 0.9, 0.99), n_random_games=20
    ),
}


def trap_game(*, gamma: float = 0.9, lam: float = 1.0) -> MeanFieldGame:
    """Two states: 'good' (r = 1) and an absorbing 'trap' (r = 0); action 1 in 'good' falls in.

    The action gap at 'good' is about 1/(1-γ), so a policy sharper than softmax(Q*/λ) can drop
    below Lemma 3's floor (the wrong-temperature mutant); r does not depend on μ.
    """
    kernel = np.zeros((2, 2, 2))
    kernel[0, 0, 0] = 1.0
    kernel[0, 1, 1] = 1.0
    kernel[1, :, 1] = 1.0
    reward = np.array([[1.0, 1.0], [0.0, 0.0]])
    return MeanFieldGame(
        n_states=2, n_actions=2, transition_fn=lambda mu: kernel, reward_fn=lambda mu: reward,
        gamma=gamma, lam=lam, name="trap", reward_bounds=(0.0, 1.0),
    )


def check_lemma3(
    game: MeanFieldGame,
    mean_fields: Iterable[ArrayLike],
    *,
    best_response: BestResponse = soft_optimal_pair,
) -> Verdict:
    """Check Lemma 3 on one game at the given mean fields.

    Returns ``not_applicable`` when λ = 0 or some reward lies outside [0, 1] (rescale first with
    :func:`mfcheck.instances.rescaling.rescale_rewards`), ``fail`` when Q* exceeds Q_max or π*
    falls below the floor (beyond a relative 1e-9), ``pass`` otherwise.
    """
    mus = [np.asarray(m, dtype=float) for m in mean_fields]
    if game.lam <= 0:
        return Verdict(claim_id=CLAIM_ID, status="not_applicable", summary="λ = 0: no Boltzmann floor",
                       reasons=(f"{game.name}: λ = {game.lam}",))
    lo = min(float(game.reward(m).min()) for m in mus)
    hi = max(float(game.reward(m).max()) for m in mus)
    if lo < 0.0 or hi > 1.0:
        return Verdict(
            claim_id=CLAIM_ID, status="not_applicable",
            summary=f"{game.name}: rewards in [{lo:.4g}, {hi:.4g}], not in [0, 1]",
            reasons=("Lemma 3 assumes r(s, a, μ) ∈ [0, 1]; rescale the rewards first",),
            evidence={"reward_range": [lo, hi]},
        )
    q_max, pi_floor = lemma3_bounds(game.gamma, game.lam, game.n_actions)
    worst_q, worst_log_pi, violations = -np.inf, np.inf, []
    for index, mu in enumerate(mus):
        q_values, policy = best_response(game, mu)
        top = float(q_values.max())
        with np.errstate(divide="ignore"):
            low_log = float(np.log(policy.min()))
        worst_q, worst_log_pi = max(worst_q, top), min(worst_log_pi, low_log)
        if top > q_max * (1 + RTOL):
            violations.append(f"μ #{index}: max Q* = {top:.6g} > Q_max = {q_max:.6g}")
        if low_log < np.log(pi_floor) - RTOL * abs(np.log(pi_floor)):
            violations.append(
                f"μ #{index}: min π* = exp({low_log:.6g}) < floor exp({np.log(pi_floor):.6g})"
            )
    status = "fail" if violations else "pass"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=(f"{game.name} (γ={game.gamma}, λ={game.lam}): max Q*/Q_max = {worst_q / q_max:.4g}, "
                 f"log min π* - log floor = {worst_log_pi - np.log(pi_floor):.4g}"),
        stated=(Figure(name="Q_max", value=q_max), Figure(name="log π floor", value=float(np.log(pi_floor)))),
        measured=(Figure(name="max Q*", value=worst_q),
                  Figure(name="log min π*", value=worst_log_pi)),
        reading=READING,
        reasons=tuple(violations[:10]),
        evidence={"game": game.name, "gamma": game.gamma, "lam": game.lam, "n_mean_fields": len(mus),
                  "q_max": q_max, "max_q": worst_q, "log_pi_floor": float(np.log(pi_floor)),
                  "log_min_pi": worst_log_pi, "n_violations": len(violations)},
    )


def _mean_fields(game: MeanFieldGame, rng: np.random.Generator, n: int) -> list[Array]:
    base = [game.initial, np.full(game.n_states, 1.0 / game.n_states), *np.eye(game.n_states)]
    return base + list(rng.dirichlet(np.full(game.n_states, 0.5), size=n))


def instances(config: Config, rng: np.random.Generator) -> Sequence[MeanFieldGame]:
    """The checked games: SIS and LQ (rescaled), the trap game and random games, per (γ, λ)."""
    lq_base = linear_quadratic()
    lq_bounds = reward_range(lq_base)
    games: list[MeanFieldGame] = []
    for gamma in config.gammas:
        for lam in config.lams:
            games.append(rescale_rewards(sis(gamma=gamma, lam=lam)))
            games.append(rescale_rewards(linear_quadratic(gamma=gamma, lam=lam), lq_bounds))
            games.append(trap_game(gamma=gamma, lam=lam))
            games.extend(
                random_mean_field_game(rng, int(rng.integers(2, 6)), int(rng.integers(2, 5)),
                                       gamma=gamma, lam=lam, coupling=1.0)
                for _ in range(config.n_random_games)
            )
    return games


def run(profile: Profile, *, best_response: BestResponse = soft_optimal_pair) -> Verdict:
    """Lemma 3 on every instance of the profile; fails if any instance fails."""
    config = CONFIGS[profile.name]
    rng_games, rng_mu = seed_streams(profile.master_seed, 2, label=CLAIM_ID)
    verdicts = [
        check_lemma3(game, _mean_fields(game, rng_mu, config.n_mean_fields), best_response=best_response)
        for game in instances(config, rng_games)
    ]
    failed = [v for v in verdicts if v.status == "fail"]
    checked = [v for v in verdicts if v.status != "not_applicable"]
    ratio = max(v.evidence["max_q"] / v.evidence["q_max"] for v in checked)
    margin = min(v.evidence["log_min_pi"] - v.evidence["log_pi_floor"] for v in checked)
    rows = [{"summary": v.summary, "status": v.status, **v.evidence} for v in verdicts]
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"{len(checked)} games x {config.n_mean_fields + 4}+ mean fields: "
                 f"max Q*/Q_max = {ratio:.6g} (1 is attained by r ≡ 1), smallest log-margin of "
                 f"min π* over the floor = {margin:.4g}; {len(failed)} failing game(s)"),
        stated=(Figure(name="max Q*/Q_max", value=1.0, note="<= 1"),
                Figure(name="log(min π*) - log(floor)", value=0.0, note=">= 0")),
        measured=(Figure(name="max Q*/Q_max", value=ratio),
                  Figure(name="log(min π*) - log(floor)", value=margin),
                  Figure(name="games checked", value=len(checked))),
        reading=READING,
        reasons=tuple(r for v in failed for r in v.reasons)[:10],
        evidence={"games": rows},
    )
