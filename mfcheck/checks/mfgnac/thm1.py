"""mfgnac.thm1: with η = T^{-2/5}/λ, β = T^{-4/5}, D(π*, avg π_t) + ‖μ* - avg μ_t‖₁ = Õ(T^{-1/5}) + oracle term.

MFG-NAC Theorem 1 (App B.3, eqs. 14-17). D(π, π') = E_{s~d*}‖π(·|s) - π'(·|s)‖₁ with
d* = d^{π*}_{μ*}; avg π_t and avg μ_t are the averages of the iterates t = 0..T-1.

A checker in three parts. Grid: per instance, a screen cell (the hypotheses), and, where they
are not violated, runs over T of the given NAC (its own oracle; Theorem 1's schedule unless the
variant brings its own) from μ_0 = ρ and from Dirichlet(1) draws, and runs of it with the
oracle replaced by Algorithms 2-3 with K = ⌈c T^{4/5}⌉. Cell -> record (:func:`measure`): the
screen estimates d1, d2, d3 (:mod:`mfcheck.solvers.lipschitz`) at each equilibrium; a run's
error is computed from its iterates (π_t = π_{θ_t} recomputed from θ_t, μ_t) against the
equilibrium it approaches, and a sampled run also measures ε_total,t = ε_critic + ε_actor +
ε_approx from (θ_t, μ_t, q̂_t, ŵ_t) (:mod:`mfcheck.solvers.oracle_errors`). Judgement: d̄ <= 0
(from lower-bound estimates) or two equilibria certify that the hypothesis fails:
not_applicable; the exponent in T through :func:`mfcheck.judgement.judge_rate`; the sampled
part only where the measured ε_total decays like T^{-4/5}, the rate at which the bound's
oracle term ε_total^{1/4} keeps pace with T^{-1/5} (else not_applicable, figures reported).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT, theorem_steps
from mfcheck.algorithms.nac.sampled_run import td_sgd_oracle
from mfcheck.algorithms.protocol import configure, default_of
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
    judge_rate,
    not_applicable,
    rate_verdict,
    run_cells,
    screen,
)
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import find_equilibria
from mfcheck.solvers.along_run import approached_equilibrium, log_linear_policies
from mfcheck.solvers.lipschitz import estimate_constants, reference_visitation
from mfcheck.solvers.oracle_errors import run_errors

CLAIM_ID = "mfgnac.thm1"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
Array = NDArray[np.float64]
D_BAR = "d̄ = 1 - d1 d2 - d3 > 0"
UNIQUE = "a unique equilibrium (Λ^λ a contraction)"
ORACLE = "ε_total decays like T^-4/5 (oracle term ε_total^1/4 ~ T^-1/5)"

READING = (
    "Error = D(π*, avg π_t) + ‖μ* - avg μ_t‖_1 with D weighted by d* = d^{π*}_{μ*} (discounted "
    "visitation from ρ), avg over t = 0..T-1, π_t = π_{θ_t} recomputed from θ_t; μ* = the "
    "equilibrium nearest to μ_T. The paper's NAC runs Theorem 1's schedule η = T^-2/5/λ, "
    "β = T^-4/5 (constants 1); a variant's own schedules are kept. 'given' cells: the algorithm's "
    "own oracle (the default's is exact: ε_total = 0), μ_0 = ρ and Dirichlet(1) draws (one fit per "
    "μ_0, seeds = oracle draws). 'td_sgd' cells: the oracle replaced by Algorithm 2 (TD(0), "
    "Proposition 1's α_k, ball 2 sqrt(|S||A|) Q_max) + Algorithm 3 (SGD, step R/(ρ√K), ball 2), "
    "K = ceil(c T^4/5) each, batch 16, μ_0 = ρ; judged only where the measured ε_total (median over "
    "t of ε_critic + ε_actor + ε_approx, realised, mean over seeds) decays like T^-4/5 between every "
    "two consecutive T of the fitted range (exponent <= -0.8 + margin), else not_applicable with its "
    "figures reported. "
    "Hypotheses screened first: "
    "d̄ from Lemma 6's lower-bound estimates of d1, d2, d3 at every equilibrium (d̄ <= 0 certifies "
    "the violation; d̄ > 0 is estimated, not certified) and the number of equilibria (two verified "
    "fixed points certify that Λ^λ is no contraction)."
)


@dataclass(frozen=True, kw_only=True)
class NacThm1Sizes:
    """Per-profile grid."""

    instances: tuple[tuple[str, float, float], ...]  # (game, γ, λ)
    horizons: tuple[int, ...]  # T of the 'given' cells
    initials: int  # μ_0: ρ plus this many Dirichlet(1) draws
    seeds: int  # oracle draws per (μ_0, T)
    sampled_horizons: tuple[int, ...]  # T of the 'td_sgd' cells
    sampled_seeds: int
    oracle_scale: float  # K = ceil(oracle_scale T^{4/5})
    n_pairs: int  # random pairs of the d1, d3 estimates
    n_local: int  # finite-difference points of the estimates


SIZES = {
    "quick": NacThm1Sizes(instances=(("sis", 0.9, 0.1), ("sis", 0.9, 0.3), ("contractive", 0.9, 1.0)),
                   horizons=(100, 316, 1000, 3162), initials=1, seeds=2, sampled_horizons=(100, 316, 1000),
                   sampled_seeds=4, oracle_scale=0.125, n_pairs=20, n_local=2),
    "full": NacThm1Sizes(instances=(("sis", 0.9, 0.1), ("sis", 0.9, 0.3), ("sis", 0.8, 0.1), ("sis", 0.95, 0.1),
                             ("contractive", 0.9, 1.0), ("contractive", 0.9, 10.0)),
                  horizons=(100, 316, 1000, 3162, 10000, 31623), initials=3, seeds=2,
                  sampled_horizons=(100, 316, 1000, 3162), sampled_seeds=8, oracle_scale=0.125, n_pairs=100,
                  n_local=4),
}


def make_game(name: str, gamma: float, lam: float) -> MeanFieldGame:
    """SIS of App D (ρ = (0.4, 0.6)) or the contractive control game (γ = 0.9 built in)."""
    if name == "sis":
        return sis(gamma=gamma, lam=lam)  # type: ignore[return-value]
    if name == "contractive" and gamma == 0.9:
        return contractive_game(lam=lam)
    raise ValueError(f"{CLAIM_ID}: unknown instance {name!r} with γ = {gamma}")


def _instance(cell: Cell) -> dict[str, object]:
    return {"game": cell["game"], "gamma": cell["gamma"], "lam": cell["lam"]}


def label(cell: Cell) -> str:
    return f"{cell['game']}(γ={cell['gamma']}, λ={cell['lam']})"


def oracle_steps(scale: float, n_iterations: int) -> int:
    """K = ceil(scale T^{4/5}) of the sampled cells."""
    return max(1, math.ceil(scale * n_iterations ** 0.8))


def screen_cells(profile: Profile) -> list[Cell]:
    s = SIZES[profile.name]
    return [c for g, gamma, lam in s.instances
            for c in grid(CLAIM_ID, part=["screen"], game=[g], gamma=[gamma], lam=[lam], pairs=[s.n_pairs],
                          local=[s.n_local])]


def run_cells_of(profile: Profile, instance: dict[str, object]) -> list[Cell]:
    """The 'given' and 'td_sgd' cells of one instance."""
    s = SIZES[profile.name]
    axes = {k: [v] for k, v in instance.items()}
    given = grid(CLAIM_ID, seeds=s.seeds, part=["given"], **axes, initial=range(s.initials + 1),
                 T=s.horizons, K=[0])
    sampled = [c for T in s.sampled_horizons
               for c in grid(CLAIM_ID, seeds=s.sampled_seeds, part=["td_sgd"], **axes, initial=[0], T=[T],
                             K=[oracle_steps(s.oracle_scale, T)])]
    return given + sampled


@cache
def _equilibria(name: str, gamma: float, lam: float) -> tuple[tuple[Array, Array], ...]:
    """(μ*, π*) of every equilibrium found (deterministic; shared by the cells of an instance)."""
    return tuple((e.mean_field, e.policy) for e in find_equilibria(make_game(name, gamma, lam)))


def schedule_parts(algorithm: NAC, lam: float) -> dict[str, object]:
    """Theorem 1's η, β for each schedule part the algorithm leaves at the paper's default."""
    default = default_of(NAC)
    eta, beta = theorem_steps(lam)
    out: dict[str, object] = {}
    if default is None or algorithm.policy_step == default.policy_step:
        out["policy_step"] = eta
    if default is None or algorithm.mean_field_step == default.mean_field_step:
        out["mean_field_step"] = beta
    return out


def initial_mean_field(cell: Cell, game: MeanFieldGame, master_seed: int) -> Array:
    """μ_0 = ρ (index 0) or a Dirichlet(1) draw keyed by (instance, index), shared across T and seeds."""
    index = int(cell["initial"])  # type: ignore[arg-type]
    if index == 0:
        return game.initial.copy()
    key = Cell.of(CLAIM_ID, {**_instance(cell), "initial": index})
    return key.rng(master_seed, "initial").dirichlet(np.ones(game.n_states))


def measure(cell: Cell, algorithm: NAC, master_seed: int) -> Record:
    """A screen cell: d1, d2, d3 and d̄ at each equilibrium. A run cell: Theorem 1's error from
    the iterates (and, for 'td_sgd', the realised ε_total along the run)."""
    name, gamma, lam = str(cell["game"]), float(cell["gamma"]), float(cell["lam"])  # type: ignore[arg-type]
    game = make_game(name, gamma, lam)
    equilibria = _equilibria(name, gamma, lam)
    if cell["part"] == "screen":
        rows = []
        for mu_star, _ in equilibria:
            est = estimate_constants(game, reference_visitation(game, mu_star), cell.rng(master_seed, "lipschitz"),
                                     n_pairs=int(cell["pairs"]), n_local=int(cell["local"]),  # type: ignore[arg-type]
                                     extra_points=[mu_star])
            rows.append({"mu_star": mu_star.tolist(), "d1": est.d1, "d2": est.d2, "d3": est.d3, "d_bar": est.d_bar})
        return Record.of(cell, equilibria=rows, overridden=[])
    settings: dict[str, object] = {"n_iterations": int(cell["T"]), **schedule_parts(algorithm, lam)}  # type: ignore[arg-type]
    if cell["part"] == "td_sgd":
        settings["oracle"] = td_sgd_oracle(game, n_steps=int(cell["K"]))  # type: ignore[arg-type]
    configured = configure(algorithm, **settings)
    nac = configured.algorithm
    traj = nac.run(game, rng=cell.rng(master_seed, "oracle"), mean_field=initial_mean_field(cell, game, master_seed))
    phi = nac.features(game).phi
    policies = log_linear_policies(phi, traj.thetas)
    mu_star = approached_equilibrium(game, traj.mean_fields[-1], [m for m, _ in equilibria])
    pi_star = next(p for m, p in equilibria if m is mu_star)
    weights = reference_visitation(game, mu_star)
    policy_error = float(weights @ np.abs(pi_star - policies[:-1].mean(axis=0)).sum(axis=1))
    mean_field_error = float(np.abs(mu_star - traj.mean_fields[:-1].mean(axis=0)).sum())
    values: dict[str, object] = {"error": policy_error + mean_field_error, "policy_error": policy_error,
                                 "mean_field_error": mean_field_error, "mu_star": mu_star.tolist(),
                                 "overridden": list(configured.overridden)}
    if cell["part"] == "td_sgd":
        T = nac.n_iterations
        at = np.unique(np.linspace(0, T - 1, min(T, 25)).astype(int))
        errs = run_errors(game, phi, traj.thetas[at], traj.mean_fields[at], traj.q_hats[at], traj.w_hats[at])
        values["epsilon"] = errs.stats()
    return Record.of(cell, **values)


def screen_hypotheses(record: Record) -> tuple[Hypothesis, ...]:
    """d̄ > 0 (best over the equilibria: a violation is certified only if it fails at all) and
    uniqueness of the equilibrium."""
    rows: list = record["equilibria"]  # type: ignore[assignment]
    best = max(rows, key=lambda r: r["d_bar"])
    d_bar = float(best["d_bar"])
    return (
        Hypothesis(name=D_BAR, holds=d_bar > 0, measured=d_bar, certified=not d_bar > 0,
                   note=(f"max over {len(rows)} equilibria; d1 = {best['d1']:.4g}, d2 = {best['d2']:.4g}, "
                         f"d3 = {best['d3']:.4g} (lower-bound estimates)")),
        Hypothesis(name=UNIQUE, holds=len(rows) == 1, measured=f"{len(rows)} equilibria",
                   note="two verified fixed points of Λ^λ would certify it is no contraction (d̄ <= 0)"),
    )


def _errors(records: list[Record], seeds: int) -> tuple[list[int], Array]:
    horizons = sorted({int(r.cell["T"]) for r in records})  # type: ignore[arg-type]
    errors = np.full((len(horizons), seeds), np.nan)
    for r in records:
        errors[horizons.index(int(r.cell["T"])), r.cell.seed_index] = float(r["error"])  # type: ignore[arg-type]
    return horizons, errors


def judge_given(name: str, records: list[Record], profile: Profile) -> Verdict:
    """One fit in T per μ_0 of the algorithm's own-oracle runs."""
    s = SIZES[profile.name]
    judgements = []
    for index in range(s.initials + 1):
        mine = [r for r in records if r.cell["initial"] == index]
        horizons, errors = _errors(mine, s.seeds)
        start = "ρ" if index == 0 else f"Dirichlet draw {index}"
        judgements.append(judge_rate(CLAIM_ID, "T", label=f"{name}, own oracle, μ_0 = {start}", grid=horizons,
                                     errors=errors, master_seed=profile.master_seed))
    return rate_verdict(CLAIM_ID, judgements, quantity="D(π*, avg π_t) + ‖μ* - avg μ_t‖_1", reading=READING)


def judge_sampled(name: str, records: list[Record], profile: Profile) -> Verdict:
    """The TD + SGD runs: screened on the decay of the measured ε_total, then a fit in T."""
    claim = get_claim(CLAIM_ID)
    s = SIZES[profile.name]
    horizons, errors = _errors(records, s.sampled_seeds)
    epsilon = np.array([np.mean([r["epsilon"]["total"]["median"] for r in records  # type: ignore[index]
                                 if r.cell["T"] == T]) for T in horizons])
    # the slowest decay between consecutive T of the fitted range: the oracle term must keep pace there
    start = claim.rate("T").asymptotic_from
    fitted = np.log(np.asarray(horizons[start:], dtype=float))
    decay = float(np.max(np.diff(np.log(epsilon[start:])) / np.diff(fitted)))
    required = claim.threshold("oracle_decay_exponent") + claim.threshold("oracle_decay_margin")
    hypothesis = Hypothesis(name=ORACLE, holds=decay <= required, measured=decay,
                            note=(f"slowest local decay exponent over the fitted T of the median ε_total over t "
                                  f"(mean over seeds): "
                                  f"{', '.join(f'{e:.3g}' for e in epsilon)} at K = "
                                  f"{sorted({int(r.cell['K']) for r in records})}; required <= "  # type: ignore[arg-type]
                                  f"{required:g}"))
    judgement = judge_rate(CLAIM_ID, "T", label=f"{name}, TD + SGD oracles", grid=horizons, errors=errors,
                           master_seed=profile.master_seed)
    evidence = {"epsilon_total_median": epsilon.tolist(), "epsilon_decay_exponent": decay,
                "fit": judgement.evidence(), "K": sorted({int(r.cell["K"]) for r in records})}  # type: ignore[arg-type]
    if not hypothesis.holds:
        verdict = not_applicable(CLAIM_ID, hypothesis, reading=READING, evidence=evidence)
        reported = (dataclasses.replace(f, note=f"{f.note}; reported, not judged (oracle term dominates)".lstrip("; "))
                    for f in judgement.figures())
        return dataclasses.replace(verdict, measured=(
            *reported, Figure(name=f"{name}: slowest ε_total decay exponent in T", value=decay)))
    verdict = rate_verdict(CLAIM_ID, [judgement], quantity="D(π*, avg π_t) + ‖μ* - avg μ_t‖_1 (TD + SGD)",
                           reading=READING, evidence=evidence)
    return dataclasses.replace(verdict, hypotheses=(hypothesis,),
                               measured=(*verdict.measured, Figure(name=f"{name}: slowest ε_total decay exponent in T",
                                                                   value=decay)))


def _short(label: str, part: Verdict) -> str:
    """One clause per part: the exponents judged, or the hypothesis that failed and its value."""
    if part.status == "not_applicable":
        h = next(h for h in part.hypotheses if not h.holds)
        value = f"{h.measured:.3g}" if isinstance(h.measured, float) else str(h.measured)
        return f"{label}: not applicable ({h.name}: {value})"
    exps = [f"{f.value:.3f} [{f.low:.3f}, {f.high:.3f}]" for f in part.measured if "T-exponent" in f.name]
    return f"{label}: {part.status}, T-exponent {', '.join(exps)}"


def check(algorithm: NAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Theorem 1 on SIS (screened: not applicable) and the contractive game (judged)."""
    screens = run_cells(screen_cells(profile), measure, algorithm, profile.master_seed)
    parts: list[Verdict] = []
    labels: list[str] = []
    overridden: dict[str, None] = {}
    for rec in screens:
        name = label(rec.cell)
        hypotheses = screen_hypotheses(rec)
        screened = screen(CLAIM_ID, hypotheses, reading=READING, evidence=dict(rec.values))
        if screened is not None:
            parts.append(dataclasses.replace(screened, hypotheses=hypotheses))
            labels.append(name)
            continue
        records = run_cells(run_cells_of(profile, _instance(rec.cell)), measure, algorithm, profile.master_seed)
        overridden.update(dict.fromkeys(f for r in records for f in r["overridden"]))  # type: ignore[union-attr]
        given = judge_given(name, [r for r in records if r.cell["part"] == "given"], profile)
        sampled = judge_sampled(name, [r for r in records if r.cell["part"] == "td_sgd"], profile)
        parts += [dataclasses.replace(given, hypotheses=hypotheses), sampled]
        labels += [f"{name} own oracle", f"{name} TD + SGD"]
    verdict = combine(CLAIM_ID, parts, labels=labels, reading=READING,
                      summary="; ".join(_short(lab, p) for lab, p in zip(labels, parts)))
    # figures of the parts screened out after running (TD + SGD): reported, not judged
    reported = tuple(f for p in parts if p.status == "not_applicable" for f in p.measured)
    return dataclasses.replace(verdict, overridden=tuple(overridden),
                               measured=(*verdict.measured, *(f for f in reported if f not in verdict.measured)))
