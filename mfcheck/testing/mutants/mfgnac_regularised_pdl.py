"""Mutants for mfgnac.regularised_pdl: wrong statements of the regularised PDL's right-hand side.

The identity is a closed-form claim, so its honest mutants are wrong statements (``wrong=True``):
plausible misreadings of App B.1 that the checker must refute with a case where both sides differ.
"""

from __future__ import annotations

from functools import partial

from mfcheck.judgement.statement import Statement
from mfcheck.solvers.performance_difference import pdl_rhs

#: the unregularised PDL applied to regularised values: the -λ/(1-γ) E[KL(π‖π')] term dropped
MISSING_KL = Statement(text="V^π(ρ) - V^π'(ρ) = E_{d^π×π}[q^π' - V^π']/(1-γ)  (no KL term)",
                       value=partial(pdl_rhs, with_kl=False), wrong=True)
#: q^{π',λ} read as the unshifted Q^{π',λ}: off by λ/(1-γ) E_{d^π, π}[log π']
UNSHIFTED_Q = Statement(text="V^π(ρ) - V^π'(ρ) = E_{d^π×π}[Q^π' - V^π']/(1-γ) - λ E_{d^π}[KL(π‖π')]/(1-γ)",
                        value=partial(pdl_rhs, shifted=False), wrong=True)
