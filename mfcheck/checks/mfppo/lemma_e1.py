"""Lemma E.1: E_{init, ρ} |F⁰_β(s, d_S, a) - F_β(s, d_S, a)|² = O(R³ m^-1/2) for β in B(β(0), R).

The population network F_β(s, d, a) = Σ_x d(x) f_β(s, x, a) and its linearisation F⁰_β
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

from mfcheck.checks.mfppo._rate_judgement import RateJudgement, judge_rate, rate_spec, rate_verdict
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
PARAMETERS: tuple[str, ...] = ("m", "R")


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of one run of the Lemma E.1 (and E.2) check."""

    n_states: int = 4
    """|S|; inputs are scaled one-hots of (s, s', a), d = 2|S| + |A|, ‖x‖ = 1."""
    n_actions: int = 2
    """|Ā|."""
    n_points: int = 8
    """Number of (s, d_S) points in the support of ρ."""
    widths: tuple[int, ...] = tuple(2**k for k in range(9, 17))
    """Grid of widths m for the m-exponent (at ``radius``)."""
    radius: float = 1.0
    """R for the m-grid."""
    radii: tuple[float, ...] = tuple(2.0**k for k in range(-5, 2))
    """Grid of radii R for the R-exponent (at ``radius_width``)."""
    radius_width: int = 1024
    """m for the R-grid; R / sqrt(m) <= 1/16, the small-ball regime the lemma describes (the
    seed-to-seed spread does not shrink with m, so a small m buys more seeds)."""
    n_seeds: int = 8
    """Initialisations per grid point."""
    n_seeds_tight: int = 256
    """Initialisations per grid point for the one sweep whose exponent equals the stated one
    (E.1: independent β in R; E.2: independent β in m): its interval must be narrow."""
    asymptotic_from: int = 1
    """Grid points dropped from the head of each fit."""
    gamma: float = 0.9
    """Discount of the policy-evaluation instance (τ = 1 - γ, μ = γ)."""
    reward_range: tuple[float, float] = (0.0, 1.0)
    """Rewards r = ξ ~ U(reward_range)."""

    def __post_init__(self) -> None:
        for name in ("widths", "radii"):
            grid = np.asarray(getattr(self, name), dtype=float)
            if grid.size < 3 or (grid <= 0).any() or (np.diff(grid) <= 0).any():
                raise ValueError(f"Config.{name}: needs >= 3 positive increasing values, got {grid}")
        if min(self.n_seeds, self.n_seeds_tight) < 2:
            raise ValueError(
                f"Config.n_seeds/n_seeds_tight: need >= 2 seeds, got {self.n_seeds}, {self.n_seeds_tight}"
            )
        if not 0 <= self.asymptotic_from <= min(len(self.widths), len(self.radii)) - 2:
            raise ValueError(f"Config.asymptotic_from: {self.asymptotic_from} leaves < 2 points")

    def sweeps(self) -> dict[str, tuple[tuple[float, ...], list[int], list[float]]]:
        """parameter -> (grid, widths per cell, radii per cell)."""
        return {
            "m": (tuple(map(float, self.widths)), list(self.widths), [self.radius] * len(self.widths)),
            "R": (self.radii, [self.radius_width] * len(self.radii), list(self.radii)),
        }


CONFIGS: dict[str, Config] = {
    "quick": Config(),
    "full": Config(widths=tuple(2**k for k in range(9, 19)), radii=tuple(2.0**k for k in range(-6, 3)),
                   radius_width=4096, n_seeds=32, n_seeds_tight=512),
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


def check_lemma_e1(
    factory: NetworkFactory | None = None,
    *,
    config: Config,
    master_seed: int,
    perturbations: Sequence[str] = PERTURBATIONS,
    parameters: Sequence[str] = PARAMETERS,
) -> Verdict:
    """Measure the m- and R-exponents of E|F⁰_β - F_β|² for each kind of β and judge them.

    Parameters
    ----------
    factory : callable (encoder, width, torch.Generator) -> TwoLayerDeepSet, optional
        Builds the network under test (default: the paper's network, mean normalisation).
    config : Config
    master_seed : int
        Root of the seed streams (``seed_streams(master_seed, n, label=...)``).
    perturbations : subset of ("independent", "adversarial")
    parameters : subset of ("m", "R")
    """
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.checks.mfppo._lemma_e_torch import (
        independent_perturbation,
        kink_perturbation,
        random_semigradient_problem,
        sweep_errors,
    )

    for name in perturbations:
        if name not in PERTURBATIONS:
            raise ValueError(f"perturbations: {name!r} is not one of {PERTURBATIONS}")
    for name in parameters:
        if name not in PARAMETERS:
            raise ValueError(f"parameters: {name!r} is not one of {PARAMETERS}")
    factory = factory or default_network
    torch.set_num_threads(1)
    encoder = OneHotEncoder(config.n_states, config.n_actions)
    problem = random_semigradient_problem(
        stream(master_seed, label=CLAIM_ID + ":problem"),
        n_states=config.n_states, n_actions=config.n_actions, n_points=config.n_points,
        gamma=config.gamma, reward_range=config.reward_range,
    )
    target = worst_input(problem, encoder)
    perturb = {
        "independent": independent_perturbation,
        "adversarial": lambda net, radius, _: kink_perturbation(net, target, radius, objective="value")[0],
    }
    boot = stream(master_seed, label=CLAIM_ID + ":bootstrap")
    judgements: list[RateJudgement] = []
    for perturbation in perturbations:
        for parameter in parameters:
            grid, widths, radii = config.sweeps()[parameter]
            tight = (perturbation, parameter) == ("independent", "R")
            rngs = seed_streams(
                master_seed,
                config.n_seeds_tight if tight else config.n_seeds,
                label=f"{CLAIM_ID}:{perturbation}:{parameter}",
            )
            errors = sweep_errors(
                factory, encoder, widths=widths, radii=radii, rngs=rngs,
                perturb=perturb[perturbation],
                measure=lambda net, beta: linearisation_gap(net, problem, beta),
            )
            judgements.append(
                judge_rate(
                    label=f"{perturbation} β", spec=rate_spec(CLAIM_ID, parameter), grid=grid,
                    errors=errors, rng=boot, asymptotic_from=config.asymptotic_from,
                )
            )
    extra = ()
    if any(j.label.startswith("adversarial") and not j.passed for j in judgements):
        extra = (
            "the adversarial β pushes the units of smallest |β_j(0)^T x| at one input across the "
            "ReLU kink; on a finite input set Assumption 2 (E_x 1{|z^T x| <= t} <= c t/‖z‖ for "
            "every z) cannot hold, and the gap scales as R^(8/3) m^(-1/3)",
        )
    return rate_verdict(
        CLAIM_ID,
        judgements,
        quantity="E|F⁰_β - F_β|²",
        reading=(
            "App E normalisation: F(s, d, a) = E_{x~d} f(s, x, a), f = m^-1/2 Σ_j u_j relu(β_j^T x), "
            "exact over a finite ρ; x = scaled one-hots, ‖x‖ = 1; β on the sphere ‖β - β(0)‖ = R, "
            "independent of β(0) or built from it (worst case)"
        ),
        extra_reasons=extra,
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: the quick or full configuration, both kinds of β."""
    return check_lemma_e1(config=CONFIGS[profile.name], master_seed=profile.master_seed)
