"""MFG-NAC Lemmas 5 and 8: the σ^π recursions along runs of Algorithm 1.

Lemma 5: σ_{t+1} <= E_{d*_t}[KL(π*_t‖π_{t+1})] + (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖_1.
Lemma 8: σ_{t+1} <= (1 - η_t λ) σ_t + 3 C3 η_t (1 + 1/p_min) sqrt(ε_total,t) + 2 η_t² R²
                    + (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖_1,
with σ_t = E_{d*_t}[KL(π*_t‖π_t)] and the constants of :mod:`mfcheck.solvers.along_run`.

A checker in three parts. Grid: instances × oracle, where "own" runs the given NAC's oracle and
"td_sgd" replaces it by Algorithms 2-3 (:func:`td_sgd_oracle`). Cell -> record (:func:`measure`):
run the NAC value, then compute from its iterates (θ_t, μ_t, ŵ_t, q̂_t) alone the policies
π_{θ_t}, the deviations from Algorithm 1's update with the steps of the algorithm's own
schedules, σ^π_t and the constants, and the realised ε_critic,t, ε_actor,t, ε_approx,t
(:mod:`mfcheck.solvers.oracle_errors`). Judgement (:func:`judge`): hypotheses screened
(0 < η_t λ < 1, β_t in [0, 1], r in [0, 1]); a run that does not follow Algorithm 1 fails its
conformance part; Lemmas 5 and 8 must hold at every t; the cells are joined by ``combine``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT
from mfcheck.algorithms.nac.audited_run import (
    audited_run,
    case_steps,
    mean_field_step_hypothesis,
    policy_step_hypothesis,
    schedule,
)
from mfcheck.algorithms.nac.log_linear import Features, random_features
from mfcheck.algorithms.nac.sampled_run import td_sgd_oracle
from mfcheck.algorithms.protocol import Configured, configure
from mfcheck.instances import contractive_game, linear_quadratic, sis
from mfcheck.instances.rescaling import rescale_rewards, reward_range
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    combine,
    get_claim,
    grid,
    run_cells,
    screen,
)
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.along_run import (
    RunQuantities,
    approached_equilibrium,
    conformance_reasons,
    run_quantities,
)
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.solvers.oracle_errors import run_errors

CLAIM_ID = "mfgnac.lemma5_lemma8"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
Array = NDArray[np.float64]

READING = (
    "Runs of the given NAC value; everything judged is computed from its iterates: π_t = π_{θ_t} on "
    "its features, (η_t, β_t) = steps(t, T) from its schedules times their scales, and the "
    "update θ_{t+1} = (1 - η_tλ)θ_t + η_tŵ_t, μ_{t+1} = (1 - β_t)μ_t + β_tΓ2(π_t, μ_t), θ_0 = 0, μ_0 = ρ "
    "verified (conformance). σ_t = E_{d*_t}KL(π*_t‖π_t), π*_t = Γ1^λ(μ_t), d*_t = d^{π*_t}_{μ_t}; constants "
    "are sups along the run (C1, C3, d0, R = max‖ŵ_t‖, p_min = min π_t, κ from its formula). ε_critic,t = "
    "max_{s,a}(q̂_t - q_t)², ε_actor,t = L̂_t(ŵ_t) - min_{R^d} L̂_t, ε_approx,t = min L_t (weights "
    "d^{π_t}_{μ_t} × π_t), realised per step from q̂_t, ŵ_t. The paper's algorithm runs each instance "
    "with its steps (App D's; Theorem 1's for T = 10^6 on the small-step case); a variant with its own "
    "schedules keeps them. 'td_sgd' cells replace the oracle by Algorithm 2 (TD(0), Proposition 1's "
    "α_k, ball 2 sqrt(|S||A|)Q_max) + Algorithm 3 (SGD, step R/(ρ√K), ball 2), K steps, batch 16. "
    "SIS and LQ rewards rescaled to [0, 1]."
)


@dataclass(frozen=True, kw_only=True)
class Case:
    """An instance with the steps the paper's algorithm runs it with (and optional features)."""

    game: str
    eta: float
    beta: float
    features: Callable[[MeanFieldGame], Features] | None = None


def _lq() -> MeanFieldGame:
    game = linear_quadratic(lam=0.1)
    return rescale_rewards(game, reward_range(game))


def _two_random_features(game: MeanFieldGame) -> Features:
    return random_features(np.random.default_rng(3), game.n_states, game.n_actions, 2)


#: Theorem 1's η = T^{-2/5}/λ, β = T^{-4/5} for T = 10^6 (λ = 1): drift and 2η²R² small, so the
#: oracle term carries Lemma 8's bound
THM1_ETA, THM1_BETA = 10**-2.4, 10**-4.8
GAMES: dict[str, Callable[[], MeanFieldGame]] = {
    "sis": lambda: rescale_rewards(sis(lam=0.1)), "lq": _lq, "control": lambda: contractive_game(lam=1.0)}
CASES: dict[str, Case] = {
    "sis": Case(game="sis", eta=0.05, beta=0.01),
    "lq": Case(game="lq", eta=0.1, beta=0.05),
    "control": Case(game="control", eta=0.1, beta=0.05),
    "control_small_steps": Case(game="control", eta=THM1_ETA, beta=THM1_BETA),
    "control_2_features": Case(game="control", eta=THM1_ETA, beta=THM1_BETA, features=_two_random_features),
}


@dataclass(frozen=True, kw_only=True)
class NacLemma5Lemma8Sizes:
    """T of the runs with the algorithm's own oracle and with TD + SGD, and K of TD + SGD."""

    n_iterations: int
    sampled_iterations: int
    oracle_steps: int


SIZES = {"quick": NacLemma5Lemma8Sizes(n_iterations=200, sampled_iterations=200, oracle_steps=128),
         "full": NacLemma5Lemma8Sizes(n_iterations=2000, sampled_iterations=1000, oracle_steps=256)}


def cells(profile: Profile) -> list[Cell]:
    """Own oracle on SIS, LQ, control; TD + SGD on SIS, control (small steps, 1-hot and 2 features)."""
    s = SIZES[profile.name]
    return (grid(CLAIM_ID, case=["sis", "lq", "control"], oracle=["own"], T=[s.n_iterations], K=[0])
            + grid(CLAIM_ID, case=["sis", "control_small_steps", "control_2_features"], oracle=["td_sgd"],
                   T=[s.sampled_iterations], K=[s.oracle_steps]))


def _configured(cell: Cell, algorithm: NAC, game: MeanFieldGame) -> Configured:
    case = CASES[str(cell["case"])]
    settings: dict[str, object] = {"n_iterations": int(cell["T"]), **case_steps(algorithm, case.eta, case.beta)}
    if cell["oracle"] == "td_sgd":
        settings["oracle"] = td_sgd_oracle(game, n_steps=int(cell["K"]))
    if case.features is not None:
        settings["features"] = case.features
    return configure(algorithm, **settings)


@cache
def _equilibria(game: str) -> tuple[Array, ...]:
    """The equilibrium mean fields of a game of :data:`GAMES` (deterministic, shared by cells)."""
    return tuple(equilibrium_mean_fields(GAMES[game]()))


def slacks(q: RunQuantities, *, etas: Array, lam: float, epsilon: Array) -> dict[str, Array]:
    """RHS - LHS of Lemma 5, Lemma 8 and the policy-improvement step per t (negative: violated)."""
    c = q.constants
    drift = (1 + c["C1"]) * c["kappa"] * c["d0"] * q.mu_step
    oracle_term = 3 * c["C3"] * etas * (1 + 1 / c["p_min"]) * np.sqrt(np.clip(epsilon, 0.0, None))
    quadratic = 2 * etas**2 * c["R"] ** 2
    nxt, cur = q.sigma[1:], q.sigma[:-1]
    return {"lemma5": q.kl_next + drift - nxt,
            "lemma8": (1 - etas * lam) * cur + oracle_term + quadratic + drift - nxt,
            "improvement": (1 - etas * lam) * cur + oracle_term + quadratic - q.kl_next}


def measure(cell: Cell, algorithm: NAC, master_seed: int) -> Record:
    """Run one cell and compute, from the iterates, conformance, recursions and ε's."""
    case = CASES[str(cell["case"])]
    game = GAMES[case.game]()
    configured = _configured(cell, algorithm, game)
    nac = configured.algorithm
    etas, betas = schedule(nac)
    base = {"case": cell["case"], "game": game.name, "lam": game.lam, "overridden": list(configured.overridden),
            "eta": [float(etas.min()), float(etas.max())], "beta": [float(betas.min()), float(betas.max())]}
    hypotheses = [policy_step_hypothesis(game.lam, etas), mean_field_step_hypothesis(betas)]
    if not all(h.holds for h in hypotheses):
        return Record.of(cell, **base, hypotheses=[dataclasses.asdict(h) for h in hypotheses])
    run = audited_run(nac, game, cell.rng(master_seed, "oracle"))
    traj = run.trajectory
    rewards = np.stack([game.reward(mu) for mu in traj.mean_fields])
    hypotheses.append(Hypothesis(name="r(s, a, μ_t) in [0, 1]", holds=bool(rewards.min() >= 0 and rewards.max() <= 1),
                                 measured=f"[{rewards.min():.4g}, {rewards.max():.4g}]"))
    mu_star = approached_equilibrium(game, traj.mean_fields[-1], _equilibria(case.game))
    q = run_quantities(game, run.policies, traj.mean_fields, traj.w_hats, mu_star)
    errors = run_errors(game, run.phi, traj.thetas[:-1], traj.mean_fields[:-1], traj.q_hats, traj.w_hats)
    s = slacks(q, etas=etas, lam=game.lam, epsilon=errors.total)
    bare = slacks(q, etas=etas, lam=game.lam, epsilon=np.zeros_like(errors.total))["lemma8"]
    tight = slacks(q, etas=etas, lam=game.lam, epsilon=errors.approx + errors.actor + errors.advantage)["lemma8"]
    chain = 4 * errors.approx + 2 * errors.actor + 6 * errors.advantage - errors.loss
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    scale = np.maximum(1.0, q.sigma[1:])
    rhs8 = s["lemma8"] + q.sigma[1:]
    return Record.of(
        cell, **base, hypotheses=[dataclasses.asdict(h) for h in hypotheses], dim=int(run.phi.shape[-1]),
        conformance=run.conformance(),
        violations={k: np.flatnonzero(v < -rtol * scale).tolist() for k, v in s.items()},
        min_slack={**{k: float(v.min()) for k, v in s.items()}, "lemma8_advantage_eps": float(tight.min()),
                   "chain": float(chain.min())},
        violations_without_oracle_term=int(np.sum(bare < -rtol * scale)),
        constants=q.constants, epsilon=errors.stats(),
        lemma8_ratio_median=float(np.median(q.sigma[1:] / rhs8)),
        sigma={"first": float(q.sigma[0]), "last": float(q.sigma[-1]), "median": float(np.median(q.sigma)),
               "ratio_median": float(np.median(q.sigma[1:51] / np.maximum(q.sigma[:50], 1e-300)))},
    )


def _label(record: Record) -> str:
    return f"{record['case']} ({record.cell['oracle']} oracle)"


def judge(record: Record) -> Verdict:
    """One cell's verdict: not_applicable on a violated hypothesis; fail when the iterates do not
    follow Algorithm 1 or a recursion is violated at some t."""
    hypotheses = tuple(Hypothesis(**h) for h in record["hypotheses"])  # type: ignore[union-attr]
    screened = screen(CLAIM_ID, hypotheses, reading=READING, evidence=dict(record.values))
    if screened is not None:
        return screened
    claim = get_claim(CLAIM_ID)
    conf: dict = record["conformance"]  # type: ignore[assignment]
    reasons = conformance_reasons(conf, claim.threshold("conformance_tol"))
    bad: dict = record["violations"]  # type: ignore[assignment]
    mins: dict = record["min_slack"]  # type: ignore[assignment]
    reasons += [f"{k} violated at {len(bad[k])} steps (first t = {bad[k][:5]}), min slack {mins[k]:.3g}"
                for k in ("lemma5", "lemma8") if bad[k]]
    eps: dict = record["epsilon"]  # type: ignore[assignment]
    label = _label(record)
    measured = (Figure(name=f"{label}: max conformance deviation θ", value=conf["theta"]),
                Figure(name=f"{label}: max conformance deviation μ", value=conf["mean_field"]),
                Figure(name=f"{label}: min slack Lemma 5", value=mins["lemma5"]),
                Figure(name=f"{label}: min slack Lemma 8", value=mins["lemma8"]),
                *(Figure(name=f"{label}: ε_{k}", value=eps[k]["median"], low=eps[k]["min"], high=eps[k]["max"],
                         note="median [min, max] over t") for k in ("critic", "actor", "approx")))
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if reasons else "pass",
        summary=(f"conformance θ {conf['theta']:.2g}, μ {conf['mean_field']:.2g}; violations L5 "
                 f"{len(bad['lemma5'])}, L8 {len(bad['lemma8'])}; min slack L5 {mins['lemma5']:.3g}, L8 "
                 f"{mins['lemma8']:.3g}; median ε_critic {eps['critic']['median']:.3g}, ε_actor "
                 f"{eps['actor']['median']:.3g}, ε_approx {eps['approx']['median']:.3g}"),
        stated=tuple(Figure(name=f"{label}: {k}", value=v) for k, v in record["constants"].items()),  # type: ignore[union-attr]
        measured=measured, reading=READING, reasons=tuple(reasons), hypotheses=hypotheses,
        evidence=dict(record.values),
    )


def check(algorithm: NAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Lemmas 5 and 8 along runs of ``algorithm`` (own oracle and TD + SGD) on SIS, LQ and the
    contractive control game."""
    grid_cells = cells(profile)
    records = run_cells(grid_cells, measure, algorithm, profile.master_seed)
    verdict = combine(CLAIM_ID, [judge(r) for r in records], labels=[_label(r) for r in records], reading=READING)
    overridden = tuple(dict.fromkeys(f for r in records for f in r["overridden"]))  # type: ignore[union-attr]
    return dataclasses.replace(verdict, overridden=overridden)
