"""MFG-NAC Lemma 4: Lipschitz bound of KL(·‖z) on floored simplices (a closed-form claim)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from mfcheck.checks.mfgnac import lemma4
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK
from mfcheck.judgement.statement import Statement
from mfcheck.solvers.kl_lipschitz import kl
from mfcheck.testing.mutants.mfgnac_lemma4 import CONSTANT_ONE, HALF_LOG, LOG_ONLY
from mfcheck.testing.strategies_mfg import simplex_vectors

CLAIM_ID = lemma4.CLAIM_ID


@pytest.fixture(scope="module")
def verdict():
    return run_claim(CLAIM_ID, QUICK)


def test_quick_run_passes_with_numbers(verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    measured = {f.name: f.value for f in verdict.measured}
    assert 0.5 < measured["(KL gap)/(C ‖x-y‖_1)"] < 1.0
    # the stated constant exceeds the largest ratio found by at least the "+1"
    assert measured["min (C - sup ratio found)"] >= 0.99
    # the adversarial search gets within 1e-3 of the closed-form supremum
    assert 0 <= measured["max (closed-form sup - found)"] < 1e-3
    assert len(verdict.evidence["adversarial"]) == 24
    assert verdict.evidence["n_triples"] == 24 + 442  # of 500 random triples, those with x = y are skipped


def test_cells_are_pure_and_independent_of_order() -> None:
    cells = lemma4.cells(QUICK)
    measure = lemma4.measure.__wrapped__  # uncached
    first = [measure(cell, None, QUICK.master_seed).values for cell in cells[:3]]
    again = [measure(cell, None, QUICK.master_seed).values for cell in reversed(cells[:3])][::-1]
    assert first == again
    assert lemma4.measure(cells[1], None, QUICK.master_seed).values == first[1]


@given(x=simplex_vectors(size=4, min_value=1e-5), y=simplex_vectors(size=4, min_value=1e-5),
       z=simplex_vectors(size=4, min_value=1e-5))
def test_random_triples_satisfy_lemma4(x, y, z) -> None:
    alpha1, alpha2 = min(x.min(), y.min()), z.min()
    gap = kl(x, z) - kl(y, z)
    assert gap <= lemma4.lemma4_constant(alpha1, alpha2) * np.abs(x - y).sum() + 1e-12


def test_rejects_constant_one() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=CONSTANT_ONE)
    assert verdict.status == "fail"
    assert verdict.evidence["max_normalised_ratio"] > 10
    assert any("KL gap" in r for r in verdict.reasons)


def test_rejects_half_log() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=HALF_LOG)
    assert verdict.status == "fail"
    assert verdict.evidence["max_normalised_ratio"] > 1.0


def test_log_without_one_is_not_refuted() -> None:
    """Finding: dropping the "+1" keeps the bound valid (the +1 is slack)."""
    assert not LOG_ONLY.wrong
    verdict = run_claim(CLAIM_ID, QUICK, statement=LOG_ONLY)
    assert verdict.status == "pass"
    assert isinstance(lemma4.PAPER_STATEMENT, Statement)
