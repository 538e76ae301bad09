"""MFG-NAC Lemma 7: ‖μ_{t+1} - μ*‖_1 <= (1 - β_t d̄)‖μ_t - μ*‖_1 + d2 C2 β_t sqrt(σ^π_t), along runs.

A checker in three parts. Grid: the contractive control game (d̄ > 0) and SIS (d̄ < 0) with the
given NAC's own oracle, and the control game with TD + SGD (Algorithms 2-3). Cell -> record
(:func:`measure`): run the NAC value; from its iterates alone compute π_{θ_t}, the deviations
from Algorithm 1's update with the algorithm's own (η_t, β_t) = ``steps(t, T)``, σ^π_t, C2,
the equilibrium μ* the run approaches and Lemma 6's estimates of d1, d2, d3 there
(:mod:`mfcheck.solvers.lipschitz`). Judgement (:func:`judge`): d̄ = 1 - d1 d2 - d3 <= 0 is a
certified violation of the hypothesis (the estimates are lower bounds), so that cell is
not_applicable; d̄ > 0 is estimated, not certified; a run that does not follow Algorithm 1
fails its conformance part; the inequality (and the proof's step (7)) must hold at every t.

Lemma 7 has no oracle-error term: ε_total reaches it only through σ^π_t, so the TD + SGD cell
reports the realised ε_critic, ε_actor, ε_approx beside it (:mod:`mfcheck.solvers.oracle_errors`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT
from mfcheck.algorithms.nac.audited_run import (
    audited_run,
    case_steps,
    mean_field_step_hypothesis,
    schedule,
)
from mfcheck.algorithms.nac.sampled_run import td_sgd_oracle
from mfcheck.algorithms.protocol import configure
from mfcheck.instances import contractive_game, sis
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
    named_rng,
    run_cells,
    screen,
)
from mfcheck.solvers.along_run import approached_equilibrium, conformance_reasons, run_quantities
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.solvers.lipschitz import estimate_constants, reference_visitation
from mfcheck.solvers.oracle_errors import run_errors

CLAIM_ID = "mfgnac.lemma7"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
Array = NDArray[np.float64]
D_BAR = "d̄ = 1 - d1 d2 - d3 > 0"

READING = (
    "Runs of the given NAC value; everything judged is computed from its iterates: π_t = π_{θ_t}, "
    "(η_t, β_t) = steps(t, T) from its schedules and their scales, conformance to "
    "θ_{t+1} = (1 - η_tλ)θ_t + η_tŵ_t, μ_{t+1} = (1 - β_t)μ_t + β_tΓ2(π_t, μ_t), θ_0 = 0, μ_0 = ρ. "
    "μ* = the equilibrium closest to μ_T; σ^π_t = E_{d*_t}[KL(π*_t‖π_t)], π*_t = Γ1^λ(μ_t), d*_t = "
    "d^{π*_t}_{μ_t}; d1, d2, d3 estimated (from below) as in mfgnac.lemma6 with D weighted by "
    "d* = d^{π*}_{μ*}; C2 = sup_t (E_{d*_t}[(d*/d*_t)²])^{1/2} along the run. d̄ <= 0 from the "
    "estimates certifies that the hypothesis fails (not_applicable); d̄ > 0 is estimated, not "
    "certified. The paper's algorithm runs each instance with its steps (control η = 0.1, β = 0.05; "
    "SIS η = 0.05, β = 0.01); a variant with its own schedules keeps them. The 'td_sgd' cell "
    "replaces the oracle by Algorithm 2 (TD(0), Proposition 1's α_k, ball 2 sqrt(|S||A|)Q_max) + "
    "Algorithm 3 (SGD, step R/(ρ√K), ball 2), K steps, batch 16. Step (7), with β d2 D(π*_t, π_t) "
    "in place of d2 C2 β sqrt(σ_t), is reported too."
)


@dataclass(frozen=True, kw_only=True)
class Case:
    """An instance with the steps the paper's algorithm runs it with."""

    game: str
    eta: float
    beta: float


GAMES = {"control": lambda: contractive_game(lam=1.0), "sis": lambda: sis(lam=1.0)}
CASES: dict[str, Case] = {"control": Case(game="control", eta=0.1, beta=0.05),
                          "sis": Case(game="sis", eta=0.05, beta=0.01)}


@dataclass(frozen=True, kw_only=True)
class NacLemma7Sizes:
    """T of the runs, random pairs of the d1, d3 estimates, T and K of the TD + SGD run."""

    n_iterations: int
    n_pairs: int
    sampled_iterations: int
    oracle_steps: int


SIZES = {"quick": NacLemma7Sizes(n_iterations=300, n_pairs=30, sampled_iterations=300, oracle_steps=128),
         "full": NacLemma7Sizes(n_iterations=3000, n_pairs=200, sampled_iterations=1000, oracle_steps=256)}


def cells(profile: Profile) -> list[Cell]:
    """Own oracle on the control game and SIS; TD + SGD on the control game."""
    s = SIZES[profile.name]
    return (grid(CLAIM_ID, case=["control", "sis"], oracle=["own"], T=[s.n_iterations], K=[0], pairs=[s.n_pairs])
            + grid(CLAIM_ID, case=["control"], oracle=["td_sgd"], T=[s.sampled_iterations], K=[s.oracle_steps],
                   pairs=[s.n_pairs]))


@cache
def _equilibria(game: str) -> tuple[Array, ...]:
    """The equilibrium mean fields of a game of :data:`GAMES` (deterministic, shared by cells)."""
    return tuple(equilibrium_mean_fields(GAMES[game]()))


def d_bar_hypothesis(d1: float, d2: float, d3: float) -> Hypothesis:
    """d̄ > 0 from lower-bound estimates: a violation is certified, the hypothesis is not."""
    d_bar = 1.0 - d1 * d2 - d3
    return Hypothesis(name=D_BAR, holds=d_bar > 0, measured=d_bar, certified=not d_bar > 0,
                      note=f"d1 = {d1:.4g}, d2 = {d2:.4g}, d3 = {d3:.4g} (lower-bound estimates)")


def measure(cell: Cell, algorithm: NAC, master_seed: int) -> Record:
    """Run one cell; from the iterates: conformance, μ*, d1 d2 d3, C2, σ^π_t and both sides."""
    case = CASES[str(cell["case"])]
    game = GAMES[case.game]()
    settings: dict[str, object] = {"n_iterations": int(cell["T"]), **case_steps(algorithm, case.eta, case.beta)}
    if cell["oracle"] == "td_sgd":
        settings["oracle"] = td_sgd_oracle(game, n_steps=int(cell["K"]))
    configured = configure(algorithm, **settings)
    nac = configured.algorithm
    _, betas = schedule(nac)
    base = {"case": cell["case"], "game": game.name, "lam": game.lam, "overridden": list(configured.overridden),
            "beta": [float(betas.min()), float(betas.max())]}
    step = mean_field_step_hypothesis(betas)
    if not step.holds:
        return Record.of(cell, **base, hypotheses=[dataclasses.asdict(step)])
    run = audited_run(nac, game, cell.rng(master_seed, "oracle"))
    traj = run.trajectory
    mu_star = approached_equilibrium(game, traj.mean_fields[-1], _equilibria(case.game))
    # one estimate per (game, μ*): the cells on the same game draw the same pairs
    est = estimate_constants(game, reference_visitation(game, mu_star), named_rng(master_seed, CLAIM_ID, case.game),
                             n_pairs=int(cell["pairs"]), n_local=2, extra_points=[mu_star])
    hypotheses = [step, d_bar_hypothesis(est.d1, est.d2, est.d3)]
    base.update(hypotheses=[dataclasses.asdict(h) for h in hypotheses], conformance=run.conformance(),
                d1=est.d1, d2=est.d2, d3=est.d3, d_bar=est.d_bar, mu_star=mu_star.tolist())
    if not est.d_bar > 0:
        return Record.of(cell, **base)
    q = run_quantities(game, run.policies, traj.mean_fields, traj.w_hats, mu_star)
    c2 = q.constants["C2"]
    lhs = q.mu_error[1:]
    contraction = (1 - betas * est.d_bar) * q.mu_error[:-1]
    sigma_term = est.d2 * c2 * betas * np.sqrt(q.sigma[:-1])
    rhs, rhs7 = contraction + sigma_term, contraction + betas * est.d2 * q.distance_star[:-1]
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    errors = run_errors(game, run.phi, traj.thetas[:-1], traj.mean_fields[:-1], traj.q_hats, traj.w_hats)
    return Record.of(
        cell, **base, constants=q.constants, C2=c2,
        violations=np.flatnonzero(lhs > rhs + rtol * np.maximum(1.0, rhs)).tolist(),
        violations_step7=int(np.sum(lhs > rhs7 + rtol * np.maximum(1.0, rhs7))),
        min_slack=float((rhs - lhs).min()), final_mu_error=float(q.mu_error[-1]),
        ratio_median=float(np.median(lhs / rhs)), sigma_term_share_median=float(np.median(sigma_term / rhs)),
        sigma_median=float(np.median(q.sigma)), epsilon=errors.stats(),
        mu_error=q.mu_error[:: max(1, lhs.size // 50)].tolist(),
    )


def _label(record: Record) -> str:
    return f"{record['case']} ({record.cell['oracle']} oracle)"


def judge(record: Record) -> Verdict:
    """One cell's verdict: not_applicable on a violated hypothesis (d̄ <= 0 certified, β_t outside
    [0, 1]); fail when the iterates do not follow Algorithm 1 or the inequality fails at some t."""
    hypotheses = tuple(Hypothesis(**h) for h in record["hypotheses"])  # type: ignore[union-attr]
    screened = screen(CLAIM_ID, hypotheses, reading=READING, evidence=dict(record.values))
    if screened is not None:
        return screened
    conf: dict = record["conformance"]  # type: ignore[assignment]
    reasons = conformance_reasons(conf, get_claim(CLAIM_ID).threshold("conformance_tol"))
    bad: list = record["violations"]  # type: ignore[assignment]
    lhs_rhs = "‖μ_{t+1} - μ*‖ > (1 - β_t d̄)‖μ_t - μ*‖ + d2 C2 β_t sqrt(σ_t)"
    if bad:
        reasons.append(f"{lhs_rhs} at {len(bad)} steps (first t = {bad[:5]}), min slack {record['min_slack']:.3g}")
    label = _label(record)
    eps: dict = record["epsilon"]  # type: ignore[assignment]
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if reasons else "pass",
        summary=(f"d̄ = {record['d_bar']:.4g} (estimated), C2 = {record['C2']:.4g}; conformance θ "
                 f"{conf['theta']:.2g}, μ {conf['mean_field']:.2g}; {len(bad)} violations "
                 f"({record['violations_step7']} of step (7)); min slack {record['min_slack']:.3g}; "
                 f"‖μ_T - μ*‖ = {record['final_mu_error']:.3g}"),
        stated=(Figure(name=f"{label}: d̄", value=record["d_bar"], note="estimated, not certified"),  # type: ignore[arg-type]
                Figure(name=f"{label}: C2", value=record["C2"]), Figure(name=f"{label}: d2", value=record["d2"])),  # type: ignore[arg-type]
        measured=(Figure(name=f"{label}: max conformance deviation θ", value=conf["theta"]),
                  Figure(name=f"{label}: max conformance deviation μ", value=conf["mean_field"]),
                  Figure(name=f"{label}: violations", value=len(bad)),
                  Figure(name=f"{label}: min slack", value=record["min_slack"]),  # type: ignore[arg-type]
                  Figure(name=f"{label}: ‖μ_T - μ*‖_1", value=record["final_mu_error"]),  # type: ignore[arg-type]
                  Figure(name=f"{label}: median LHS/RHS", value=record["ratio_median"]),  # type: ignore[arg-type]
                  *(Figure(name=f"{label}: ε_{k}", value=eps[k]["median"], low=eps[k]["min"], high=eps[k]["max"],
                           note="median [min, max] over t") for k in ("critic", "actor", "approx"))),
        reading=READING, reasons=tuple(reasons), hypotheses=hypotheses, evidence=dict(record.values),
    )


def check(algorithm: NAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Lemma 7 along runs of ``algorithm`` on the control game (d̄ > 0, own oracle and TD + SGD)
    and on SIS (d̄ < 0: not applicable)."""
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    verdict = combine(CLAIM_ID, [judge(r) for r in records], labels=[_label(r) for r in records], reading=READING)
    overridden = tuple(dict.fromkeys(f for r in records for f in r["overridden"]))  # type: ignore[union-attr]
    return dataclasses.replace(verdict, overridden=overridden)
