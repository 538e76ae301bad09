"""MFG-NAC Lemmas 5 and 8: the σ^π recursions along runs of Algorithm 1.

Lemma 5: σ_{t+1} <= E_{d*_t}[KL(π*_t‖π_{t+1})] + (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖_1.
Lemma 8: σ_{t+1} <= (1 - η_t λ) σ_t + 3 C3 η_t (1 + 1/p_min) sqrt(ε_total) + 2 η_t² R²
                    + (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖_1,
with σ_t = E_{d*_t}[KL(π*_t‖π_t)] and the constants reconstructed in :mod:`._along_run`. Runs use
exact oracles and one-hot features, so ε_total = ε_approx + ε_actor + ε_critic = 0 (ε_approx is
measured at the first iterate to confirm). The policy-improvement step behind both (Lemma 1 with
exact oracles: E_{d*_t}KL(π*_t‖π_{t+1}) <= (1 - ηλ)σ_t + 2η²R²) is reported as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import approximation_error, one_hot_features, policy_context
from mfcheck.checks.mfgnac._along_run import (
    RunQuantities,
    approached_equilibrium,
    run_exact_nac,
    run_quantities,
)
from mfcheck.checks.mfgnac.lemma6 import contractive_game, equilibria
from mfcheck.claims import Figure, Profile, Verdict
from mfcheck.instances import linear_quadratic, sis
from mfcheck.instances.rescaling import rescale_rewards, reward_range
from mfcheck.models import MeanFieldGame

CLAIM_ID = "mfgnac.lemma5_lemma8"
Array = NDArray[np.float64]
RTOL = 1e-9
#: Transforms the run's constants before the check (identity; mutants underestimate them).
ConstantsMap = Callable[[dict[str, float]], dict[str, float]]

READING = (
    "Algorithm 1 with exact oracles and one-hot features (ε_total = 0, ε_approx measured), "
    "constant η, β, θ_0 = 0, μ_0 = ρ. σ_t = E_{d*_t}KL(π*_t‖π_t), π*_t = Γ1^λ(μ_t), "
    "d*_t = d^{π*_t}_{μ_t} (normalised discounted visitation from ρ). Constants (Assumptions 1-2 "
    "reconstructed, sup along the run): C1 = max d*_{t+1}/d*, C2 = sup (E_{d*_t}(d*/d*_t)²)^{1/2}, "
    "C3 = max d*_t/d^{π_t}_{μ_t}, d0 = sup max(‖d*_{t+1} - d*_t‖_1, D(π*_t, π*_{t+1}))/‖μ_{t+1} - μ_t‖_1, "
    "d* = d^{π*}_{μ*} at the equilibrium the run approaches, R = max_t ‖ŵ_t‖, p_min = min_t π_t, "
    "κ = 2 log|A|/(1-γ) + (1 + 2R(1-γ))/(λ(1-γ)). SIS and LQ rewards rescaled to [0, 1] (Lemma 3 is "
    "used in Lemma 5's proof): SIS by its reward_bounds, LQ by its range over the vertices."
)


def identity_constants(constants: dict[str, float]) -> dict[str, float]:
    """The run's constants unchanged."""
    return constants


def recursion_slacks(
    q: RunQuantities, *, eta: float, lam: float, epsilon_total: float, constants: dict[str, float]
) -> dict[str, Array]:
    """RHS - LHS of Lemma 5, Lemma 8 and the policy-improvement step, per t (negative: violated)."""
    c = constants
    drift = (1 + c["C1"]) * c["kappa"] * c["d0"] * q.mu_step
    oracle_term = (0.0 if epsilon_total == 0 else
                   3 * c["C3"] * eta * (1 + 1 / c["p_min"]) * np.sqrt(epsilon_total))
    quadratic = 2 * eta**2 * c["R"] ** 2
    nxt, cur = q.sigma[1:], q.sigma[:-1]
    return {
        "lemma5": q.kl_next + drift - nxt,
        "lemma8": (1 - eta * lam) * cur + oracle_term + quadratic + drift - nxt,
        "improvement": (1 - eta * lam) * cur + oracle_term + quadratic - q.kl_next,
    }


def check_run(
    game: MeanFieldGame, *, eta: float, beta: float, n_iterations: int,
    constants_map: ConstantsMap = identity_constants,
) -> Verdict:
    """Run exact-oracle NAC on ``game`` and check Lemmas 5 and 8 at every t."""
    trajectory = run_exact_nac(game, n_iterations=n_iterations, policy_step=eta, mean_field_step=beta)
    mu_star = approached_equilibrium(game, trajectory.mean_fields[-1], equilibria(game))
    q = run_quantities(game, trajectory, mu_star)
    features = one_hot_features(game.n_states, game.n_actions)
    eps_approx = approximation_error(policy_context(game, features, trajectory.thetas[0], game.initial), features)
    constants = constants_map(dict(q.constants))
    slacks = recursion_slacks(q, eta=eta, lam=game.lam, epsilon_total=0.0, constants=constants)
    scale = np.maximum(1.0, q.sigma[1:])
    bad = {k: np.flatnonzero(v < -RTOL * scale) for k, v in slacks.items()}
    failed = bad["lemma5"].size + bad["lemma8"].size
    mins = {k: float(v.min()) for k, v in slacks.items()}
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"{game.name} (λ={game.lam}, η={eta}, β={beta}, T={n_iterations}): violations L5 "
                 f"{bad['lemma5'].size}, L8 {bad['lemma8'].size}; min slack L5 {mins['lemma5']:.3g}, "
                 f"L8 {mins['lemma8']:.3g}; σ_0 = {q.sigma[0]:.3g} -> σ_T = {q.sigma[-1]:.3g}"),
        stated=tuple(Figure(name=k, value=float(v)) for k, v in constants.items()),
        measured=(Figure(name="min slack Lemma 5", value=mins["lemma5"]),
                  Figure(name="min slack Lemma 8", value=mins["lemma8"]),
                  Figure(name="ε_approx", value=eps_approx)),
        reading=READING,
        reasons=tuple(f"{k} t={t}: slack {slacks[k][t]:.3g}" for k in ("lemma5", "lemma8") for t in bad[k][:5]),
        evidence={"game": game.name, "lam": game.lam, "eta": eta, "beta": beta, "constants": constants,
                  "epsilon_approx": eps_approx, "min_slack": mins,
                  "violations": {k: int(v.size) for k, v in bad.items()},
                  "sigma_ratio_median": float(np.median(q.sigma[1:51] / np.maximum(q.sigma[:50], 1e-300))),
                  "mu_star": mu_star.tolist() if game.n_states <= 5 else float(np.arange(game.n_states) @ mu_star)},
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    n_iterations: int
    """T of each run."""


CONFIGS = {"quick": Config(n_iterations=200), "full": Config(n_iterations=2000)}


def cases() -> list[tuple[MeanFieldGame, float, float]]:
    """(game, η, β): rescaled SIS (App D steps), rescaled LQ (App D steps), the control game."""
    lq = linear_quadratic(lam=0.1)
    return [
        (rescale_rewards(sis(lam=0.1)), 0.05, 0.01),
        (rescale_rewards(lq, reward_range(lq)), 0.1, 0.05),
        (contractive_game(lam=1.0), 0.1, 0.05),
    ]


def run(profile: Profile, *, constants_map: ConstantsMap = identity_constants) -> Verdict:
    """Lemmas 5 and 8 along exact-oracle runs on rescaled SIS, rescaled LQ and the control game."""
    config = CONFIGS[profile.name]
    verdicts = [check_run(g, eta=eta, beta=beta, n_iterations=config.n_iterations, constants_map=constants_map)
                for g, eta, beta in cases()]
    failed = [v for v in verdicts if v.status == "fail"]
    rows = [v.evidence for v in verdicts]
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary="; ".join(v.summary for v in verdicts),
        stated=tuple(Figure(name=f"{r['game']} {k}", value=float(x)) for r in rows
                     for k, x in r["constants"].items() if k in ("C1", "C3", "d0", "kappa", "p_min", "R")),
        measured=tuple(Figure(name=f"{r['game']} min slack {k}", value=x) for r in rows
                       for k, x in r["min_slack"].items()),
        reading=READING,
        reasons=tuple(r for v in failed for r in v.reasons)[:10],
        evidence={"runs": rows},
    )
