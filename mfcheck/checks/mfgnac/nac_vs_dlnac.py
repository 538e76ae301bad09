"""mfgnac.nac_vs_dlnac: App D (Fig 1-2): NAC lowers exploitability smoothly; DL-NAC zigzags and
keeps a non-zero gap.

A checker in three parts. Grid (what App D leaves open, swept): task (SIS, LQ) at App D's steps
(SIS β = 0.01, η = 0.05; LQ β = 0.05, η = 0.1), γ and λ, the critic (the algorithms' own oracle,
exact by default; App D's sampled critic with learning rate 0.001,
:class:`~mfcheck.algorithms.nac.warm_critic.WarmTDCritic`), DL-NAC's segment length K (from well
below to well above 1/β) and seeds; three arms: the NAC, the DL-NAC, and the critic's floor (the
DL-NAC's policy loop with the mean field held at the equilibrium μ*: what the critic alone
leaves). Cell -> record (:func:`measure`): one run; E(π_{θ_t}) every few iterations, computed by
:func:`mfcheck.solvers.exploitability.exploitability` from the iterates θ_t (App D: E(π) =
max_π' V^{π',λ}_{μ_π}(ρ) - V^{π,λ}_{μ_π}(ρ), μ_π the mean field π induces). Judgement
(:func:`judge_setting`): per (task, γ, λ, critic, K) the three statements separately, from the
curves; thresholds from the toml. The algorithm given is one arm (a NAC: the NAC arm; a DL-NAC:
the DL-NAC arm); the other arm derives from the paper's default of its type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import DLNAC, DLNAC_DEFAULT, NAC, NAC_DEFAULT, Constant
from mfcheck.algorithms.nac.oracles import ExactOracle
from mfcheck.algorithms.nac.warm_critic import WarmTDCritic
from mfcheck.algorithms.protocol import configure, default_of
from mfcheck.instances import linear_quadratic, sis
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Profile,
    Record,
    Verdict,
    get_claim,
    grid,
    named_rng,
    run_cells,
)
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import damped_fixed_point
from mfcheck.solvers.along_run import log_linear_policies
from mfcheck.solvers.exploitability import exploitability

CLAIM_ID = "mfgnac.nac_vs_dlnac"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
Array = NDArray[np.float64]
STATEMENTS = ("nac_ends_lower", "dlnac_zigzags", "dlnac_keeps_gap")
#: App D's hyperparameters per task: NAC's mean-field step β and both algorithms' policy step η
APP_D_STEPS: dict[str, tuple[float, float]] = {"sis": (0.01, 0.05), "lq": (0.05, 0.1)}
#: App D's critic learning rate (both algorithms)
APP_D_CRITIC_LR = 1e-3


@dataclass(frozen=True, kw_only=True)
class AppDTask:
    """A task of App D (its steps: :data:`APP_D_STEPS`) and the sizes the checker runs it at."""

    name: str  # "sis" | "lq"
    n_states: int  # LQ: |S| (App D: 25)
    horizon: int  # T
    every: int  # E(π_t) every this many iterations
    inner_steps: tuple[int, ...]  # DL-NAC segment lengths K
    settings: tuple[tuple[float, float], ...]  # (γ, λ)


@dataclass(frozen=True, kw_only=True)
class NacVsDlnacSizes:
    """Per-profile grid: the tasks with their sizes, the critics and the runs per arm."""

    tasks: tuple[AppDTask, ...]
    critics: tuple[str, ...]  # "own" (the algorithms' own oracle) | "td" (App D's critic, lr 0.001)
    seeds: dict[str, int]  # runs per arm, per critic


SIZES = {
    "quick": NacVsDlnacSizes(
        tasks=(AppDTask(name="sis", n_states=2, horizon=4000, every=25, inner_steps=(10, 100, 1000),
                    settings=((0.9, 0.1), (0.9, 1.0))),
               AppDTask(name="lq", n_states=11, horizon=2000, every=15, inner_steps=(2, 20, 200),
                    settings=((0.9, 0.1),))),
        critics=("own",), seeds={"own": 1}),
    "full": NacVsDlnacSizes(
        tasks=(AppDTask(name="sis", n_states=2, horizon=10000, every=20,
                    inner_steps=(10, 100, 1000), settings=((0.9, 0.1), (0.9, 1.0), (0.8, 0.1), (0.95, 0.3))),
               AppDTask(name="lq", n_states=25, horizon=20000, every=10, inner_steps=(2, 20, 200),
                    settings=((0.9, 0.1), (0.8, 0.3)))),
        critics=("own", "td"), seeds={"own": 2, "td": 10}),
}


def make_game(task: str, n_states: int, gamma: float, lam: float) -> MeanFieldGame:
    """SIS (ρ = (0.4, 0.6)) or the discounted LQ game (ρ uniform) of App D with γ, λ."""
    if task == "sis":
        return sis(gamma=gamma, lam=lam)  # type: ignore[return-value]
    if task == "lq":
        return linear_quadratic(n_states=n_states, gamma=gamma, lam=lam)  # type: ignore[return-value]
    raise ValueError(f"{CLAIM_ID}: unknown task {task!r}")


@cache
def equilibrium(task: str, n_states: int, gamma: float, lam: float) -> Array:
    """μ* of the critic-floor arm: the damped fixed point of Λ^λ from ρ."""
    return damped_fixed_point(make_game(task, n_states, gamma, lam)).mean_field


def cells(profile: Profile) -> list[Cell]:
    """Per (task, γ, λ, critic): the NAC arm, the floor arm (sampled critics only) and DL-NAC per K."""
    s = SIZES[profile.name]
    out: list[Cell] = []
    for task in s.tasks:
        for gamma, lam in task.settings:
            for critic in s.critics:
                beta, eta = APP_D_STEPS[task.name]
                base = {"task": [task.name], "size": [task.n_states], "gamma": [gamma], "lam": [lam],
                        "beta": [beta], "eta": [eta], "critic": [critic], "T": [task.horizon],
                        "every": [task.every]}
                out += grid(CLAIM_ID, seeds=s.seeds[critic], **base, arm=["nac", "floor"], K=[0])
                out += grid(CLAIM_ID, seeds=s.seeds[critic], **base, arm=["dlnac"], K=task.inner_steps)
    return out


def oracle_for(critic: str, given: Any) -> Any:
    """The arms' oracle: the given algorithm's own (a fresh copy if it keeps state), or App D's."""
    if critic == "td":
        return WarmTDCritic(lr=APP_D_CRITIC_LR)
    own = given.oracle
    return own.fresh() if hasattr(own, "fresh") else own


def arm_settings(arm: NAC | DLNAC, cell: Cell, oracle: Any) -> dict[str, object]:
    """T, App D's steps for the schedule parts the arm leaves at its type's default, the oracle,
    and DL-NAC's segment length (the floor arm never jumps)."""
    out: dict[str, object] = {"n_iterations": int(cell["T"]), "oracle": oracle}  # type: ignore[arg-type]
    default = default_of(type(arm))
    if default is None or arm.policy_step == default.policy_step:
        out["policy_step"] = Constant(float(cell["eta"]))  # type: ignore[arg-type]
    if isinstance(arm, NAC):
        if default is None or arm.mean_field_step == default.mean_field_step:  # type: ignore[union-attr]
            out["mean_field_step"] = Constant(float(cell["beta"]))  # type: ignore[arg-type]
    else:
        out["inner_steps"] = int(cell["T"]) + 1 if cell["arm"] == "floor" else int(cell["K"])  # type: ignore[arg-type]
    return out


def measure(cell: Cell, algorithm: NAC | DLNAC, master_seed: int) -> Record:
    """One run of one arm; its exploitability curve from the iterates θ_t."""
    key = (str(cell["task"]), int(cell["size"]), float(cell["gamma"]), float(cell["lam"]))  # type: ignore[arg-type]
    game = make_game(*key)
    wants = NAC if cell["arm"] == "nac" else DLNAC
    arm = algorithm if isinstance(algorithm, wants) else (NAC_DEFAULT if wants is NAC else DLNAC_DEFAULT)
    oracle = oracle_for(str(cell["critic"]), algorithm)
    if cell["arm"] == "floor" and isinstance(oracle, ExactOracle):
        return Record.of(cell, exact=True, overridden=[])
    configured = configure(arm, **arm_settings(arm, cell, oracle))
    run_alg = configured.algorithm
    start = equilibrium(*key) if cell["arm"] == "floor" else None
    traj = run_alg.run(game, rng=cell.rng(master_seed, "run"), mean_field=start)
    every = int(cell["every"])  # type: ignore[arg-type]
    policies = log_linear_policies(run_alg.features(game).phi, traj.thetas[::every])
    curve = [exploitability(game, p) for p in policies]
    return Record.of(cell, curve=curve, exact=False, overridden=list(configured.overridden),
                     final_mean_field=traj.mean_fields[-1].tolist() if game.n_states <= 5 else None)


# ------------------------------------------------------------------------------- judgement


def window(curve: Array, every: int, K: int, fraction: float) -> int:
    """Points in the final window: a fraction of the run, at least two DL-NAC segments, at most half."""
    n = curve.size
    return int(min(max(np.ceil(fraction * n), np.ceil(2 * K / every), 1), n // 2))


def zigzag(curve: Array) -> float:
    """Σ_{k >= argmax} max(E_{k+1} - E_k, 0) / max E: the rises after the curve's peak, relative
    to it (0 for a curve that only falls after its peak; the initial rise is excluded)."""
    peak = int(np.argmax(curve))
    top = float(curve[peak])
    return float(np.clip(np.diff(curve[peak:]), 0.0, None).sum() / top) if top > 0 else 0.0


def interval(values: Array, rng: np.random.Generator, confidence: float, n_resamples: int) -> tuple[float, float, float]:
    """(mean, low, high): percentile bootstrap of the mean over seeds (one seed: a point)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2 or np.ptp(values) == 0:
        return float(values.mean()), float(values.mean()), float(values.mean())
    means = rng.choice(values, size=(n_resamples, values.size)).mean(axis=1)
    tail = (1 - confidence) / 2
    return float(values.mean()), float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def arm_summary(curves: Array, every: int, K: int, rng: np.random.Generator) -> dict[str, Any]:
    """Final E (mean of the final window, interval over seeds), whether it has stopped falling,
    and the zigzag size."""
    claim = get_claim(CLAIM_ID)
    t = claim.thresholds
    w = window(curves[0], every, K, t["final_window"])
    finals = curves[:, -w:].mean(axis=1)
    before = curves[:, -2 * w:-w].mean(axis=1)
    e0 = float(curves[:, 0].mean())
    # stopped falling, on average over the runs (or at round-off)
    settled = bool(finals.mean() >= (1 - t["plateau_rtol"]) * before.mean() or finals.mean() <= t["zero_rtol"] * e0)
    mean, low, high = interval(finals, rng, t["confidence"], int(t["n_resamples"]))
    return {"final": mean, "final_low": low, "final_high": high, "previous_window": float(before.mean()),
            "settled": settled, "zigzag": float(np.mean([zigzag(c) for c in curves])), "e0": e0,
            "window_iterations": w * every}


def judge_setting(nac: dict[str, Any], dl: dict[str, Any], floor: dict[str, Any] | None) -> dict[str, str]:
    """The three statements in one setting: "holds", "fails" or "undecided" (DL-NAC still falling
    at T, so a gap cannot be told from a slow approach)."""
    t = get_claim(CLAIM_ID).thresholds
    tol = t["zero_rtol"] * nac["e0"]
    lower = nac["final_high"] < dl["final_low"] and dl["final"] - nac["final"] > tol
    zig = dl["zigzag"] >= t["zigzag_min"] and dl["zigzag"] >= t["zigzag_ratio"] * nac["zigzag"]
    floor_high = 0.0 if floor is None else floor["final_high"]
    gap = dl["final_low"] > floor_high * (1 + t["gap_rtol"]) + tol
    return {"nac_ends_lower": "holds" if lower else "fails",
            "dlnac_zigzags": "holds" if zig else "fails",
            "dlnac_keeps_gap": ("holds" if gap and dl["settled"] else "undecided" if gap else "fails")}


def _curves(records: list[Record]) -> Array:
    return np.array([r["curve"] for r in sorted(records, key=lambda r: r.cell.seed_index)], dtype=float)


def _setting(cell: Cell) -> tuple[Any, ...]:
    return tuple(cell[k] for k in ("task", "size", "gamma", "lam", "critic"))


def _summary(key: tuple[Any, ...], arm: str, K: int, records: list[Record], every: int,
             master_seed: int) -> dict[str, Any]:
    """:func:`arm_summary` of one arm's runs, the bootstrap keyed by (setting, arm, K)."""
    rng = named_rng(master_seed, CLAIM_ID, f"bootstrap:{key}:{arm}:{K}")
    return arm_summary(_curves(records), every, K, rng)


def table(records: list[Record], master_seed: int) -> list[dict[str, Any]]:
    """One row per (task, γ, λ, critic, K): both arms' summaries, the floor and the outcomes."""
    groups: dict[tuple[Any, ...], list[Record]] = {}
    for r in records:
        groups.setdefault(_setting(r.cell), []).append(r)
    rows = []
    for key, recs in groups.items():
        first = recs[0].cell
        every, beta = int(first["every"]), float(first["beta"])  # type: ignore[arg-type]

        nac = _summary(key, "nac", 0, [r for r in recs if r.cell["arm"] == "nac"], every, master_seed)
        floors = [r for r in recs if r.cell["arm"] == "floor" and not r["exact"]]
        floor = _summary(key, "floor", 0, floors, every, master_seed) if floors else None
        for K in sorted({int(r.cell["K"]) for r in recs if r.cell["arm"] == "dlnac"}):  # type: ignore[arg-type]
            mine = [r for r in recs if r.cell["arm"] == "dlnac" and r.cell["K"] == K]
            dl = _summary(key, "dlnac", K, mine, every, master_seed)
            rows.append({"task": key[0], "n_states": key[1], "gamma": key[2], "lam": key[3], "critic": key[4],
                         "K": K, "K_beta": K * beta, "decisive": bool(K * beta >= 1 - 1e-12),
                         "nac": nac, "dlnac": dl, "floor": floor, "outcome": judge_setting(nac, dl, floor)})
    return rows


def _row_label(row: dict[str, Any]) -> str:
    return f"{row['task']}(γ={row['gamma']}, λ={row['lam']}) {row['critic']} critic, K={row['K']}"


def _panels(records: list[Record], points: int = 60) -> list[dict[str, Any]]:
    """``evidence["curves"]`` (the plotting convention of :mod:`mfcheck.reports.plots`): one panel
    per (task, γ, λ, critic), one series per arm (and K), each run thinned to ``points`` points."""
    groups: dict[tuple[Any, ...], dict[str, list[Record]]] = {}
    for r in records:
        if r["exact"]:
            continue
        name = {"nac": "NAC", "floor": "critic floor (μ = μ*)"}.get(str(r.cell["arm"]), f"DL-NAC K={r.cell['K']}")
        groups.setdefault(_setting(r.cell), {}).setdefault(name, []).append(r)
    out = []
    for key, arms in groups.items():
        series = []
        for name, recs in arms.items():
            curves = _curves(recs)
            at = np.unique(np.linspace(0, curves.shape[1] - 1, min(points, curves.shape[1])).astype(int))
            every = int(recs[0].cell["every"])  # type: ignore[arg-type]
            series.append({"label": name, "x": (at * every).tolist(), "y_per_seed": curves[:, at].tolist()})
        out.append({"title": f"{key[0]}(γ={key[2]}, λ={key[3]}), {key[4]} critic: exploitability",
                    "xlabel": "iteration t", "ylabel": "E(π_t)", "logy": True, "series": series})
    return out


def check(algorithm: NAC | DLNAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """App D's three statements, each judged separately in every swept setting; pass only if
    each holds in every decisive setting (K >= 1/β: DL-NAC's segments at least as long as NAC's
    mean-field time scale, the regime App D describes)."""
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    rows = table(records, profile.master_seed)
    decisive = [r for r in rows if r["decisive"]]
    measured, reasons = [], []
    names = {"nac_ends_lower": "NAC ends lower", "dlnac_zigzags": "DL-NAC zigzags",
             "dlnac_keeps_gap": "DL-NAC keeps a non-zero gap"}
    held = {}
    for statement in STATEMENTS:
        count = {o: sum(r["outcome"][statement] == o for r in decisive) for o in ("holds", "fails", "undecided")}
        everywhere = sum(r["outcome"][statement] == "holds" for r in rows)
        held[statement] = count["holds"] == len(decisive) > 0
        measured.append(Figure(name=f"{names[statement]}: decisive settings where it holds", value=count["holds"],
                               high=len(decisive), note=(f"fails in {count['fails']}, undecided in "
                                                         f"{count['undecided']}; all settings: {everywhere}/{len(rows)}")))
        if not held[statement]:
            where = [_row_label(r) for r in decisive if r["outcome"][statement] != "holds"]
            reasons.append(f"{names[statement]} does not hold in {len(where)}/{len(decisive)} decisive settings: "
                           + "; ".join(where[:8]) + (" ..." if len(where) > 8 else ""))
    for r in decisive:
        label = _row_label(r)
        measured.append(Figure(name=f"{label}: final E NAC", value=r["nac"]["final"], low=r["nac"]["final_low"],
                               high=r["nac"]["final_high"], note="settled" if r["nac"]["settled"] else "still falling"))
        measured.append(Figure(name=f"{label}: final E DL-NAC", value=r["dlnac"]["final"], low=r["dlnac"]["final_low"],
                               high=r["dlnac"]["final_high"],
                               note="settled" if r["dlnac"]["settled"] else "still falling"))
        measured.append(Figure(name=f"{label}: zigzag NAC / DL-NAC",
                               value=f"{r['nac']['zigzag']:.3g} / {r['dlnac']['zigzag']:.3g}"))
    overridden = tuple(dict.fromkeys(f for rec in records for f in rec["overridden"]))  # type: ignore[union-attr]
    summary = "; ".join(f"{names[s]}: {m.value}/{m.high}" for s, m in zip(STATEMENTS, measured)) + (
        f" decisive settings (K >= 1/β) of {len(rows)} swept")
    return Verdict(
        claim_id=CLAIM_ID, status="pass" if all(held.values()) else "fail", summary=summary,
        stated=tuple(Figure(name=names[s], value="holds in every decisive setting") for s in STATEMENTS),
        measured=tuple(measured), reading=get_claim(CLAIM_ID).reading, reasons=tuple(reasons),
        evidence={"rows": rows, "statements": held, "curves": _panels(records)}, overridden=overridden)
