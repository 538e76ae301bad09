"""Mutants for mfgnac.lemma4: wrong statements of the Lipschitz constant of KL(·‖z).

Lemma 4 is a closed-form claim, so its honest mutants are wrong statements (``wrong=True``) that
the checker must refute with a counterexample triple.
"""

from __future__ import annotations

import numpy as np

from mfcheck.judgement.statement import Statement


def _one(alpha1: float, alpha2: float) -> float:
    return 1.0


def _half_log(alpha1: float, alpha2: float) -> float:
    return 0.5 * float(np.log(1.0 / min(alpha1, alpha2)))


def _log_only(alpha1: float, alpha2: float) -> float:
    return float(np.log(1.0 / min(alpha1, alpha2)))


#: C = 1: too small as soon as min α < ~0.27 (the sharp constant exceeds 1)
CONSTANT_ONE = Statement(text="KL(x‖z) - KL(y‖z) <= ‖x - y‖_1", value=_one, wrong=True)
#: C = ½ log(1/min α): below the sharp ½ log((1-(n-1)α1)(1-(n-1)α2)/(α1α2)) when both floors are small
HALF_LOG = Statement(text="KL(x‖z) - KL(y‖z) <= ½ log(1/min(α1, α2)) ‖x - y‖_1", value=_half_log, wrong=True)
#: C = log(1/min α) without the "+1": NOT wrong (the sharp constant is below it); documents the slack
LOG_ONLY = Statement(text="KL(x‖z) - KL(y‖z) <= log(1/min(α1, α2)) ‖x - y‖_1", value=_log_only)
