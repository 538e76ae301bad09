"""Both sides of the entropy-regularised performance-difference lemma (MFG-NAC App B.1), exactly.

    V^{π,λ}_μ(ρ) - V^{π',λ}_μ(ρ)
        = 1/(1-γ) E_{s~d^π_μ, a~π}[q^{π',λ}_μ(s,a) - V^{π',λ}_μ(s)] - λ/(1-γ) E_{s~d^π_μ}[KL(π‖π')]

with V^{π,λ}(s) = E[Σ_t γ^t (r - λ log π)], Q^{π,λ} = r + γ P V^{π,λ}, the shifted
q^{π',λ} = Q^{π',λ} - λ log π' and the normalised visitation d^π_μ = (1-γ) ρᵀ(I - γ P_π(μ))^{-1}.
:func:`pdl_rhs` also evaluates the readings under which the identity is NOT exact (unshifted q,
unnormalised d, the KL term dropped), so a check can report how far each misses.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import MeanFieldGame
from mfcheck.solvers.along_run import kl_rows
from mfcheck.solvers.best_response import policy_values
from mfcheck.solvers.visitation import discounted_visitation

Array = NDArray[np.float64]


def pdl_lhs(game: MeanFieldGame, pi: Array, pi_prime: Array, mu: Array) -> float:
    """V^{π,λ}_μ(ρ) - V^{π',λ}_μ(ρ) (two policy evaluations)."""
    return float(game.initial @ (policy_values(game, pi, mu)[0] - policy_values(game, pi_prime, mu)[0]))


def pdl_rhs(game: MeanFieldGame, pi: Array, pi_prime: Array, mu: Array, *, shifted: bool = True,
            normalised: bool = True, with_kl: bool = True) -> float:
    """The right-hand side of App B.1's identity; ``shifted=False`` reads q as the unshifted Q,
    ``normalised=False`` takes the visitation Σ_t γ^t P(s_t) without the (1-γ), ``with_kl=False``
    drops the -λ/(1-γ) E[KL] term (the unregularised lemma)."""
    values, q_values = policy_values(game, pi_prime, mu)
    q = q_values - game.lam * np.log(pi_prime) if shifted else q_values
    d = discounted_visitation(game, pi, mu)
    if not normalised:
        d = d / (1.0 - game.gamma)
    out = d @ np.einsum("sa,sa->s", pi, q - values[:, None]) / (1.0 - game.gamma)
    if with_kl:
        out -= game.lam / (1.0 - game.gamma) * (d @ kl_rows(pi, pi_prime))
    return float(out)
