"""mfppo.thm4_1_rate: min_k L(π*) - L(π_k) of the given MF-PPO (Alg 1-3) against K, with L(π*) exact.

Theorem 4.1 assumes Q^π in the network's class (Assumption 1: linear in d). Each instance is
screened first: the relative residual of the best linear-in-d fit of Q^{π_k} along the exact
twin's iterates (and the class-twin vs exact-twin distance) is measured; where Assumption 1
fails the instance is ``not_applicable`` (the generic instance), where it holds (the linear
instance, :func:`mfcheck.algorithms.mfppo.linear_instance.linear_problem`) the neural run's
limit as T, m, N grow is the exact twin and the rate is judged. For each K of the grid
Algorithm 1 runs K outer iterations with T = N = t0 K², η = c T^-1/2 (the paper's order; see
the reading), and the gap ``min_{0<=k<=K} L(π*) - L(π_k)`` (eq 4.1, ν* of the optimal policy)
is computed per run from the policies the run produced; the K-exponent is judged by
:func:`mfcheck.judgement.judge_rate` (margin and confidence from the toml). The theorem's bound
(E.24) is at least M/((1-γ)v√K) >= 2R_A²/((1-γ)v√K), above any possible gap at these settings:
it is reported, not judged. The screen (one cell per instance) and the K sweep (one cell per
(instance, init, K)) run through :func:`mfcheck.judgement.run_cells`, their sizes in their
settings; ``evidence["curves"]`` draws the neural, plain-init and exact-twin gaps against K.
Reference: MF-PPO Theorem 4.1, Assumption 1, eq (E.24), Algorithm 1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.class_twin import td_fixed_point
from mfcheck.algorithms.mfppo.ideal import run_energy_form
from mfcheck.algorithms.mfppo.linear_instance import (
    linear_problem,
    linearity_residual,
    mean_field_dependent_problem,
)
from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    expected_total_reward,
    optimal_policy,
    q_function,
    stationary_distribution,
)
from mfcheck.algorithms.protocol import configure
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
    named_rng,
    not_applicable,
    rate_verdict,
    run_cells,
)

CLAIM_ID = "mfppo.thm4_1_rate"
DEFAULT_ALGORITHM = MFPPO_DEFAULT
INSTANCES = {"generic": mean_field_dependent_problem, "linear": linear_problem}
ASSUMPTION_1 = "Assumption 1: Q^π linear in d (realisable)"


@dataclass(frozen=True, kw_only=True)
class PpoThm41RateSizes:
    """The K sweep: grid, runs (network initialisations) per K, v, T = N = t0 K², m, η = c T^-1/2."""

    k_grid: tuple[int, ...]
    n_seeds: int
    v: float = 0.05
    t0: int = 64
    width: int = 64
    step_scale: float = 10.0
    #: also run the paper's plain initialisation and report it beside the checked symmetric one
    report_plain: bool = True


SIZES = {"quick": PpoThm41RateSizes(k_grid=(1, 2, 4, 8), n_seeds=8),
         "full": PpoThm41RateSizes(k_grid=(1, 2, 4, 8, 16), n_seeds=12)}

READING = (
    "Judged on instances where Assumption 1 holds (Q^π linear in d for every π); others are not "
    "applicable. Symmetric initialisation (paired units, F_θ0 ≡ 0, Cai et al. 2019) is the checked "
    "reading; the paper's plain init is run and reported beside it. T = N = t0 K² (the theorem's "
    "Ω(K³) is unaffordable), m fixed, η = c T^-1/2 (the paper's order; with c = 1 the learning "
    "horizon ηT = √T is too short at feasible T). L normalised (Sec 2), min over 0 <= k <= K."
)


#: the settings that size a cell; its runs come from the others (what it is)
SIZE_SETTINGS = ("t0", "v", "width", "step_scale")


def problem_of(name: str, master_seed: int) -> MeanFieldProblem:
    return INSTANCES[name](named_rng(master_seed, CLAIM_ID, f"instance:{name}"))


def sized(algorithm: MFPPO, sizes: PpoThm41RateSizes, big_k: int, *, symmetric: bool) -> tuple[MFPPO, tuple[str, ...]]:
    t = sizes.t0 * big_k * big_k
    configured = configure(algorithm, n_iterations=big_k, v=sizes.v, n_steps=t, n_agents=t, width=sizes.width,
                           step_size=sizes.step_scale / np.sqrt(t), symmetric_init=symmetric)
    return configured.algorithm, configured.overridden


def sizes_of(cell: Cell) -> PpoThm41RateSizes:
    """The sizes a cell carries (its K as the grid, one run)."""
    return PpoThm41RateSizes(k_grid=(int(cell["K"]),), n_seeds=1, v=float(cell["v"]), t0=int(cell["t0"]),  # type: ignore[arg-type]
                 width=int(cell["width"]), step_scale=float(cell["step_scale"]))  # type: ignore[arg-type]


def screen_values(problem: MeanFieldProblem, algorithm: MFPPO) -> dict[str, float | int]:
    """Assumption 1 along the exact twin's iterates (and π_0): the largest relative residual of the
    best linear-in-d fit of Q^π_k, and the class twin's max_k mean L1 distance to the exact twin."""
    twin = algorithm.exact_twin(problem)[0]
    residual = max(linearity_residual(problem, q_function(problem, pi)) for pi in twin)
    classed = run_energy_form(problem, algorithm.n_iterations, algorithm.v,
                              lambda pi: td_fixed_point(problem, pi), schedule=algorithm.schedule,
                              proximal=algorithm.proximal_target)[0]
    distance = float(np.abs(classed - twin).sum(-1).mean(-1).max())
    return {"residual": float(residual), "class_twin_distance": distance, "n_iterates": len(twin)}


def screen_hypothesis(values: Mapping[str, Any]) -> Hypothesis:
    """The Assumption 1 hypothesis from :func:`screen_values` (a screen cell's record)."""
    residual = float(values["residual"])
    holds = residual <= get_claim(CLAIM_ID).threshold("linearity_rtol")
    return Hypothesis(name=ASSUMPTION_1, holds=holds, measured=residual,
                      note=f"relative residual of the best linear-in-d fit of Q^π_k over the exact twin's "
                           f"{values['n_iterates']} iterates; class twin vs exact twin: max_k mean L1 "
                           f"{float(values['class_twin_distance']):.3g}")


def assumption_1(problem: MeanFieldProblem, algorithm: MFPPO) -> Hypothesis:
    """Assumption 1 screened along the exact twin's iterates (and π_0): residual of the best fit."""
    return screen_hypothesis(screen_values(problem, algorithm))


def gaps_of(problem: MeanFieldProblem, policies: Array) -> Array:
    """min_{0<=k<=K} L(π*) - L(π_k) per run (normalised L, eq 4.1), policies [K+1, R, X, M]."""
    pi_star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, pi_star)
    star = expected_total_reward(problem, pi_star, nu_star)
    return (star - expected_total_reward(problem, policies, nu_star)).min(axis=0)


def _size_axes(s: PpoThm41RateSizes) -> dict[str, list]:
    return {"t0": [s.t0], "v": [s.v], "width": [s.width], "step_scale": [s.step_scale]}


def screen_cells(profile: Profile) -> list[Cell]:
    """One screen cell per instance, at the largest K of the grid."""
    s = SIZES[profile.name]
    return grid(CLAIM_ID, part=["screen"], instance=list(INSTANCES), K=[max(s.k_grid)], **_size_axes(s))


def cells(profile: Profile, instance: str) -> list[Cell]:
    """The K sweep of one instance: one cell per (init, K), ``runs`` initialisations each."""
    s = SIZES[profile.name]
    inits = ["symmetric", "plain"] if s.report_plain else ["symmetric"]
    return grid(CLAIM_ID, instance=[instance], init=inits, K=s.k_grid, runs=[s.n_seeds], **_size_axes(s))


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: (instance, init, K, runs)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """A screen cell: :func:`screen_values` on the exact twin of the algorithm sized at the cell's
    K. A sweep cell: run the sized algorithm (``runs`` initialisations) and its exact twin; gaps
    from the policies."""
    problem = problem_of(str(cell["instance"]), master_seed)
    if cell.get("part") == "screen":
        screened, _ = sized(algorithm, sizes_of(cell), int(cell["K"]), symmetric=True)  # type: ignore[arg-type]
        return Record.of(cell, **screen_values(problem, screened))
    sized_algorithm, _ = sized(algorithm, sizes_of(cell), int(cell["K"]), symmetric=cell["init"] == "symmetric")  # type: ignore[arg-type]
    history = sized_algorithm.run(problem, identity(cell).rng(master_seed, "run"), n_runs=int(cell["runs"]))  # type: ignore[arg-type]
    policies = np.asarray(history.policies)
    twin = sized_algorithm.exact_twin(problem)[0]
    return Record.of(cell, gaps=gaps_of(problem, policies), twin_gap=float(gaps_of(problem, twin[:, None])[0]),
                     twin_distance=float(np.abs(policies[-1] - twin[-1]).sum(-1).mean()))


def _rows(records: list[Record], init: str, name: str) -> Array:
    return np.array([r[name] for r in records if r.cell["init"] == init], dtype=float)


def gap_curves(records: list[Record], label: str, stated: float) -> list[dict]:
    """The report's panel: min_k gap against K, log-log: the neural runs (symmetric init, and the
    plain init when run; runs as seeds), the exact twin, and the stated slope anchored at the
    neural mean at the first K."""
    grid_k = [int(r.cell["K"]) for r in records if r.cell["init"] == "symmetric"]  # type: ignore[arg-type]
    neural = _rows(records, "symmetric", "gaps")
    series = [{"label": "neural MF-PPO (symmetric init)", "x": grid_k, "y_per_seed": neural.T.tolist()}]
    if any(r.cell["init"] == "plain" for r in records):
        series.append({"label": "neural MF-PPO (plain init, reported)", "x": grid_k,
                       "y_per_seed": _rows(records, "plain", "gaps").T.tolist()})
    series.append({"label": "exact twin (exact Q)", "x": grid_k, "y": _rows(records, "symmetric", "twin_gap").tolist()})
    anchor = float(neural[0].mean())
    series.append({"label": f"stated K^{stated:g} (at the neural mean, K = {grid_k[0]})", "x": grid_k,
                   "y": [anchor * (k / grid_k[0]) ** stated for k in grid_k], "reference": True})
    return [{"title": f"thm4_1_rate ({label}): min_k L(π*) - L(π_k) against K", "xlabel": "K (outer iterations)",
             "ylabel": "min_k gap", "logx": True, "logy": True, "series": series}]


def judge(records: list[Record], algorithm: MFPPO, master_seed: int, *, gamma: float, label: str) -> Verdict:
    """The checked K-exponent (symmetric init) with the plain init, the exact twin and the bound
    reported; the K grid, v and whether the plain init ran are read from the records."""
    grid_k = [int(r.cell["K"]) for r in records if r.cell["init"] == "symmetric"]  # type: ignore[arg-type]
    v = float(records[0].cell["v"])  # type: ignore[arg-type]
    report_plain = any(r.cell["init"] == "plain" for r in records)
    checked = judge_rate(CLAIM_ID, "K", label=f"neural MF-PPO, {label}", grid=grid_k,
                         errors=np.maximum(_rows(records, "symmetric", "gaps"), 1e-15), master_seed=master_seed)
    twin_gaps = _rows(records, "symmetric", "twin_gap")
    twin_slope = float(np.polyfit(np.log(grid_k), np.log(twin_gaps), 1)[0])
    lowest_bound = 2 * algorithm.radius_actor**2 / ((1 - gamma) * v * np.sqrt(max(grid_k)))
    extra = [Figure(name="mean min_k gap per K", value=" ".join(f"{x:.4g}" for x in _rows(records, "symmetric", "gaps").mean(1))),
             Figure(name="exact twin min_k gap per K", value=" ".join(f"{x:.4g}" for x in twin_gaps),
                    note=f"log-log slope {twin_slope:.2f}"),
             Figure(name="mean L1 distance of π_K to the exact twin's per K",
                    value=" ".join(f"{x:.3g}" for x in _rows(records, "symmetric", "twin_distance"))),
             Figure(name="(E.24) lower bound 2R_A²/((1-γ)v√K) at the largest K", value=float(lowest_bound),
                    note="the bound holds trivially when this exceeds r̄ = 1 >= any gap; not judged")]
    evidence: dict[str, object] = {"k_grid": grid_k, "gaps": _rows(records, "symmetric", "gaps").tolist(),
                                   "twin_gaps": twin_gaps.tolist(), "twin_slope": twin_slope,
                                   "bound_lower": float(lowest_bound)}
    if report_plain:
        plain = judge_rate(CLAIM_ID, "K", label=f"plain init (reported), {label}", grid=grid_k,
                           errors=np.maximum(_rows(records, "plain", "gaps"), 1e-15), master_seed=master_seed)
        extra += [*plain.figures(), Figure(name="plain init: mean min_k gap per K",
                                           value=" ".join(f"{x:.4g}" for x in _rows(records, "plain", "gaps").mean(1)))]
        evidence["plain"] = {**plain.evidence(), "gaps": _rows(records, "plain", "gaps").tolist()}
    evidence["curves"] = gap_curves(records, label, checked.spec.stated_exponent)
    verdict = rate_verdict(CLAIM_ID, [checked], quantity="min_k L(π*) - L(π_k)", reading=READING, evidence=evidence)
    return dataclasses.replace(verdict, measured=verdict.measured + tuple(extra))


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Screen each instance for Assumption 1; judge the K-rate where it holds. The judged parts'
    fits and curves are lifted to the top of the evidence (the report draws them from there)."""
    sizes = SIZES[profile.name]
    parts, labels = [], []
    overridden = sorted({name for k in sizes.k_grid for init in (True, False)
                         for name in sized(algorithm, sizes, k, symmetric=init)[1]})
    screens = run_cells(screen_cells(profile), measure, algorithm, profile.master_seed)
    for screened in screens:
        name = str(screened.cell["instance"])
        hypothesis = screen_hypothesis(screened.values)
        if not hypothesis.holds:
            parts.append(not_applicable(CLAIM_ID, hypothesis, reading=READING))
        else:
            records = run_cells(cells(profile, name), measure, algorithm, profile.master_seed)
            verdict = judge(records, algorithm, profile.master_seed, gamma=problem_of(name, profile.master_seed).gamma,
                            label=f"{name} instance")
            parts.append(dataclasses.replace(verdict, hypotheses=(hypothesis,)))
        labels.append(f"{name} instance")
    judged = [p for p in parts if p.status in ("pass", "fail")]
    lifted = {"fits": [f for p in judged for f in p.evidence.get("fits", [])],
              "curves": [c for p in judged for c in p.evidence.get("curves", [])]}
    return dataclasses.replace(combine(CLAIM_ID, parts, reading=READING, labels=labels, evidence=lifted),
                               overridden=tuple(overridden))
