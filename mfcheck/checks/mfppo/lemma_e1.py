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

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mfcheck.checks.mfppo._lemma_e_sweeps import (
    PARAMETERS,
    PERTURBATIONS,
    Config,
    check_lemma_e,
    default_network,
)
from mfcheck.judgement.profile import Profile
from mfcheck.judgement.verdict import Verdict

if TYPE_CHECKING:
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
    from mfcheck.checks.mfppo._lemma_e_sweeps import NetworkFactory, Perturbation
    from mfcheck.checks.mfppo._lemma_e_torch import SemiGradientProblem

__all__ = [
    "CONFIGS", "PARAMETERS", "PERTURBATIONS", "Config", "adversarial_perturbation", "check_lemma_e1",
    "default_network", "linearisation_gap", "run", "worst_input",
]

CLAIM_ID = "mfppo.lemma_e1"

CONFIGS: dict[str, Config] = {
    "quick": Config(),
    "full": Config(widths=tuple(2**k for k in range(9, 19)), radii=tuple(2.0**k for k in range(-6, 3)),
                   radius_width=4096, n_seeds=32, n_seeds_tight=512),
}


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


def adversarial_perturbation(problem: SemiGradientProblem, encoder: OneHotEncoder) -> Perturbation:
    """β crossing the kinks of the units of smallest |β_j(0)^T x| at :func:`worst_input` ("value")."""
    from mfcheck.checks.mfppo._lemma_e_torch import kink_perturbation

    target = worst_input(problem, encoder)

    def perturb(net: TwoLayerDeepSet, radius: float, _: torch.Generator) -> torch.Tensor:
        return kink_perturbation(net, target, radius, objective="value")[0]

    return perturb


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
    return check_lemma_e(
        CLAIM_ID, factory, config=config, master_seed=master_seed,
        perturbations=perturbations, parameters=parameters, tight=("independent", "R"),
        adversarial=adversarial_perturbation, measure=linearisation_gap,
        quantity="E|F⁰_β - F_β|²",
        reading=(
            "App E normalisation: F(s, d, a) = E_{x~d} f(s, x, a), f = m^-1/2 Σ_j u_j relu(β_j^T x), "
            "exact over a finite ρ; x = scaled one-hots, ‖x‖ = 1; β on the sphere ‖β - β(0)‖ = R, "
            "independent of β(0) or built from it (worst case)"
        ),
        adversarial_reason=(
            "the adversarial β pushes the units of smallest |β_j(0)^T x| at one input across the "
            "ReLU kink; on a finite input set Assumption 2 (E_x 1{|z^T x| <= t} <= c t/‖z‖ for "
            "every z) cannot hold, and the gap scales as R^(8/3) m^(-1/3)"
        ),
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: the quick or full configuration, both kinds of β."""
    return check_lemma_e1(config=CONFIGS[profile.name], master_seed=profile.master_seed)
