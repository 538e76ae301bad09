"""mfgnac.alg3_sgd: the NAC's actor (Algorithm 3, projected SGD with step R/(ρ√K)) reaches an
excess loss O(K^{-1/2}) (MFG-NAC App C, Proposition 2).

The judged part is the actor half of the given NAC's ``oracle``
(:func:`mfcheck.algorithms.nac.actor_critic.swept_half`): its K (``n_steps``) is swept and its
ball R (``radius``) set by the checker; an exact actor (``NAC_DEFAULT``) stands for Algorithm 3
run to K = ∞, so the paper's :data:`PAPER_ACTOR` is judged in its place. At fixed evaluation
points (a game, random features, θ, μ) the actor fits the exact advantage (an exact critic, so the
error is the actor's alone): L(ŵ_K) - min_{‖w‖<=R} L(w) with L(w) = E_{d^π_μ×π}[(wᵀ∇log π - A)²]
(App B.2), for independent replicates. Every instance's exponent in K decides (toml [[rate]]),
and the mean excess must stay below Proposition 2's explicit Rρ/√K at every K.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

import numpy as np

from mfcheck.algorithms.nac.actor_critic import SGDActor, SweptHalf, swept_half
from mfcheck.algorithms.nac.algorithm import DLNAC, NAC, NAC_DEFAULT
from mfcheck.algorithms.nac.context import PolicyContext, policy_context
from mfcheck.algorithms.nac.log_linear import Features, random_features
from mfcheck.algorithms.nac.oracles import (
    actor_loss,
    approximation_error,
    exact_actor,
    gradient_bound,
)
from mfcheck.algorithms.protocol import describe_part
from mfcheck.checks.mfgnac.alg2_td import NacAlg2TdSizes, k_cells, k_rows, unsweepable
from mfcheck.instances import random_mean_field_game, sis
from mfcheck.instances.evaluation_points import random_evaluation_point
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Profile,
    Record,
    Verdict,
    judge_rate,
    named_rng,
    rate_verdict,
    run_cells,
)

CLAIM_ID = "mfgnac.alg3_sgd"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
#: Algorithm 3 as printed (step R/(ρ√K), batch 1, averaged iterate); K and R set per cell
PAPER_ACTOR = SGDActor(n_steps=1, radius=1.0)
#: instance -> (|S|, |A|, feature dimension d); SIS has |S|(|A|-1) = 2 compatible directions, so
#: d = 3 is realizable (ε_approx = 0) and d = 1 is not; the random 4x3 game with d = 5 is not
INSTANCES: dict[str, tuple[str, int]] = {"sis(d=1)": ("sis", 1), "random_mfg(4x3, d=5)": ("random", 5),
                                         "sis(d=3, realizable)": ("sis", 3)}


#: per-profile sizes (Algorithm 2's size class): K = 2**e for e in ``exponents``, ``n_replicates`` runs per K
SIZES = {"quick": NacAlg2TdSizes(exponents=tuple(range(8, 14)), n_replicates=16),
         "full": NacAlg2TdSizes(exponents=tuple(range(8, 17)), n_replicates=32)}

READING = ("exact advantage as target (exact critic), s ~ d^π_μ (discounted visitation from ρ), a ~ π, "
           "random features of norm 1, R = 2‖w*‖ + 1e-3, ρ = the a.s. gradient bound, step R/(ρ√K), "
           "averaged iterate; excess loss over min_{‖w‖<=R} L; every instance's exponent decides; "
           "an exact actor is judged as Algorithm 3 (PAPER_ACTOR)")


@dataclass(frozen=True, eq=False)
class Point:
    """An evaluation point with its target: context, features, R, ρ and min_{‖w‖<=R} L."""

    context: PolicyContext
    features: Features
    radius: float
    rho: float
    best: float


@cache
def evaluation_point(label: str, master_seed: int) -> Point:
    """Instance ``label``: the game, random features of norm 1, θ ~ N(0, 0.25 I), μ ~ Dir(1)."""
    family, dim = INSTANCES[label]
    game = sis(lam=0.1) if family == "sis" else random_mean_field_game(
        named_rng(master_seed, CLAIM_ID, f"game:{label}"), 4, 3, lam=0.1)
    features = random_features(named_rng(master_seed, CLAIM_ID, f"features:{label}"), game.n_states,
                               game.n_actions, dim)
    point = random_evaluation_point(named_rng(master_seed, CLAIM_ID, f"point:{label}"), game, dim, label=label)
    context = policy_context(game, features, point.theta, point.mean_field)
    advantage = context.advantage
    radius = 2.0 * float(np.linalg.norm(exact_actor(context, features, advantage))) + 1e-3
    best = float(actor_loss(context, advantage, exact_actor(context, features, advantage, radius=radius)))
    return Point(context, features, radius, gradient_bound(context, advantage, radius), best)


def cells(profile: Profile) -> list[Cell]:
    """One cell per (instance, K); its ``n_replicates`` replicates are vectorised inside the cell."""
    return k_cells(CLAIM_ID, INSTANCES, SIZES[profile.name])


def judged_actor(algorithm: NAC | DLNAC) -> SweptHalf:
    """The actor half the claim sweeps (PAPER_ACTOR standing in for an exact one)."""
    return swept_half(algorithm.oracle, "actor", PAPER_ACTOR)


def measure(cell: Cell, algorithm: NAC | DLNAC, master_seed: int) -> Record:
    """excess[r] = L(ŵ) - min_{‖w‖<=R} L of the algorithm's actor with K = cell["K"] (replicate r)."""
    point = evaluation_point(str(cell["instance"]), master_seed)
    actor = dataclasses.replace(judged_actor(algorithm).half, n_steps=int(cell["K"]), radius=point.radius)
    advantage = point.context.advantage
    w = np.asarray(actor(point.context, point.features, advantage, cell.rng(master_seed, "actor"),
                         int(cell["n_replicates"])), dtype=float)
    norms = np.linalg.norm(w, axis=-1)
    excess = np.maximum(np.asarray(actor_loss(point.context, advantage, w)) - point.best, 0.0)
    return Record.of(cell, excess=excess, max_norm=float(norms.max()))


def check(algorithm: NAC | DLNAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Sweep K on the actor of ``algorithm``'s oracle; pass when every instance's exponent in K has
    its interval's upper end below the stated exponent + margin and the mean excess loss stays
    below Rρ/√K at every K."""
    half = judged_actor(algorithm)
    unfit = unsweepable(CLAIM_ID, algorithm, half, READING)
    if unfit is not None:
        return unfit
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    judgements, bound_reasons, curves, extra = [], [], {}, []
    for label in INSTANCES:
        point = evaluation_point(label, profile.master_seed)
        ks, excess = k_rows(records, label, "excess")
        judgements.append(judge_rate(CLAIM_ID, "K", label=label, grid=ks, errors=excess,
                                     master_seed=profile.master_seed))
        bound = point.radius * point.rho / np.sqrt(np.asarray(ks, dtype=float))
        means = excess.mean(axis=1)
        worst = int(np.argmax(means / bound))
        if means[worst] > bound[worst]:
            bound_reasons.append(f"{label}: mean excess {means[worst]:.4g} > Rρ/√K = {bound[worst]:.4g} at "
                                 f"K = {ks[worst]}")
        curves[label] = {"K": ks, "mean_excess": means.tolist(), "bound": bound.tolist(), "radius": point.radius,
                         "rho": point.rho, "epsilon_approx": approximation_error(point.context, point.features)}
        extra.append(Figure(name=f"{label}: max mean excess / (Rρ/√K)", value=float((means / bound).max())))
    verdict = rate_verdict(CLAIM_ID, judgements, quantity="L(ŵ_K) - min L", reading=READING,
                           evidence={"mean_error_curves": curves, "actor": describe_part(half.half), "stand_in": half.stand_in})
    status = "fail" if bound_reasons else verdict.status
    return dataclasses.replace(verdict, status=status, measured=verdict.measured + tuple(extra),
                               reasons=verdict.reasons + tuple(bound_reasons),
                               summary=verdict.summary + ("; " + "; ".join(bound_reasons) if bound_reasons else ""),
                               overridden=half.overridden(paper=PAPER_ACTOR))
