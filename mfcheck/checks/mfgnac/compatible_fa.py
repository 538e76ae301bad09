"""mfgnac.compatible_fa: the log-linear score and the 1-smoothness of log π_θ (MFG-NAC App B.1-B.2).

(i) ∇_θ log π_θ(a|s) = φ_{s,a} - Σ_a' π_θ(a'|s) φ_{s,a'} (App B.2); (ii) when ‖φ_{s,a}‖ <= 1,
log π_θ(a|s) is 1-smooth in θ (App B.1, first step of Lemma 1), its Hessian being
-Cov_{π(·|s)}[φ]. The checker judges the features of the given NAC (or DL-NAC): ``features(game)``
on SIS and two random games, screened for the hypothesis ‖φ‖ <= 1 (a feature map of norm > 1 is
not applicable, named and measured). The statement is the policy class (log π_θ, its score and
Hessian formulas, :class:`mfcheck.algorithms.nac.policy_class.PolicyClass`) with its smoothness
constant; at θ = 0 and random θ ~ N(0, 9 I) the checker compares the stated score with central
differences of the stated log π_θ, the stated Hessian with second differences of it, and the
spectral norm of the second-difference Hessian with the constant (no formula of the statement is
trusted for that norm).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.policy_class import LOG_LINEAR, PolicyClass
from mfcheck.algorithms.protocol import describe_part
from mfcheck.instances import random_mean_field_game, sis
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    get_claim,
    grid,
    named_rng,
    run_cells,
    screen,
)
from mfcheck.judgement.statement import Statement
from mfcheck.models import MeanFieldGame

CLAIM_ID = "mfgnac.compatible_fa"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
Array = NDArray[np.float64]

PAPER_STATEMENT = Statement(text="π_θ ∝ exp(θᵀφ): ∇ log π_θ = φ - E_π φ, ∇² log π_θ = -Cov_π φ, 1-smooth when ‖φ‖ <= 1",
                            value=(LOG_LINEAR, 1.0))
GAMES: tuple[str, ...] = ("sis", "random_mfg(3x3)", "random_mfg(4x2)")

READING = ("features: the algorithm's feature map on SIS and random 3x3 and 4x2 games; θ = 0 and θ ~ N(0, 9 I); "
           "score against central differences of log π_θ, Hessian against second differences, smoothness: the "
           "largest spectral norm of the second-difference Hessian over s, a, θ; difference steps and "
           "tolerances are the toml's [thresholds]")


@dataclass(frozen=True, kw_only=True)
class NacCompatibleFaSizes:
    """Per-profile sizes: random θ per game (besides θ = 0), θ ~ N(0, theta_scale² I)."""

    n_thetas: int
    theta_scale: float


SIZES = {"quick": NacCompatibleFaSizes(n_thetas=20, theta_scale=3.0), "full": NacCompatibleFaSizes(n_thetas=200, theta_scale=3.0)}


def game_of(name: str, master_seed: int) -> MeanFieldGame:
    if name == "sis":
        return sis()
    n_states, n_actions = {"random_mfg(3x3)": (3, 3), "random_mfg(4x2)": (4, 2)}[name]
    return random_mean_field_game(named_rng(master_seed, CLAIM_ID, f"game:{name}"), n_states, n_actions)


def cells(profile: Profile) -> list[Cell]:
    """One cell per game."""
    sizes = SIZES[profile.name]
    return grid(CLAIM_ID, game=GAMES, n_thetas=[sizes.n_thetas], theta_scale=[sizes.theta_scale])


def numeric_score(policy_class: PolicyClass, features: Features, theta: Array, h: float) -> Array:
    """Central differences of log π_θ(a|s) in θ, shape [S, A, d]."""
    cols = [(policy_class.log_policy(features, theta + h * e) - policy_class.log_policy(features, theta - h * e))
            / (2 * h) for e in np.eye(features.dim)]
    return np.stack(cols, axis=-1)


def numeric_hessian(policy_class: PolicyClass, features: Features, theta: Array, h: float) -> Array:
    """Second central differences of log π_θ(a|s) in θ, shape [S, A, d, d]."""
    eye, d = np.eye(features.dim), features.dim
    out = np.empty((features.n_states, features.n_actions, d, d))
    f = policy_class.log_policy
    for i in range(d):
        for j in range(i, d):
            ei, ej = h * eye[i], h * eye[j]
            value = (f(features, theta + ei + ej) - f(features, theta + ei - ej) - f(features, theta - ei + ej)
                     + f(features, theta - ei - ej)) / (4 * h * h)
            out[..., i, j] = out[..., j, i] = value
    return out


def judge_features(features: Features, thetas: Array, policy_class: PolicyClass) -> dict[str, float]:
    """Largest score error, Hessian error and Hessian spectral norm of ``policy_class`` on ``features``
    (finite-difference steps ``score_step`` and ``hessian_step`` from the toml)."""
    claim = get_claim(CLAIM_ID)
    score_step, hessian_step = claim.threshold("score_step"), claim.threshold("hessian_step")
    score_err = hess_err = hess_norm = 0.0
    for theta in np.atleast_2d(thetas):
        score_err = max(score_err, float(np.abs(policy_class.score(features, theta)
                                                - numeric_score(policy_class, features, theta, score_step)).max()))
        fd = numeric_hessian(policy_class, features, theta, hessian_step)
        hess_err = max(hess_err, float(np.abs(fd - np.asarray(policy_class.hessian(features, theta))[:, None]).max()))
        hess_norm = max(hess_norm, float(np.linalg.norm(fd, ord=2, axis=(2, 3)).max()))
    return {"score_error": score_err, "hessian_error": hess_err, "hessian_norm": hess_norm,
            "feature_norm": features.max_norm}


def measure(cell: Cell, algorithm: NAC, master_seed: int) -> Record:
    """The algorithm's features on the cell's game and the points θ (θ = 0 and random θ) at which
    any statement about the policy class is judged."""
    features = algorithm.features(game_of(str(cell["game"]), master_seed))
    thetas = float(cell["theta_scale"]) * cell.rng(master_seed, "thetas").standard_normal(
        (int(cell["n_thetas"]), features.dim))
    thetas[0] = 0.0
    return Record.of(cell, phi=features.phi, thetas=thetas, feature_norm=features.max_norm)


def check(algorithm: NAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK,
          statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Screen ‖φ‖ <= 1 on the algorithm's features, then hold the statement's score, Hessian and
    smoothness constant against finite differences."""
    claim = get_claim(CLAIM_ID)
    policy_class, constant = statement.value
    records = {str(r.cell["game"]): r for r in run_cells(cells(profile), measure, algorithm, profile.master_seed)}
    norms = {name: float(r["feature_norm"]) for name, r in records.items()}  # type: ignore[arg-type]
    hypotheses = tuple(Hypothesis(name="‖φ(s,a)‖ <= 1", holds=norm <= 1 + claim.threshold("feature_norm_atol"),
                                  measured=norm, note=f"{describe_part(algorithm.features)} on {name}")
                       for name, norm in norms.items())
    refused = screen(CLAIM_ID, hypotheses, reading=READING, evidence={"feature_norms": norms})
    if refused is not None:
        return refused
    results = {name: judge_features(Features(np.asarray(r["phi"], dtype=float)), np.asarray(r["thetas"], dtype=float),
                                    policy_class) for name, r in records.items()}
    worst = {key: max(v[key] for v in results.values()) for key in ("score_error", "hessian_error", "hessian_norm")}
    reasons = []
    if worst["score_error"] > claim.threshold("score_atol"):
        reasons.append(f"the stated score differs from central differences of log π_θ by {worst['score_error']:.3g}")
    if worst["hessian_error"] > claim.threshold("hessian_atol"):
        reasons.append(f"the stated Hessian differs from second differences of log π_θ by {worst['hessian_error']:.3g}")
    if worst["hessian_norm"] > constant + claim.threshold("smoothness_atol"):
        game = max(results, key=lambda g: results[g]["hessian_norm"])
        reasons.append(f"log π_θ is not {constant:g}-smooth: Hessian spectral norm {worst['hessian_norm']:.4g} > "
                       f"{constant:g} on {game} (max ‖φ‖ = {norms[game]:.4g})")
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if reasons else "pass",
        summary=(f"{statement.text}: score error {worst['score_error']:.2e}, Hessian error "
                 f"{worst['hessian_error']:.2e}, max ‖∇² log π‖ = {worst['hessian_norm']:.4f} (‖φ‖ <= "
                 f"{max(norms.values()):.4g})"),
        stated=(Figure(name="smoothness constant", value=float(constant)),),
        measured=(Figure(name="max |score - finite differences|", value=worst["score_error"]),
                  Figure(name="max ‖∇²_θ log π_θ‖_2", value=worst["hessian_norm"]),
                  Figure(name="max |Hessian - finite differences|", value=worst["hessian_error"])),
        reading=READING, reasons=tuple(reasons), hypotheses=hypotheses,
        evidence={**results, "statement": statement.text},
    )

