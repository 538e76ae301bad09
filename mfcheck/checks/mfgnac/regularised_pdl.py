"""MFG-NAC App B.1: the entropy-regularised performance-difference lemma, as an exact identity.

    V^{π,λ}_μ(ρ) - V^{π',λ}_μ(ρ)
        = 1/(1-γ) E_{s~d^π_μ, a~π}[q^{π',λ}_μ(s,a) - V^{π',λ}_μ(s)] - λ/(1-γ) E_{s~d^π_μ}[KL(π‖π')]

with q^{π',λ} = Q^{π',λ} - λ log π' (the shifted Q of App B.2/C) and
d^π_μ = (1-γ) Σ_t γ^t P(s_t = · | s_0 ~ ρ) (a probability vector). Both sides are computed
exactly (linear solves) on SIS, LQ and random games for random pairs of policies, and compared
to 1e-10. Alternative readings (unshifted q, unnormalised d) are evaluated too and reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.instances import linear_quadratic, random_mean_field_game, sis
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import policy_values
from mfcheck.solvers.visitation import discounted_visitation
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.regularised_pdl"
Array = NDArray[np.float64]
ATOL = 1e-10

READING = (
    "V^{π,λ}_μ(s) = E[Σ_t γ^t (r - λ log π)], Q^{π,λ} = r + γ P V^{π,λ} (no entropy at the current "
    "step), q^{π',λ} = Q^{π',λ} - λ log π' (shifted by the log of the policy q belongs to), "
    "d^π_μ = (1-γ) ρᵀ(I - γ P_π(μ))^{-1} (normalised discounted visitation from ρ at fixed μ). "
    "Under this reading the identity is exact; with q = Q (unshifted) it is off by "
    "λ/(1-γ) E_{d^π,π}[log π'], and with the unnormalised visitation Σ_t γ^t P(s_t) by a factor 1/(1-γ)."
)

#: (game, π, π', μ) -> right-hand side of the identity.
RightHandSide = Callable[[MeanFieldGame, Array, Array, Array], float]


def kl_rows(p: Array, q: Array) -> Array:
    """KL(p(·|s) ‖ q(·|s)) per state (0 log 0 = 0), shape [S]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0)
    return terms.sum(axis=-1)


def pdl_rhs(
    game: MeanFieldGame, pi: Array, pi_prime: Array, mu: Array, *, shifted: bool = True,
    normalised: bool = True, with_kl: bool = True,
) -> float:
    """Right-hand side of the regularised PDL (App B.1), with switches for the alternative readings."""
    values, q_values = policy_values(game, pi_prime, mu)
    q_shift = q_values - game.lam * np.log(pi_prime) if shifted else q_values
    d = discounted_visitation(game, pi, mu)
    if not normalised:
        d = d / (1.0 - game.gamma)
    advantage = np.einsum("sa,sa->s", pi, q_shift - values[:, None])
    out = d @ advantage / (1.0 - game.gamma)
    if with_kl:
        out -= game.lam / (1.0 - game.gamma) * (d @ kl_rows(pi, pi_prime))
    return float(out)


def pdl_lhs(game: MeanFieldGame, pi: Array, pi_prime: Array, mu: Array) -> float:
    """V^{π,λ}_μ(ρ) - V^{π',λ}_μ(ρ)."""
    return float(game.initial @ (policy_values(game, pi, mu)[0] - policy_values(game, pi_prime, mu)[0]))


def check_regularised_pdl(
    game: MeanFieldGame,
    cases: Iterable[tuple[Array, Array, Array]],
    *,
    rhs: RightHandSide = pdl_rhs,
) -> Verdict:
    """Check the identity on (π, π', μ) cases; π' must have full support where π does."""
    errors, alternatives, violations = [], {"unshifted_q": [], "unnormalised_d": []}, []
    for index, (pi, pi_prime, mu) in enumerate(cases):
        lhs = pdl_lhs(game, pi, pi_prime, mu)
        error = abs(lhs - rhs(game, pi, pi_prime, mu))
        errors.append(error)
        alternatives["unshifted_q"].append(abs(lhs - pdl_rhs(game, pi, pi_prime, mu, shifted=False)))
        alternatives["unnormalised_d"].append(abs(lhs - pdl_rhs(game, pi, pi_prime, mu, normalised=False)))
        if error > ATOL * max(1.0, abs(lhs)):
            violations.append(f"case #{index}: |LHS - RHS| = {error:.3g} (LHS {lhs:.6g})")
    worst = max(errors, default=0.0)
    alt = {k: max(v, default=0.0) for k, v in alternatives.items()}
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if violations else "pass",
        summary=(f"{game.name}: {len(errors)} policy pairs, max |LHS - RHS| = {worst:.3g}; "
                 f"unshifted q would miss by {alt['unshifted_q']:.3g}, unnormalised d by "
                 f"{alt['unnormalised_d']:.3g}"),
        stated=(Figure(name="max |LHS - RHS|", value=0.0, note=f"<= {ATOL} (relative)"),),
        measured=(Figure(name="max |LHS - RHS|", value=worst),
                  Figure(name="max error, unshifted q", value=alt["unshifted_q"]),
                  Figure(name="max error, unnormalised d", value=alt["unnormalised_d"])),
        reading=READING,
        reasons=tuple(violations[:10]),
        evidence={"game": game.name, "max_error": worst, "alternatives": alt, "n_cases": len(errors)},
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    n_pairs: int
    """Random (π, π', μ) per game."""
    n_random_games: int
    """Random games besides SIS and LQ."""
    lams: tuple[float, ...]
    """Entropy weights."""


CONFIGS = {
    "quick": Config(n_pairs=10, n_random_games=4, lams=(0.1, 1.0)),
    "full": Config(n_pairs=100, n_random_games=30, lams=(0.01, 0.1, 1.0, 5.0)),
}


def random_cases(game: MeanFieldGame, rng: np.random.Generator, n: int) -> list[tuple[Array, Array, Array]]:
    """n triples (π, π', μ): Dirichlet policies (π may be near-deterministic), μ ~ Dirichlet(1)."""
    cases = []
    for _ in range(n):
        pi = rng.dirichlet(np.full(game.n_actions, 0.3), size=game.n_states)
        pi_prime = rng.dirichlet(np.ones(game.n_actions), size=game.n_states)
        pi_prime = np.clip(pi_prime, 1e-8, None)
        pi_prime /= pi_prime.sum(axis=1, keepdims=True)
        cases.append((pi, pi_prime, rng.dirichlet(np.ones(game.n_states))))
    return cases


def run(profile: Profile, *, rhs: RightHandSide = pdl_rhs) -> Verdict:
    """The identity on SIS, LQ and random games for each λ; fails if any case misses by > 1e-10."""
    config = CONFIGS[profile.name]
    rng_games, rng_cases = seed_streams(profile.master_seed, 2, label=CLAIM_ID)
    verdicts = []
    for lam in config.lams:
        games = [sis(lam=lam), linear_quadratic(lam=lam)]
        games += [random_mean_field_game(rng_games, int(rng_games.integers(2, 6)),
                                         int(rng_games.integers(2, 5)), lam=lam,
                                         gamma=float(rng_games.uniform(0.5, 0.99)))
                  for _ in range(config.n_random_games)]
        verdicts += [check_regularised_pdl(g, random_cases(g, rng_cases, config.n_pairs), rhs=rhs)
                     for g in games]
    failed = [v for v in verdicts if v.status == "fail"]
    worst = max(v.evidence["max_error"] for v in verdicts)
    alt_q = min(v.evidence["alternatives"]["unshifted_q"] for v in verdicts)
    alt_d = min(v.evidence["alternatives"]["unnormalised_d"] for v in verdicts)
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"{len(verdicts)} games x {config.n_pairs} policy pairs: max |LHS - RHS| = "
                 f"{worst:.3g}; the alternative readings miss on every game (unshifted q by "
                 f">= {alt_q:.3g}, unnormalised d by >= {alt_d:.3g})"),
        stated=(Figure(name="max |LHS - RHS|", value=0.0, note=f"<= {ATOL} (relative)"),),
        measured=(Figure(name="max |LHS - RHS|", value=worst),
                  Figure(name="min over games of max error, unshifted q", value=alt_q),
                  Figure(name="min over games of max error, unnormalised d", value=alt_d)),
        reading=READING,
        reasons=tuple(r for v in failed for r in v.reasons)[:10],
        evidence={"games": [{"summary": v.summary, **v.evidence} for v in verdicts]},
    )
