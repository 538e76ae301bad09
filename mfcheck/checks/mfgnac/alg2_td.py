"""mfgnac.alg2_td: the NAC's critic (Algorithm 2, projected TD(0)) reaches E‖q̂_K - q‖² = O(1/K)
(MFG-NAC App C, Proposition 1).

The judged part is the critic half of the given NAC's ``oracle``
(:func:`mfcheck.algorithms.nac.actor_critic.swept_half`): its K (``n_steps``) is swept and its
ball B (``radius``) set by the checker; an exact critic (``NAC_DEFAULT``) stands for Algorithm 2
run to K = ∞, so the paper's :data:`PAPER_CRITIC` is judged in its place. At fixed evaluation
points (a game, one-hot features, θ, μ) the squared error ‖q̂_K - q^{π,λ}_μ‖² in L²(ν×π) (ν the
stationary distribution of P_π(μ)) is measured for independent replicates, and the exponent in K
of its mean is fitted over the asymptotic part of the grid (``asymptotic_from`` in the toml).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from mfcheck.algorithms.nac.actor_critic import SweptHalf, TDCritic, swept_half
from mfcheck.algorithms.nac.algorithm import DLNAC, NAC, NAC_DEFAULT
from mfcheck.algorithms.nac.context import PolicyContext, policy_context
from mfcheck.algorithms.nac.log_linear import Features, one_hot_features
from mfcheck.algorithms.nac.oracles import critic_error, feature_covariance
from mfcheck.algorithms.protocol import describe_part
from mfcheck.instances import random_mean_field_game, sis
from mfcheck.instances.evaluation_points import random_evaluation_point
from mfcheck.judgement import (
    QUICK,
    Cell,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    grid,
    judge_rate,
    named_rng,
    not_applicable,
    rate_verdict,
    run_cells,
)

CLAIM_ID = "mfgnac.alg2_td"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
#: Algorithm 2 as printed (α_k = 1/(ω(k+1)(1-γ)), batch 1, averaged iterate); K and B set per cell
PAPER_CRITIC = TDCritic(n_steps=1)
INSTANCES: tuple[str, ...] = ("sis", "random_mfg(4x3)")


@dataclass(frozen=True, kw_only=True)
class NacAlg2TdSizes:
    """Per-profile sizes: K = 2**e for e in ``exponents``, ``n_replicates`` runs per K."""

    exponents: tuple[int, ...]
    n_replicates: int


SIZES = {"quick": NacAlg2TdSizes(exponents=tuple(range(8, 16)), n_replicates=64),
         "full": NacAlg2TdSizes(exponents=tuple(range(8, 19)), n_replicates=32)}

READING = ("one-hot features (realizable), Algorithm 2 with α_k = 1/(ω(k+1)(1-γ)) (ω = λ_min of the "
           "steady-state feature covariance), B = 2‖q‖ + 1, averaged iterate; samples i.i.d. from "
           "ν×π×P×π (ν stationary for P_π(μ)); error in L²(ν×π); an exact critic is judged as "
           "Algorithm 2 (PAPER_CRITIC)")


@cache
def evaluation_point(label: str, master_seed: int) -> tuple[PolicyContext, Features]:
    """The exact context and features of instance ``label`` (θ ~ N(0, 0.25 I), μ ~ Dir(1))."""
    if label == "sis":
        game = sis(lam=0.1)
    elif label == "random_mfg(4x3)":
        game = random_mean_field_game(named_rng(master_seed, CLAIM_ID, f"game:{label}"), 4, 3, lam=0.1)
    else:
        raise ValueError(f"{CLAIM_ID}: unknown instance {label!r}; one of {INSTANCES}")
    features = one_hot_features(game.n_states, game.n_actions)
    point = random_evaluation_point(named_rng(master_seed, CLAIM_ID, f"point:{label}"), game, features.dim,
                                    label=label)
    return policy_context(game, features, point.theta, point.mean_field), features


def ball_radius(context: PolicyContext) -> float:
    """B = 2‖q‖ + 1 (‖ψ*‖ = ‖q‖ for one-hot features, so ψ* lies well inside the ball)."""
    return 2.0 * float(np.linalg.norm(context.shifted_q)) + 1.0


def k_cells(claim_id: str, instances: Iterable[str], sizes: NacAlg2TdSizes) -> list[Cell]:
    """One cell per (instance, K = 2**e); its ``n_replicates`` replicates are vectorised inside the
    cell (Algorithms 2 and 3)."""
    return grid(claim_id, instance=tuple(instances), K=[2**e for e in sizes.exponents],
                n_replicates=[sizes.n_replicates])


def cells(profile: Profile) -> list[Cell]:
    """One cell per (instance, K); its ``n_replicates`` replicates are vectorised inside the cell."""
    return k_cells(CLAIM_ID, INSTANCES, SIZES[profile.name])


def judged_critic(algorithm: NAC | DLNAC) -> SweptHalf:
    """The critic half the claim sweeps (PAPER_CRITIC standing in for an exact one)."""
    return swept_half(algorithm.oracle, "critic", PAPER_CRITIC)


def unsweepable(claim_id: str, algorithm: NAC | DLNAC, half: SweptHalf, reading: str) -> Verdict | None:
    """Not applicable when the oracle has no ``half.which`` (critic or actor) whose K can be swept;
    else None (Algorithms 2 and 3)."""
    if not half.problem:
        return None
    article = "an" if half.which == "actor" else "a"
    return not_applicable(claim_id, Hypothesis(name=f"the oracle has {article} {half.which} whose K can be swept",
                                               holds=False, measured=describe_part(algorithm.oracle),
                                               note=half.problem), reading=reading)


def k_rows(records: Sequence[Record], label: str, key: str) -> tuple[list[int], np.ndarray]:
    """The grid of K and the [K, replicate] array of ``key`` in the records of instance ``label``,
    in increasing K (Algorithms 2 and 3)."""
    rows = sorted((r for r in records if r.cell["instance"] == label), key=lambda r: int(r.cell["K"]))
    return [int(r.cell["K"]) for r in rows], np.array([r[key] for r in rows], dtype=float)


def measure(cell: Cell, algorithm: NAC | DLNAC, master_seed: int) -> Record:
    """errors[r] = ‖q̂ - q‖²_{ν×π} of the algorithm's critic with K = cell["K"] (replicate r)."""
    context, features = evaluation_point(str(cell["instance"]), master_seed)
    critic = dataclasses.replace(judged_critic(algorithm).half, n_steps=int(cell["K"]), radius=ball_radius(context))
    q_hat = critic(context, features, cell.rng(master_seed, "critic"), int(cell["n_replicates"]))
    return Record.of(cell, errors=critic_error(context, np.asarray(q_hat, dtype=float)))


def hypotheses(label: str, master_seed: int) -> tuple[Hypothesis, ...]:
    """ω > 0 and ‖ψ*‖ <= B at the instance (realizability holds: one-hot features)."""
    context, features = evaluation_point(label, master_seed)
    omega = float(np.linalg.eigvalsh(feature_covariance(features, context))[0])
    psi_norm, radius = float(np.linalg.norm(context.shifted_q)), ball_radius(context)
    return (Hypothesis(name=f"{label}: ω = λ_min(Σ ν π φφᵀ) > 0", holds=omega > 0, measured=omega),
            Hypothesis(name=f"{label}: ‖ψ*‖ <= B", holds=psi_norm <= radius, measured=psi_norm,
                       note=f"B = {radius:.4g}"))


def check(algorithm: NAC | DLNAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Sweep K on the critic of ``algorithm``'s oracle; pass when every instance's exponent in K
    has its interval's upper end below the toml's stated exponent + margin."""
    half = judged_critic(algorithm)
    unfit = unsweepable(CLAIM_ID, algorithm, half, READING)
    if unfit is not None:
        return unfit
    hyps = tuple(h for label in INSTANCES for h in hypotheses(label, profile.master_seed))
    broken = [h for h in hyps if not h.holds]
    if broken:
        return not_applicable(CLAIM_ID, broken[0], reading=READING)
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    judgements, curves, broken_output = [], {}, []
    for label in INSTANCES:
        ks, errors = k_rows(records, label, "errors")
        curves[label] = {"K": ks, "mean_error": errors.mean(axis=1).tolist()}
        if not np.isfinite(errors).all():
            k_bad = ks[int(np.argmax(~np.isfinite(errors).all(axis=1)))]
            broken_output.append(f"{label}: the critic returned a non-finite q̂ at K = {k_bad}")
            continue
        judgements.append(judge_rate(CLAIM_ID, "K", label=label, grid=ks, errors=errors,
                                     master_seed=profile.master_seed))
    if broken_output:
        return Verdict(claim_id=CLAIM_ID, status="fail", summary="; ".join(broken_output), reasons=tuple(broken_output),
                       reading=READING, hypotheses=hyps, evidence={"mean_error_curves": curves},
                       overridden=half.overridden(paper=PAPER_CRITIC))
    verdict = rate_verdict(CLAIM_ID, judgements, quantity="E‖q̂_K - q‖²", reading=READING,
                           evidence={"mean_error_curves": curves, "critic": describe_part(half.half),
                                     "stand_in": half.stand_in})
    return dataclasses.replace(verdict, hypotheses=hyps, overridden=half.overridden(paper=PAPER_CRITIC))
