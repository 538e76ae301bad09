"""mfppo.lemma_e4: the N-agent semi-gradient of the MFPPO's Alg 2 step deviates from the population
one by E‖ĝ_β - g_β‖² = O(R²/N).

ĝ_β and g_β are read off one step of the given MFPPO's ``policy_evaluation`` from β on one sample,
with the N agents of s and s' i.i.d. from d_S and d'_S (ĝ) or the population d (g), at the same
tuples of ρ P π on a finite problem (:mod:`mfcheck.algorithms.mfppo.sampled_semigradient`); the
network is the one the MFPPO builds (its width and initialisation). Exponent in N (stated -1) at
fixed R, and in R (stated 2) at fixed N, for β = β(0) + R v, v along -Σ ∇F_β(0). One cell per
(sweep, seed), its grid and sizes in its settings, through :func:`mfcheck.judgement.run_cells`.
Reference: MF-PPO (arXiv 2105.08268) Lemma E.4, eq (E.11).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.sampled_semigradient import (
    aligned_point,
    initialise,
    sample_tuples,
    semigradient_deviation,
)
from mfcheck.algorithms.mfppo.semigradient_problem import (
    SemiGradientProblem,
    random_semigradient_problem,
)
from mfcheck.algorithms.protocol import configure
from mfcheck.judgement import (
    QUICK,
    Cell,
    Profile,
    Record,
    Verdict,
    get_claim,
    grid,
    judge_rate,
    named_rng,
    rate_verdict,
    run_cells,
)

CLAIM_ID = "mfppo.lemma_e4"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


@dataclass(frozen=True, kw_only=True)
class PpoLemmaE4Sizes:
    """The finite problem, the N and R grids and the Monte Carlo sizes."""

    #: |S|, |Ā| (scaled one-hot inputs, ‖x‖ = 1); points (s, d_S) in the support of ρ
    n_states: int = 4
    n_actions: int = 2
    n_points: int = 8
    #: m (the lemma holds for every m)
    width: int = 256
    #: N grid (at ``radius``) and R grid (at ``radius_agents``)
    agent_counts: tuple[int, ...] = tuple(2**k for k in range(2, 11))
    radius: float = 1.0
    radii: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)
    radius_agents: int = 64
    #: tuples (with their N agents) per cell, the same tuples at every grid point of a cell
    n_samples: int = 64
    #: cells (initialisations) per sweep
    seeds: int = 24
    #: discount and rewards of the policy-evaluation instance (τ = 1 - γ, μ = γ, ξ = r)
    gamma: float = 0.5
    reward_range: tuple[float, float] = (2.0, 4.0)


SIZES: dict[str, PpoLemmaE4Sizes] = {
    "quick": PpoLemmaE4Sizes(),
    "full": PpoLemmaE4Sizes(agent_counts=tuple(2**k for k in range(2, 14)), radii=(1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
                  width=1024, n_samples=256, seeds=64),
}


#: the settings that size a cell; its network, tuples and agents come from the others (what it is)
SIZE_SETTINGS = ("grid", "fixed", "n_samples", "n_states", "n_actions", "n_points", "gamma", "reward_low",
                 "reward_high")


def _text(values: tuple[float, ...]) -> str:
    return ",".join(repr(v) for v in values)


def cells(profile: Profile) -> list[Cell]:
    """One cell per (sweep, seed): an initialisation and tuples shared along the sweep's grid
    (``grid``: the N or R values, as text; ``fixed``: the other parameter's value)."""
    s = SIZES[profile.name]
    problem = {"n_states": [s.n_states], "n_actions": [s.n_actions], "n_points": [s.n_points], "gamma": [s.gamma],
               "reward_low": [s.reward_range[0]], "reward_high": [s.reward_range[1]], "n_samples": [s.n_samples]}
    return [cell for sweep, values, fixed in (("N", _text(s.agent_counts), s.radius), ("R", _text(s.radii), s.radius_agents))
            for cell in grid(CLAIM_ID, seeds=s.seeds, sweep=[sweep], grid=[values], fixed=[fixed], **problem)]


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: (sweep, seed)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def grid_of(cell: Cell) -> list[float]:
    """The N (ints) or R values of the cell's sweep."""
    kind = int if cell["sweep"] == "N" else float
    return [kind(v) for v in str(cell["grid"]).split(",")]


def problem_of(cell: Cell, master_seed: int) -> SemiGradientProblem:
    """The finite policy-evaluation problem (drawn from the master seed: the same in every cell)."""
    return random_semigradient_problem(named_rng(master_seed, CLAIM_ID, "problem"),
                                       n_states=int(cell["n_states"]), n_actions=int(cell["n_actions"]),  # type: ignore[arg-type]
                                       n_points=int(cell["n_points"]), gamma=float(cell["gamma"]),  # type: ignore[arg-type]
                                       reward_range=(float(cell["reward_low"]), float(cell["reward_high"])))  # type: ignore[arg-type]


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """E‖ĝ - g‖² at every grid point of the cell's sweep (one initialisation, the same tuples)."""
    problem = problem_of(cell, master_seed)
    rng = identity(cell).rng(master_seed, "network, tuples and agents")
    network = initialise(algorithm, problem, rng)
    tuples = sample_tuples(rng, problem, int(cell["n_samples"]))  # type: ignore[arg-type]
    if cell["sweep"] == "N":
        points = [(int(n), float(cell["fixed"])) for n in grid_of(cell)]  # type: ignore[arg-type]
    else:
        points = [(int(cell["fixed"]), r) for r in grid_of(cell)]  # type: ignore[arg-type]
    deviations = [semigradient_deviation(algorithm, problem, network, aligned_point(network, problem, radius),
                                         tuples, rng, n) for n, radius in points]
    return Record.of(cell, deviation=deviations)


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Fit the N- and R-exponents of E‖ĝ_β - g_β‖² for the given MFPPO's Alg 2 step."""
    sizes = SIZES[profile.name]
    step = get_claim(CLAIM_ID).threshold("step_size")
    configured = configure(algorithm, width=sizes.width, n_steps=1, averaging="last", step_size=step)
    records = run_cells(cells(profile), measure, configured.algorithm, profile.master_seed)

    def errors(sweep: str) -> np.ndarray:
        return np.array([r["deviation"] for r in records if r.cell["sweep"] == sweep], dtype=float).T

    def grid_values(sweep: str) -> list[float]:
        return grid_of(next(r.cell for r in records if r.cell["sweep"] == sweep))

    judgements = [
        judge_rate(CLAIM_ID, "N", label="aligned β", grid=grid_values("N"), errors=errors("N"),
                   master_seed=profile.master_seed),
        judge_rate(CLAIM_ID, "R", label="aligned β", grid=grid_values("R"), errors=errors("R"),
                   master_seed=profile.master_seed),
    ]
    verdict = rate_verdict(
        CLAIM_ID, judgements, quantity="E‖ĝ_β - g_β‖²",
        reading=(f"ĝ, g read off one step (η = {step:g}) of the MFPPO's policy_evaluation from β on one "
                 "sample with N agents (ĝ) or the population (g), the same tuples of ρ P π; App E mean pooling; "
                 f"finite policy-evaluation problem (γ = {sizes.gamma:g}, r ~ U{list(sizes.reward_range)}); "
                 f"β = β(0) + R v, v along -Σ ∇F_β(0); m = {sizes.width}, {sizes.n_samples} tuples per cell"),
        evidence={"mean_deviation": {s: errors(s).mean(axis=1).tolist() for s in ("N", "R")}})
    return dataclasses.replace(verdict, overridden=configured.overridden)
