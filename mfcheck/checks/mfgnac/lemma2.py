"""mfgnac.lemma2: persistence of excitation (MFG-NAC Lemma 2).

With θ_0 = 0, ‖ŵ_t‖ <= R and 0 < η_t λ < 1, the update θ_{t+1} = (1 - η_t λ)θ_t + η_t ŵ_t keeps
‖θ_t‖ <= R/λ, and with ‖φ_{s,a}‖ <= 1 the log-linear policy has
p_min = inf_t min_{s,a} π_t(a|s) >= exp(-2R/λ)/|A|.

The judged part is the given NAC's ``policy_update``: the checker runs the algorithm on SIS and a
random game and reads everything from the iterates: ‖θ_t‖ from θ_t, ‖ŵ_t‖ from ŵ_t, π_t = π_{θ_t}
recomputed from θ_t on the algorithm's features, η_t from its schedule. R is the oracle's declared
ball radius when finite (its hypothesis ‖ŵ_t‖ <= R is then screened on the iterates), else the
smallest admissible R, max_t ‖ŵ_t‖. A violated hypothesis (η_t λ outside (0, 1), ‖ŵ_t‖ > R) makes
the instance not applicable; ‖φ‖ > 1 voids the p_min part only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT
from mfcheck.algorithms.nac.audited_run import case_steps
from mfcheck.algorithms.protocol import Configured, configure
from mfcheck.instances import random_mean_field_game, sis
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
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.along_run import log_linear_policies

CLAIM_ID = "mfgnac.lemma2"
DEFAULT_ALGORITHM: NAC = NAC_DEFAULT
#: instance -> (λ, the steps (η, β) the paper's algorithm runs with there: ηλ in (0, 1))
INSTANCES: dict[str, tuple[float, float, float]] = {"sis": (0.5, 1.0, 0.05), "random_mfg(3x3)": (0.2, 1.0, 0.05)}

READING = ("the iterates of the given NAC (its oracle, features, schedules and policy update) from θ_0 = 0, "
           "μ_0 = ρ: SIS (λ = 0.5) and a random 3x3 MFG (λ = 0.2), the paper's algorithm with η = 1 and "
           "β = 0.05 there (ηλ in {0.5, 0.2}); R = the oracle's ball radius when finite, else max_t ‖ŵ_t‖; "
           "p_min over all (s, a) and t = 0..T of π_{θ_t}; bounds to a relative rtol (toml)")


@dataclass(frozen=True, kw_only=True)
class NacLemma2Sizes:
    """Per-profile sizes: T, the iterations of each run."""

    n_iterations: int


SIZES = {"quick": NacLemma2Sizes(n_iterations=60), "full": NacLemma2Sizes(n_iterations=400)}


def game_of(label: str, master_seed: int) -> MeanFieldGame:
    lam = INSTANCES[label][0]
    if label == "sis":
        return sis(lam=lam)
    return random_mean_field_game(named_rng(master_seed, CLAIM_ID, f"game:{label}"), 3, 3, lam=lam)


def cells(profile: Profile) -> list[Cell]:
    """One cell per instance."""
    return grid(CLAIM_ID, instance=tuple(INSTANCES), T=[SIZES[profile.name].n_iterations])


def configured(algorithm: NAC, label: str, n_iterations: int) -> Configured:
    """The algorithm with the checker's T (and, for the default schedules, the instance's steps)."""
    _, eta, beta = INSTANCES[label]
    return configure(algorithm, n_iterations=n_iterations, **case_steps(algorithm, eta, beta))


def measure(cell: Cell, algorithm: NAC, master_seed: int) -> Record:
    """Norms of θ_t and ŵ_t, η_t λ and p_min of π_{θ_t} along one run of the algorithm."""
    label, T = str(cell["instance"]), int(cell["T"])
    game = game_of(label, master_seed)
    run = configured(algorithm, label, T).algorithm
    trajectory = run.run(game, rng=cell.rng(master_seed, "run"))
    features = run.features(game)
    etas = np.array([float(run.policy_step(t, T)) for t in range(T)])
    policies = log_linear_policies(features.phi, trajectory.thetas)
    radius = float(getattr(run.oracle, "radius", np.inf))
    return Record.of(cell, lam=game.lam, n_actions=game.n_actions, theta_norms=np.linalg.norm(trajectory.thetas, axis=1),
                     w_norms=np.linalg.norm(trajectory.w_hats, axis=1), eta_lam=etas * game.lam,
                     p_min=float(policies.min()), feature_norm=features.max_norm, declared_radius=radius)


def judge(record: Record, rtol: float) -> Verdict:
    """Lemma 2's two bounds on one run (not applicable when a hypothesis fails)."""
    label, lam = str(record.cell["instance"]), float(record["lam"])  # type: ignore[arg-type]
    theta_norms, w_norms = np.asarray(record["theta_norms"]), np.asarray(record["w_norms"])
    eta_lam = np.asarray(record["eta_lam"])
    declared = float(record["declared_radius"])  # type: ignore[arg-type]
    radius = declared if np.isfinite(declared) else float(w_norms.max())
    hypotheses = (
        Hypothesis(name=f"{label}: 0 < η_t λ < 1", holds=bool(((eta_lam > 0) & (eta_lam < 1)).all()),
                   measured=f"[{eta_lam.min():.4g}, {eta_lam.max():.4g}]"),
        Hypothesis(name=f"{label}: ‖ŵ_t‖ <= R", holds=bool(w_norms.max() <= radius * (1 + rtol)),
                   measured=float(w_norms.max()),
                   note=f"R = {radius:.4g} ({'the oracle ball' if np.isfinite(declared) else 'max_t ‖ŵ_t‖'})"),
    )
    refused = screen(CLAIM_ID, hypotheses, reading=READING)
    if refused is not None:
        return refused
    bound, p_floor = radius / lam, float(np.exp(-2.0 * radius / lam) / int(record["n_actions"]))  # type: ignore[arg-type]
    features_ok = float(record["feature_norm"]) <= 1 + rtol  # type: ignore[arg-type]
    p_min = float(record["p_min"])  # type: ignore[arg-type]
    reasons = []
    if theta_norms.max() > bound * (1 + rtol):
        t_bad = int(np.argmax(theta_norms > bound * (1 + rtol)))
        reasons.append(f"‖θ_{t_bad}‖ = {theta_norms[t_bad]:.6g} > R/λ = {bound:.6g} "
                       f"(max ‖θ_t‖ = {theta_norms.max():.6g})")
    if features_ok and p_min < p_floor * (1 - rtol):
        reasons.append(f"p_min = {p_min:.6g} < exp(-2R/λ)/|A| = {p_floor:.6g}")
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if reasons else "pass",
        summary=(f"max ‖θ_t‖ = {theta_norms.max():.4g} vs R/λ = {bound:.4g} (ratio "
                 f"{theta_norms.max() / bound:.3f}); p_min = {p_min:.4g} vs exp(-2R/λ)/|A| = {p_floor:.4g}"
                 + ("" if features_ok else " (‖φ‖ > 1: p_min part not applicable)")),
        stated=(Figure(name="max ‖θ_t‖ / (R/λ)", value=1.0, note="<= 1"),),
        measured=(Figure(name=f"{label}: max ‖θ_t‖ / (R/λ)", value=float(theta_norms.max() / bound)),
                  Figure(name=f"{label}: p_min", value=p_min), Figure(name=f"{label}: R", value=radius)),
        reading=READING, reasons=tuple(reasons), hypotheses=hypotheses,
        evidence={"theta_norm_max": float(theta_norms.max()), "bound": bound, "radius": radius, "p_min": p_min,
                  "p_floor": p_floor, "w_norm_max": float(w_norms.max()), "feature_norm": record["feature_norm"]})


def check(algorithm: NAC = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Lemma 2 along a run of ``algorithm`` on each instance; fails if any run breaks a bound."""
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    parts = [judge(record, rtol) for record in records]
    labels = [str(r.cell["instance"]) for r in records]
    overridden = tuple(dict.fromkeys(name for label in labels
                                     for name in configured(algorithm, label, SIZES[profile.name].n_iterations).overridden))
    return dataclasses.replace(combine(CLAIM_ID, parts, labels=labels, reading=READING), overridden=overridden)
