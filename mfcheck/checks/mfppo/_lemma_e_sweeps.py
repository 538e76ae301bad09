"""Shared sweep of the Lemma E.1 and E.2 checks: configuration, kinds of β × parameters, verdict.

Both lemmas bound a gap between the network and its linearisation at β in B(β(0), R) by
O(R³ m^-1/2). Each check measures its gap on a finite policy-evaluation problem for two kinds
of β (``independent`` of β(0), or ``adversarial``, built from it) and fits its exponents in m
(at fixed R) and in R (at fixed m); :func:`check_lemma_e` runs those sweeps and judges them with
:func:`mfcheck.checks.mfppo._rate_judgement.rate_verdict`. torch is imported only when a check runs.
Reference: MF-PPO (arXiv 2105.08268) Lemmas E.1, E.2, App E.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mfcheck.checks.mfppo._rate_judgement import RateJudgement, judge_rate, rate_spec, rate_verdict
from mfcheck.judgement.verdict import Verdict
from mfcheck.stats import seed_streams, stream

if TYPE_CHECKING:
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
    from mfcheck.checks.mfppo._lemma_e_torch import SemiGradientProblem

    NetworkFactory = Callable[[OneHotEncoder, int, torch.Generator], TwoLayerDeepSet]
    Perturbation = Callable[[TwoLayerDeepSet, float, torch.Generator], torch.Tensor]

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


def default_network(encoder: OneHotEncoder, width: int, generator: torch.Generator) -> TwoLayerDeepSet:
    """The paper's two-layer network, mean normalisation (App E)."""
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet

    return TwoLayerDeepSet(encoder, width, generator=generator, pooling="mean")


def check_lemma_e(
    claim_id: str,
    factory: NetworkFactory | None,
    *,
    config: Config,
    master_seed: int,
    perturbations: Sequence[str],
    parameters: Sequence[str],
    tight: tuple[str, str],
    adversarial: Callable[[SemiGradientProblem, OneHotEncoder], Perturbation],
    measure: Callable[[TwoLayerDeepSet, SemiGradientProblem, torch.Tensor], float],
    quantity: str,
    reading: str,
    adversarial_reason: str,
    evidence: dict[str, object] | None = None,
) -> Verdict:
    """Sweep every (kind of β, parameter), fit each exponent and judge them against the claim.

    Parameters
    ----------
    claim_id : str
        Names the ``[[rate]]`` entries and labels every seed stream.
    factory : callable (encoder, width, torch.Generator) -> TwoLayerDeepSet, or None
        The network under test (None: :func:`default_network`).
    config, master_seed, perturbations, parameters
        As in :func:`mfcheck.checks.mfppo.lemma_e1.check_lemma_e1`.
    tight : (perturbation, parameter)
        The one sweep run with ``config.n_seeds_tight`` seeds.
    adversarial : callable (problem, encoder) -> perturbation
        Builds the ``adversarial`` β-maker ``(net, R, generator) -> β`` for the problem.
    measure : callable (net, problem, β) -> float
        The gap whose exponents are fitted.
    quantity, reading : str
        For :func:`~mfcheck.checks.mfppo._rate_judgement.rate_verdict`.
    adversarial_reason : str
        Appended to the reasons when an adversarial fit fails.
    evidence : dict, optional
        Extra evidence entries.
    """
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.checks.mfppo._lemma_e_torch import (
        independent_perturbation,
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
        stream(master_seed, label=claim_id + ":problem"),
        n_states=config.n_states, n_actions=config.n_actions, n_points=config.n_points,
        gamma=config.gamma, reward_range=config.reward_range,
    )
    perturb = {"independent": independent_perturbation, "adversarial": adversarial(problem, encoder)}
    boot = stream(master_seed, label=claim_id + ":bootstrap")
    judgements: list[RateJudgement] = []
    for perturbation in perturbations:
        for parameter in parameters:
            grid, widths, radii = config.sweeps()[parameter]
            rngs = seed_streams(
                master_seed,
                config.n_seeds_tight if (perturbation, parameter) == tight else config.n_seeds,
                label=f"{claim_id}:{perturbation}:{parameter}",
            )
            errors = sweep_errors(
                factory, encoder, widths=widths, radii=radii, rngs=rngs,
                perturb=perturb[perturbation],
                measure=lambda net, beta: measure(net, problem, beta),
            )
            judgements.append(
                judge_rate(
                    label=f"{perturbation} β", spec=rate_spec(claim_id, parameter), grid=grid,
                    errors=errors, rng=boot, asymptotic_from=config.asymptotic_from,
                )
            )
    adversarial_failed = any(j.label.startswith("adversarial") and not j.passed for j in judgements)
    return rate_verdict(
        claim_id,
        judgements,
        quantity=quantity,
        reading=reading,
        extra_reasons=(adversarial_reason,) if adversarial_failed else (),
        evidence=evidence,
    )
