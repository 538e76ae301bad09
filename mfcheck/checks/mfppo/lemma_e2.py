"""Lemma E.2: E_init ‖ḡ_β - ḡ⁰_β‖² = O(R³ m^-1/2) for β in B(β(0), R).

ḡ_β = E_{ρ, P, π}[δ_β ∇_β F_β(s, d_S, a)] is the population semi-gradient of App E
(δ_β = F_β(s, d_S, a) - τ ξ - μ F_β(s', d'_S, a'), policy-evaluation case τ = 1 - γ, μ = γ,
ξ = r), ḡ⁰_β the same with the linearisation F⁰_β and its gradient ∇F⁰ = ∇F_β(0). Both are
finite sums on a finite problem, computed exactly; E_init is a mean over seeds. β as in
:mod:`mfcheck.checks.mfppo.lemma_e1`: independent of β(0), or built from it to flip as many
activation patterns as the budget R allows at the input that weighs most in ḡ (objective
"count"). Reference: MF-PPO (arXiv 2105.08268) Lemma E.2, App E definitions, eq (E.7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mfcheck.checks.mfppo._lemma_e_sweeps import PARAMETERS, PERTURBATIONS, Config, check_lemma_e
from mfcheck.judgement.profile import Profile
from mfcheck.judgement.verdict import Verdict

if TYPE_CHECKING:
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
    from mfcheck.checks.mfppo._lemma_e_sweeps import NetworkFactory, Perturbation
    from mfcheck.checks.mfppo._lemma_e_torch import SemiGradientProblem

CLAIM_ID = "mfppo.lemma_e2"

#: γ = 0.5 and r ~ U[2, 4] make δ ≈ -τ r dominate the random F(β(0)) ~ 0.2, so the seed-to-seed
#: spread of ‖ḡ - ḡ⁰‖² reflects the flips, not the sign of δ; R = 1/4 keeps R/sqrt(m) <= 1/64.
CONFIGS: dict[str, Config] = {
    "quick": Config(widths=tuple(2**k for k in range(8, 15)), radius=0.25,
                    radii=tuple(2.0**k for k in range(-4, 3)), radius_width=4096, n_seeds=32,
                    n_seeds_tight=64, gamma=0.5, reward_range=(2.0, 4.0)),
    "full": Config(widths=tuple(2**k for k in range(8, 18)), radius=0.25,
                   radii=tuple(2.0**k for k in range(-5, 3)), radius_width=16384, n_seeds=64,
                   n_seeds_tight=128, gamma=0.5, reward_range=(2.0, 4.0)),
}


def semigradient_gap(net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor) -> float:
    """‖ḡ_β - ḡ⁰_β‖², both population semi-gradients exact over the finite problem."""
    from mfcheck.checks.mfppo._lemma_e_torch import population_semigradient

    diff = population_semigradient(net, problem, beta, linearised=False) - population_semigradient(
        net, problem, beta, linearised=True
    )
    return float(diff.pow(2).sum())


def heaviest_input(net: TwoLayerDeepSet, problem: SemiGradientProblem) -> torch.Tensor:
    """The input with the largest |c(s, x, a)| in ḡ at β(0) (the weight of its gradient)."""
    from mfcheck.checks.mfppo._lemma_e_torch import input_coefficients, population_values, residuals

    values = population_values(net, problem, net.beta0, linearised=False)
    weights = values.new_tensor(problem.rho) * residuals(problem, values)
    coefficients = input_coefficients(problem, weights, net.encoder.n_states)
    index = int(coefficients.abs().flatten().argmax())
    return net.encoder.table.reshape(-1, net.encoder.dim)[index]


def adversarial_perturbation(problem: SemiGradientProblem, encoder: OneHotEncoder) -> Perturbation:
    """β flipping the activations of the units of smallest |β_j(0)^T x| at :func:`heaviest_input` ("count")."""
    from mfcheck.checks.mfppo._lemma_e_torch import kink_perturbation

    def perturb(net: TwoLayerDeepSet, radius: float, _: torch.Generator) -> torch.Tensor:
        return kink_perturbation(net, heaviest_input(net, problem), radius, objective="count")[0]

    return perturb


def check_lemma_e2(
    factory: NetworkFactory | None = None,
    *,
    config: Config,
    master_seed: int,
    perturbations: Sequence[str] = PERTURBATIONS,
    parameters: Sequence[str] = PARAMETERS,
) -> Verdict:
    """Measure the m- and R-exponents of ‖ḡ_β - ḡ⁰_β‖² for each kind of β and judge them.

    Parameters as in :func:`mfcheck.checks.mfppo.lemma_e1.check_lemma_e1`.
    """
    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder

    return check_lemma_e(
        CLAIM_ID, factory, config=config, master_seed=master_seed,
        perturbations=perturbations, parameters=parameters, tight=("independent", "m"),
        adversarial=adversarial_perturbation, measure=semigradient_gap,
        quantity="‖ḡ_β - ḡ⁰_β‖²",
        reading=(
            "App E normalisation (F = E_{x~d} f); ḡ, ḡ⁰ exact over a finite policy-evaluation "
            f"problem (γ = {config.gamma}, r ~ U{list(config.reward_range)}); β on the sphere "
            "‖β - β(0)‖ = R, independent of β(0) or built from it (worst case)"
        ),
        adversarial_reason=(
            "the adversarial β flips the activation pattern of the units of smallest "
            "|β_j(0)^T x| at one input; k ~ (R m)^(2/3) units fit in the budget, so "
            "‖∇F_β - ∇F⁰‖² ~ k/m ~ R^(2/3) m^(-1/3); Assumption 2 cannot hold on a finite input set"
        ),
        evidence={"input_dim": OneHotEncoder(config.n_states, config.n_actions).dim},
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: the quick or full configuration, both kinds of β."""
    return check_lemma_e2(config=CONFIGS[profile.name], master_seed=profile.master_seed)
