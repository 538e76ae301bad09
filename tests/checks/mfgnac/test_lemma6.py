"""MFG-NAC Lemma 6: Lipschitz bound of the composite map Λ = Γ2(Γ1^λ(·), ·), a statement about the
game's constants (no algorithm), refuted for a wrong statement by a counterexample pair."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest

from mfcheck.checks.mfgnac import lemma6
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.judgement import Cell, using_executor
from mfcheck.solvers import boltzmann_best_response, population_update
from mfcheck.testing.mutants.mfgnac_lemma6 import HALVED_CONSTANT

CLAIM_ID = lemma6.CLAIM_ID


@pytest.fixture(scope="module")
def memo() -> Iterator[None]:
    """Records are a function of (cell, algorithm, master seed) only, so the paper's statement
    and the wrong one are judged on the same records, measured once."""
    records: dict[tuple[str, int], Any] = {}

    def executor(cells: Sequence[Cell], measure, algorithm, master_seed: int) -> list[Any]:
        assert algorithm is None
        for cell in cells:
            if (cell.key, master_seed) not in records:
                records[cell.key, master_seed] = measure(cell, algorithm, master_seed)
        return [records[cell.key, master_seed] for cell in cells]

    with using_executor(executor):
        yield


@pytest.fixture(scope="module")
def quick(memo: None) -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_quick_run_passes_and_reports_contraction(quick: Verdict) -> None:
    assert quick.status == "pass" and quick.algorithm == ""
    measured = {f.name: f.value for f in quick.measured}
    assert measured["max ratio / L"] <= 1.0  # 0.83
    # SIS: d3 = sup |d/dx (0.81 x (1-x) + 0.7 x)| = 1.51 > 1, so no λ gives a contraction
    assert measured["SIS min d1d2+d3"] > 1.4
    assert measured["LQ min d1d2+d3"] > 1.0
    assert measured["control game min d1d2+d3"] < 1.0
    contraction = {(c["game"], c["lam"]) for c in quick.evidence["cases"] if c["contraction"]}
    assert contraction == {("random_mfg", 0.1), ("random_mfg", 1.0), ("random_mfg", 10.0)}


def test_records_hold_the_held_out_pairs(quick: Verdict) -> None:
    record = lemma6.measure(lemma6.cells(QUICK)[0], None, QUICK.master_seed)  # SIS, λ = 0.1
    game = lemma6.GAMES["sis"](0.1)
    row = record["equilibria"][0]
    (mu, other), ratio = row["pairs"][0], row["ratios"][0]
    image = population_update(game, boltzmann_best_response(game, np.array(mu)), np.array(mu))
    image_other = population_update(game, boltzmann_best_response(game, np.array(other)), np.array(other))
    assert ratio == pytest.approx(np.abs(image - image_other).sum() / np.abs(np.subtract(mu, other)).sum())


def test_rejects_halved_constant(memo: None, quick: Verdict) -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=HALVED_CONSTANT)
    assert verdict.status == "fail"
    measured = {f.name: f.value for f in verdict.measured}
    assert measured["max ratio / L"] > 1.5  # 1.65: twice the paper statement's 0.83
    counterexamples = [c["counterexample"] for c in verdict.evidence["cases"] if c["counterexamples"]]
    assert len(counterexamples) >= 6  # 8 of the 12 (instance, λ, μ*) cases
    # each is a pair (μ, μ') whose Λ-ratio exceeds the halved constant at the estimates; the
    # estimates would have to be 1.3-1.5x below the suprema for it not to refute the statement
    assert all(c["ratio"] > 0 and c["underestimation_to_cover"] > 1.2 for c in counterexamples)
    assert any("held-out pairs exceed L" in r for r in verdict.reasons)
