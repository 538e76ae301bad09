"""mfppo.lemma_e1: E_{init, ρ} |F⁰_β - F_β|² = O(R³ m^-1/2) for β in B(β(0), R) (a network claim).

The population network F_β(s, d, a) = Σ_x d(x) f_β(s, x, a) and its linearisation F⁰_β (App E.1,
mean normalisation) are computed exactly on a finite problem; E_init is a mean over cells. Two
kinds of β on the sphere ‖β - β(0)‖ = R: ``independent`` of β(0), and ``adversarial`` (built from
β(0) to open the largest gap at one input). Exponents are fitted in m (at fixed R) and in R (at
fixed m) and judged against the statement's; the lemma speaks of every β in the ball, so the
verdict passes only when both kinds meet both exponents. The claim is about the network class
(judges no algorithm): its honest mutant is a wrong statement of the order. One cell per (kind,
parameter, grid value, seed), its sizes in its settings, through :func:`mfcheck.judgement.run_cells`
(the records do not depend on the statement: only the judgement does).
Reference: MF-PPO (arXiv 2105.08268) Lemma E.1, Definition 4.1, Assumptions 2-3.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mfcheck.judgement import (
    QUICK,
    Cell,
    Profile,
    RateJudgement,
    Record,
    Verdict,
    grid,
    judge_rate,
    matrix,
    named_rng,
    rate_verdict,
    run_cells,
)
from mfcheck.judgement.statement import Statement

CLAIM_ID = "mfppo.lemma_e1"
KINDS: tuple[str, ...] = ("independent", "adversarial")
PARAMETERS: tuple[str, ...] = ("m", "R")
#: Lemma E.1's order: exponents of m and R in E|F⁰_β - F_β|² = O(R³ m^-1/2)
PAPER_STATEMENT = Statement(text="E|F⁰_β - F_β|² = O(R³ m^-1/2)", value={"m": -0.5, "R": 3.0})


@dataclass(frozen=True, kw_only=True)
class PpoLemmaE1Sizes:
    """Grids of the m and R sweeps (a fresh initialisation per cell)."""

    #: |S|, |Ā|: inputs are scaled one-hots of (s, s', a), d = 2|S| + |Ā|, ‖x‖ = 1
    n_states: int = 4
    n_actions: int = 2
    #: points (s, d_S) in the support of ρ
    n_points: int = 8
    #: widths m of the m-sweep (at ``radius``)
    widths: tuple[int, ...] = tuple(2**k for k in range(9, 17))
    radius: float = 1.0
    #: radii R of the R-sweep (at ``radius_width``)
    radii: tuple[float, ...] = tuple(2.0**k for k in range(-5, 2))
    radius_width: int = 1024
    #: initialisations per grid point; ``seeds_tight`` for the sweep whose exponent is the stated one
    seeds: int = 8
    seeds_tight: int = 256
    #: discount and rewards of the policy-evaluation instance (τ = 1 - γ, μ = γ, ξ = r)
    gamma: float = 0.9
    reward_range: tuple[float, float] = (0.0, 1.0)


SIZES: dict[str, PpoLemmaE1Sizes] = {
    "quick": PpoLemmaE1Sizes(),
    "full": PpoLemmaE1Sizes(widths=tuple(2**k for k in range(9, 19)), radii=tuple(2.0**k for k in range(-6, 3)),
                  radius_width=4096, seeds=32, seeds_tight=512),
}

Gap = Callable[[Any, Any, Any], float]


#: the settings that size a cell; its network and β come from the others (what it is)
SIZE_SETTINGS = ("fixed_width", "fixed_radius", "n_states", "n_actions", "n_points", "gamma", "reward_low",
                 "reward_high")


def sweep_cells(claim_id: str, sizes: PpoLemmaE1Sizes, kinds: Sequence[str], tight: tuple[str, str]) -> list[Cell]:
    """One cell per (kind of β, parameter, grid value, seed); ``tight`` gets ``seeds_tight`` seeds.
    Its settings hold the other parameter's fixed value and the problem's sizes."""
    values = {"m": tuple(float(w) for w in sizes.widths), "R": tuple(float(r) for r in sizes.radii)}
    fixed = {"m": {"fixed_radius": [sizes.radius]}, "R": {"fixed_width": [sizes.radius_width]}}
    problem = {"n_states": [sizes.n_states], "n_actions": [sizes.n_actions], "n_points": [sizes.n_points],
               "gamma": [sizes.gamma], "reward_low": [sizes.reward_range[0]], "reward_high": [sizes.reward_range[1]]}
    return [cell for kind in kinds for parameter in PARAMETERS
            for cell in grid(claim_id, seeds=sizes.seeds_tight if (kind, parameter) == tight else sizes.seeds,
                             kind=[kind], parameter=[parameter], value=values[parameter], **fixed[parameter],
                             **problem)]


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: (kind, parameter, value, seed)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def problem_of(cell: Cell, master_seed: int) -> Any:
    """The claim's finite policy-evaluation problem (drawn from the master seed; the same in every cell)."""
    from mfcheck.algorithms.mfppo.semigradient_problem import random_semigradient_problem

    return random_semigradient_problem(named_rng(master_seed, cell.claim_id, "problem"),
                                       n_states=int(cell["n_states"]), n_actions=int(cell["n_actions"]),  # type: ignore[arg-type]
                                       n_points=int(cell["n_points"]), gamma=float(cell["gamma"]),  # type: ignore[arg-type]
                                       reward_range=(float(cell["reward_low"]), float(cell["reward_high"])))  # type: ignore[arg-type]


def measure_gap(cell: Cell, master_seed: int, *, gap: Gap, objective: str) -> Record:
    """A fresh initialisation, a β of the cell's kind on the sphere (built for ``objective``), and
    ``gap`` there."""
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.linearisation_torch import perturbation, two_layer_network

    torch.set_num_threads(1)
    problem = problem_of(cell, master_seed)
    parameter, value = cell["parameter"], float(cell["value"])  # type: ignore[arg-type]
    width = int(value) if parameter == "m" else int(cell["fixed_width"])  # type: ignore[arg-type]
    radius = float(cell["fixed_radius"]) if parameter == "m" else value  # type: ignore[arg-type]
    generator = torch.Generator().manual_seed(identity(cell).torch_seed(master_seed, "network and β"))
    net = two_layer_network(OneHotEncoder(int(cell["n_states"]), int(cell["n_actions"])), width, generator)  # type: ignore[arg-type]
    beta = perturbation(str(cell["kind"]), objective, net, problem, radius, generator)
    return Record.of(cell, gap=gap(net, problem, beta))


def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """One cell of Lemma E.1: |F⁰_β - F_β|² at a β built to open the value gap."""
    from mfcheck.algorithms.mfppo.linearisation_torch import linearisation_gap

    return measure_gap(cell, master_seed, gap=linearisation_gap, objective="value")


def judge_gap_sweep(claim_id: str, profile: Profile, statement: Statement, sizes: PpoLemmaE1Sizes, *, kinds: Sequence[str],
                    tight: tuple[str, str], measure: Callable[[Cell, None, int], Record], quantity: str,
                    reading: str, adversarial_reason: str) -> Verdict:
    """Every cell through ``measure`` (the claim's cell function), then each (kind, parameter)
    exponent judged against ``statement``'s."""
    import torch

    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"kinds: {kind!r} is not one of {KINDS}")
    torch.set_num_threads(1)
    records = run_cells(sweep_cells(claim_id, sizes, kinds, tight), measure, None, profile.master_seed)
    judgements: list[RateJudgement] = []
    for kind in kinds:
        for parameter in PARAMETERS:
            chosen = [r for r in records if r.cell["kind"] == kind and r.cell["parameter"] == parameter]
            values, errors = matrix(chosen, parameter="value", value="gap")
            judgement = judge_rate(claim_id, parameter, label=f"{kind} β", grid=values, errors=errors,
                                   master_seed=profile.master_seed)
            spec = dataclasses.replace(judgement.spec, stated_exponent=float(statement.value[parameter]))
            judgements.append(dataclasses.replace(judgement, spec=spec))
    adversarial_failed = any(j.label.startswith("adversarial") and not j.passed for j in judgements)
    return rate_verdict(claim_id, judgements, quantity=quantity, reading=f"{reading}; statement: {statement.text}",
                        extra_reasons=(adversarial_reason,) if adversarial_failed else (),
                        evidence={"statement": statement.text, "sizes": dataclasses.asdict(sizes)})


def judge(profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT, *,
          kinds: Sequence[str] = KINDS) -> Verdict:
    """The sweeps of ``kinds`` of β (both by default; calibration runs the independent part)."""
    return judge_gap_sweep(
        CLAIM_ID, profile, statement, SIZES[profile.name], kinds=kinds, tight=("independent", "R"),
        measure=measure, quantity="E|F⁰_β - F_β|²",
        reading=("App E normalisation: F(s, d, a) = E_{x~d} f(s, x, a), f = m^-1/2 Σ_j u_j relu(β_j^T x), "
                 "exact over a finite ρ; x = scaled one-hots, ‖x‖ = 1; β on the sphere ‖β - β(0)‖ = R, "
                 "independent of β(0) or built from it (worst case)"),
        adversarial_reason=("the adversarial β pushes the units of smallest |β_j(0)^T x| at one input across "
                            "the ReLU kink; on a finite input set Assumption 2 (E_x 1{|z^T x| <= t} <= c t/‖z‖ "
                            "for every z) cannot hold, and the gap scales as R^(8/3) m^(-1/3)"),
    )


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Lemma E.1's order (``statement``) on the paper's network, both kinds of β."""
    return judge(profile, statement)
