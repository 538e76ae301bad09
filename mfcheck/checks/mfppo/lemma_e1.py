"""Lemma E.1: E_{init, ρ} |F⁰_β(s, d_S, a) - F_β(s, d_S, a)|² = O(R³ m^-1/2) for β in B(β(0), R).

The population networks F_β(s, d, a) = Σ_x d(x) f_β(s, x, a) and its linearisation F⁰_β
(App E.1, mean normalisation) are computed exactly on a finite problem; the expectation over
the initialisation is a mean over seeds. Two kinds of β on the sphere ‖β - β(0)‖ = R:

* ``independent``: a direction drawn independently of β(0);
* ``adversarial``: built from β(0) to open the largest gap at one input
  (:func:`~mfcheck.checks.mfppo._lemma_e_torch.kink_perturbation`, objective "value").

Exponents are fitted in m (at fixed R) and in R (at fixed m). The lemma speaks of every β in
the ball, so the verdict passes only when both kinds meet both stated exponents.
Reference: MF-PPO (arXiv 2105.08268) Lemma E.1, Definition 4.1, Assumptions 2-3.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mfcheck.checks.mfppo._rate_judgement import RateJudgement, judge_rate, rate_spec
from mfcheck.claims.profile import Profile
from mfcheck.claims.verdict import Verdict
from mfcheck.stats import seed_streams, stream

if TYPE_CHECKING:
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
    from mfcheck.checks.mfppo._lemma_e_torch import SemiGradientProblem

    NetworkFactory = Callable[[OneHotEncoder, int, torch.Generator], TwoLayerDeepSet]

CLAIM_ID = "mfppo.lemma_e1"
PERTURBATIONS: tuple[str, ...] = ("independent", "adversarial")


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of one run of the Lemma E.1 check."""

    n_states: int = 6
    """|S|; inputs are scaled one-hots of (s, s', a), d = 2|S| + |A|, ‖x‖ = 1."""
    n_actions: int = 3
    """|Ā|."""
    n_points: int = 24
    """Number of (s, d_S) points in the support of ρ (more inputs: less seed noise)."""
    widths: tuple[int, ...] = tuple(2**k for k in range(8, 15))
    """Grid of widths m for the m-exponent (at ``radius``)."""
    radius: float = 1.0
    """R for the m-grid."""
    radii: tuple[float, ...] = tuple(2.0**k for k in range(-4, 3))
    """Grid of radii R for the R-exponent (at ``radius_width``)."""
    radius_width: int = 4096
    """m for the R-grid; R / sqrt(m) <= 1/16, the small-ball regime the lemma describes."""
    n_seeds: int = 32
    """Initialisations per grid point."""
    asymptotic_from: int = 1
    """Grid points dropped from the head of each fit."""

    def __post_init__(self) -> None:
        for name in ("widths", "radii"):
            grid = np.asarray(getattr(self, name), dtype=float)
            if grid.size < 3 or (grid <= 0).any() or (np.diff(grid) <= 0).any():
                raise ValueError(f"Config.{name}: needs >= 3 positive increasing values, got {grid}")
        if self.n_seeds < 2:
            raise ValueError(f"Config.n_seeds: needs >= 2 seeds, got {self.n_seeds}")
        if not 0 <= self.asymptotic_from <= min(len(self.widths), len(self.radii)) - 2:
            raise ValueError(f"Config.asymptotic_from: {self.asymptotic_from} leaves < 2 points")


CONFIGS: dict[str, Config] = {
    "quick": Config(),
    "full": Config(widths=tuple(2**k for k in range(8, 17)), radii=tuple(2.0**k for k in range(-5, 3)),
                   radius_width=16384, n_seeds=64),
}


def default_network(encoder: OneHotEncoder, width: int, generator: torch.Generator) -> TwoLayerDeepSet:
    """The paper's two-layer network, mean normalisation (App E)."""
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet

    return TwoLayerDeepSet(encoder, width, generator=generator, pooling="mean")


def linearisation_gap(net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor) -> float:
    """E_ρ |F⁰_β(s, d_S, a) - F_β(s, d_S, a)|², exact over the finite ρ."""
    from mfcheck.checks.mfppo._lemma_e_torch import population_values

    gap = population_values(net, problem, beta, linearised=True) - population_values(
        net, problem, beta, linearised=False
    )
    return float((gap.pow(2) * gap.new_tensor(problem.rho)).sum())


def worst_input(problem: SemiGradientProblem, encoder: OneHotEncoder) -> torch.Tensor:
    """The input x(s, x, a) of largest weight Σ_p ρ(p, a) 1{s_p = s} d_p(x)² in E_ρ|ΔF|²."""
    score = np.zeros((encoder.n_states, encoder.n_states, encoder.n_actions))
    for p in range(problem.n_points):
        score[problem.own[p]] += problem.dists[p][:, None] ** 2 * problem.rho[p][None, :]
    s, x, a = np.unravel_index(int(np.argmax(score)), score.shape)
    return encoder.table[s, x, a]


def lemma_e1_errors(
    factory: NetworkFactory,
    problem: SemiGradientProblem,
    encoder: OneHotEncoder,
    *,
    widths: Sequence[int],
    radii: Sequence[float],
    rngs: Sequence[np.random.Generator],
    perturbation: str,
) -> np.ndarray:
    """errors[g, r] = E_ρ|F⁰_β - F_β|² at grid point g = (m, R), seed r (one init per cell)."""
    from mfcheck.checks.mfppo._lemma_e_torch import (
        independent_perturbation,
        kink_perturbation,
        torch_generator,
    )

    if perturbation not in PERTURBATIONS:
        raise ValueError(f"perturbation: {perturbation!r} is not one of {PERTURBATIONS}")
    target = worst_input(problem, encoder)
    errors = np.empty((len(widths), len(rngs)))
    for r, rng in enumerate(rngs):
        for g, (width, radius) in enumerate(zip(widths, radii)):
            generator = torch_generator(rng)
            net = factory(encoder, int(width), generator)
            if perturbation == "independent":
                beta = independent_perturbation(net, radius, generator)
            else:
                beta, _ = kink_perturbation(net, target, radius, objective="value")
            errors[g, r] = linearisation_gap(net, problem, beta)
    return errors


def check_lemma_e1(
    factory: NetworkFactory | None = None,
    *,
    config: Config,
    master_seed: int,
    perturbations: Sequence[str] = PERTURBATIONS,
) -> Verdict:
    """Measure the m- and R-exponents of E|F⁰_β - F_β|² for each kind of β and judge them.

    Parameters
    ----------
    factory : callable (encoder, width, torch.Generator) -> TwoLayerDeepSet, optional
        Builds the network under test (default: the paper's network, mean normalisation).
    config : Config
    master_seed : int
        Root of the seed streams (``seed_streams(master_seed, n, label=CLAIM_ID)``).
    perturbations : subset of ("independent", "adversarial")
    """
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.checks.mfppo._lemma_e_torch import random_semigradient_problem

    factory = factory or default_network
    torch.set_num_threads(1)
    encoder = OneHotEncoder(config.n_states, config.n_actions)
    problem = random_semigradient_problem(
        stream(master_seed, label=CLAIM_ID + ":problem"),
        n_states=config.n_states, n_actions=config.n_actions, n_points=config.n_points, gamma=0.9,
    )
    boot = stream(master_seed, label=CLAIM_ID + ":bootstrap")
    judgements: list[RateJudgement] = []
    for perturbation in perturbations:
        rngs = seed_streams(master_seed, config.n_seeds, label=f"{CLAIM_ID}:{perturbation}")
        sweeps = (
            ("m", config.widths, config.widths, [config.radius] * len(config.widths)),
            ("R", config.radii, [config.radius_width] * len(config.radii), config.radii),
        )
        for parameter, grid, widths, radii in sweeps:
            errors = lemma_e1_errors(
                factory, problem, encoder, widths=widths, radii=radii, rngs=rngs,
                perturbation=perturbation,
            )
            judgements.append(
                judge_rate(
                    label=f"{perturbation} β", spec=rate_spec(CLAIM_ID, parameter), grid=grid,
                    errors=errors, rng=boot, asymptotic_from=config.asymptotic_from,
                )
            )
    return _verdict(judgements)


def _verdict(judgements: list[RateJudgement]) -> Verdict:
    failed = [j for j in judgements if not j.passed]
    stated = tuple({j.spec.parameter: j.stated_figure() for j in judgements}.values())
    measured = tuple(f for j in judgements for f in j.figures())
    if failed:
        summary = "E|F⁰_β - F_β|² decays slower than R³ m^-1/2 for " + ", ".join(
            sorted({j.label for j in failed})
        ) + " (see reasons)"
    else:
        summary = "E|F⁰_β - F_β|² decays at least as fast as R³ m^-1/2 for every β measured"
    reasons = tuple(j.reason() for j in failed)
    if any(j.label.startswith("adversarial") for j in failed):
        reasons += (
            "the adversarial β moves the units with |β_j(0)^T x| smallest across the ReLU kink at "
            "one input; on a finite input set Assumption 2 (E_x 1{|z^T x| <= t} <= c t/‖z‖ for all "
            "z) cannot hold, and the gap then scales as R^(8/3) m^(-1/3)",
        )
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=summary,
        stated=stated,
        measured=measured,
        reading=(
            "App E normalisation: F(s, d, a) = E_{x~d} f(s, x, a), f = m^-1/2 Σ_j u_j relu(β_j^T x), "
            "computed exactly on a finite ρ; x = scaled one-hots with ‖x‖ = 1; β on the sphere "
            "‖β - β(0)‖ = R, drawn independently of β(0) or built from it (worst case)"
        ),
        reasons=reasons,
        evidence={"fits": [j.evidence() for j in judgements]},
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: the quick or full configuration, both kinds of β."""
    return check_lemma_e1(config=CONFIGS[profile.name], master_seed=profile.master_seed)
