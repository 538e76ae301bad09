"""mfgnac.nac_vs_dlnac: App D's three statements judged separately over what App D leaves open."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.nac.algorithm import DLNAC_DEFAULT, NAC_DEFAULT
from mfcheck.checks.mfgnac import nac_vs_dlnac as checker
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, Cell, Verdict
from mfcheck.testing.mutants.mfgnac_nac_vs_dlnac import FROZEN_MEAN_FIELD


@pytest.fixture(scope="module")
def quick() -> Verdict:
    return run_claim(checker.CLAIM_ID, QUICK)


def _held(verdict: Verdict, name: str) -> int:
    return int(next(f.value for f in verdict.measured if f.name == f"{name}: decisive settings where it holds"))  # type: ignore[arg-type]


def _rows(verdict: Verdict, **match: object) -> list[dict]:
    return [r for r in verdict.evidence["rows"] if all(r[k] == v for k, v in match.items())]


def test_quick_verdict_reports_each_statement_where_it_holds(quick: Verdict) -> None:
    assert quick.status == "fail" and quick.error == ""
    assert len(quick.evidence["rows"]) == 9 and sum(r["decisive"] for r in quick.evidence["rows"]) == 6
    # exact critics: NAC ends lower only against the longest segments on SIS (DL-NAC still falling there)
    assert _held(quick, "NAC ends lower") == 2
    assert {(r["lam"], r["K"]) for r in quick.evidence["rows"]
            if r["decisive"] and r["outcome"]["nac_ends_lower"] == "holds"} == {(0.1, 1000), (1.0, 1000)}
    assert _held(quick, "DL-NAC zigzags") == 0
    assert _held(quick, "DL-NAC keeps a non-zero gap") == 0
    long = _rows(quick, task="sis", lam=0.1, K=1000)[0]
    assert long["dlnac"]["final"] == pytest.approx(0.044, rel=0.1) and not long["dlnac"]["settled"]
    assert long["outcome"]["dlnac_keeps_gap"] == "undecided"
    assert long["nac"]["final"] < 1e-9
    # SIS with K = 1/β: both reach round-off
    at_beta = _rows(quick, task="sis", lam=0.1, K=100)[0]
    assert at_beta["nac"]["final"] < 1e-9 and at_beta["dlnac"]["final"] < 1e-9
    # LQ from a symmetric ρ: the mean field's mean stays 0, so with exact critics both algorithms
    # produce the same policies and reach round-off
    for row in _rows(quick, task="lq"):
        assert abs(row["nac"]["final"]) < 1e-12 and (row["K"] == 2 or abs(row["dlnac"]["final"]) < 1e-12)
    assert any("does not hold in" in r for r in quick.reasons)


def test_zigzag_counts_rises_after_the_peak_only() -> None:
    assert checker.zigzag(np.array([1.0, 0.5, 0.2, 0.1])) == 0.0
    assert checker.zigzag(np.array([1.0, 2.0, 1.0, 0.5])) == 0.0  # the initial rise is excluded
    assert checker.zigzag(np.array([2.0, 1.0, 1.5, 0.5, 1.0])) == pytest.approx(0.5)


def _summary(final: float, *, low: float | None = None, high: float | None = None, zig: float = 0.0,
             settled: bool = True) -> dict:
    return {"final": final, "final_low": final if low is None else low, "final_high": final if high is None else high,
            "settled": settled, "zigzag": zig, "e0": 1.0}


def test_statements_on_synthetic_summaries() -> None:
    paper_like = checker.judge_setting(_summary(0.001, zig=0.0), _summary(0.05, zig=0.5), None)
    assert paper_like == {"nac_ends_lower": "holds", "dlnac_zigzags": "holds", "dlnac_keeps_gap": "holds"}
    round_off = checker.judge_setting(_summary(1e-15), _summary(2e-15), None)
    assert round_off == {"nac_ends_lower": "fails", "dlnac_zigzags": "fails", "dlnac_keeps_gap": "fails"}
    falling = checker.judge_setting(_summary(0.0), _summary(0.05, settled=False), None)
    assert falling["dlnac_keeps_gap"] == "undecided"
    at_floor = checker.judge_setting(_summary(0.003), _summary(0.003), _summary(0.0031))
    assert at_floor["dlnac_keeps_gap"] == "fails" and at_floor["nac_ends_lower"] == "fails"
    overlapping = checker.judge_setting(_summary(0.01, high=0.03), _summary(0.02, low=0.015), None)
    assert overlapping["nac_ends_lower"] == "fails"


def test_a_given_dlnac_is_the_dlnac_arm_and_nac_derives_from_the_default() -> None:
    variant = dataclasses.replace(DLNAC_DEFAULT, reset_policy=True)
    settings = {"task": "sis", "size": 2, "gamma": 0.9, "lam": 0.1, "beta": 0.01, "eta": 0.05, "critic": "own",
                "T": 200, "every": 10}
    dl_cell = Cell.of(checker.CLAIM_ID, {**settings, "arm": "dlnac", "K": 50})
    nac_cell = Cell.of(checker.CLAIM_ID, {**settings, "arm": "nac", "K": 0})
    reset = checker.measure(dl_cell, variant, 1)["curve"]
    kept = checker.measure(dl_cell, DLNAC_DEFAULT, 1)["curve"]
    assert reset[4] == kept[4]  # t = 40: the same inner steps
    assert reset[5] == reset[0] != kept[5]  # t = 50: θ restarted at 0 after the first jump (E depends on π only)
    nac = checker.measure(nac_cell, variant, 1)["curve"]
    assert nac == checker.measure(nac_cell, NAC_DEFAULT, 1)["curve"]


def test_frozen_mean_field_keeps_nac_away_from_equilibrium() -> None:
    # the mutant's power on one cell (fast; the run through run_claim is below, marked slow)
    settings = {"task": "sis", "size": 2, "gamma": 0.9, "lam": 0.1, "beta": 0.01, "eta": 0.05, "critic": "own",
                "T": 1500, "every": 50, "arm": "nac", "K": 0}
    cell = Cell.of(checker.CLAIM_ID, settings)
    paper = checker.measure(cell, NAC_DEFAULT, 1)["curve"]
    broken = checker.measure(cell, FROZEN_MEAN_FIELD, 1)["curve"]
    assert paper[-1] < 1e-3 < 1.0 < broken[-1]


@pytest.mark.slow
def test_rejects_frozen_mean_field(quick: Verdict) -> None:
    verdict = run_claim(checker.CLAIM_ID, QUICK, algorithm=FROZEN_MEAN_FIELD)
    assert verdict.status == "fail"
    # NAC whose mean field never leaves ρ converges to Γ1(ρ): its E stays high on SIS, so it no
    # longer ends below DL-NAC anywhere (the paper's NAC does against K = 1000)
    assert _held(verdict, "NAC ends lower") == 0 < _held(quick, "NAC ends lower")
    for lam, floor in ((0.1, 1.0), (1.0, 0.1)):
        row = _rows(verdict, task="sis", lam=lam, K=100)[0]
        assert row["nac"]["final"] > floor > row["dlnac"]["final"]
