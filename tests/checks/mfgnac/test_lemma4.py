"""MFG-NAC Lemma 4: Lipschitz bound of KL(·‖z) on floored simplices."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from mfcheck.checks.mfgnac import lemma4
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfgnac_lemma4 import (
    mutant_constant_one,
    mutant_half_log,
    mutant_log_only,
)
from mfcheck.testing.strategies_mfg import floors, simplex_vectors


def test_quick_run_passes_with_numbers() -> None:
    verdict = lemma4.run(QUICK)
    assert verdict.status == "pass"
    measured = {f.name: f.value for f in verdict.measured}
    assert 0.5 < measured["(KL gap)/(C ‖x-y‖_1)"] < 1.0
    # the stated constant exceeds the largest ratio found by at least the "+1"
    assert measured["min (C - sup ratio found)"] >= 0.99
    # the adversarial search gets within 1e-3 of the closed-form supremum
    assert 0 <= measured["max (closed-form sup - found)"] < 1e-3


def test_run_is_deterministic() -> None:
    assert lemma4.run(QUICK).evidence == lemma4.run(QUICK).evidence


def test_sharp_constant_is_attained_in_the_limit() -> None:
    a1, a2 = 1e-3, 1e-2
    x, z = np.array([1 - a1, a1]), np.array([a2, 1 - a2])
    y = x + 1e-9 * np.array([-1.0, 1.0])
    assert np.isclose(lemma4.gap_ratio(x, y, z), lemma4.sharp_constant(2, a1, a2), rtol=1e-5)


@given(
    x=simplex_vectors(size=4, min_value=1e-5),
    y=simplex_vectors(size=4, min_value=1e-5),
    z=simplex_vectors(size=4, min_value=1e-5),
)
def test_random_triples_satisfy_lemma4(x, y, z) -> None:
    assert lemma4.check_lemma4([(x, y, z)]).status == "pass"


@given(alpha=floors(high=0.3))
def test_sharp_constant_never_exceeds_stated(alpha: float) -> None:
    for n in (2, 3):
        if alpha < 1 / n:
            assert lemma4.sharp_constant(n, alpha, alpha) <= lemma4.lemma4_constant(alpha, alpha)


def test_rejects_constant_one() -> None:
    verdict = lemma4.run(QUICK, constant=mutant_constant_one)
    assert verdict.status == "fail"
    assert verdict.evidence["max_normalised_ratio"] > 10


def test_rejects_half_log() -> None:
    assert lemma4.run(QUICK, constant=mutant_half_log).status == "fail"


def test_log_without_one_is_not_violated() -> None:
    """Finding: dropping the "+1" keeps the bound valid (the +1 is slack)."""
    assert lemma4.run(QUICK, constant=mutant_log_only).status == "pass"
