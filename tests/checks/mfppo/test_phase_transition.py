"""mfppo.phase_transition: the MFPPO's Alg 2 N-term never dominates at feasible sizes; the judgement
finds a crossover when the statistical error is of the paper's kind (positive control)."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.checks.mfppo import phase_transition
from mfcheck.claims import QUICK, run_claim
from mfcheck.testing.mutants.mfppo_phase_transition import MEAN_FIELD_BLIND_CRITIC

CLAIM_ID = phase_transition.CLAIM_ID
SMALL = phase_transition.PpoPhaseTransitionSizes(t_grid=(64, 256, 1024), n_grid=(1, 4, 16, 64), runs=8, width=64)


def ratios(verdict) -> list[float]:
    return [r[0] for row in verdict.evidence["ratio_mean_low_high"] for r in row]


def test_no_statistical_phase_at_feasible_sizes(quick_sizes, curves_ok) -> None:
    with quick_sizes(phase_transition.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK)
    assert verdict.status == "fail"
    assert 0 < max(ratios(verdict)) < 0.01  # D/O: the N-term is < 1 % of the T-term everywhere
    assert all(c is None for c in verdict.evidence["crossover"])
    assert verdict.evidence["extrapolated_t_at_n1"] > 1e5
    # the phase-transition curves: ε against T (O and one series per N), D against N (one per T),
    # mean D / mean O against N with the level 1; every initialisation a seed
    curves = verdict.evidence["curves"]
    curves_ok(curves)
    against_t, against_n, ratio = curves
    assert [s["label"] for s in against_t["series"]] == ["O(T) (N = ∞)", *(f"ε(T, N = {n})" for n in SMALL.n_grid)]
    assert all(s["x"] == list(SMALL.t_grid) and len(s["y_per_seed"]) == SMALL.runs for s in against_t["series"])
    assert [s["x"] for s in against_n["series"]] == [list(SMALL.n_grid)] * len(SMALL.t_grid)
    assert [s["y"] for s in ratio["series"][:-1]] == [[r[0] for r in row] for row in verdict.evidence["ratio_mean_low_high"]]
    assert ratio["series"][-1]["reference"] and all(p["logx"] and p["logy"] for p in curves)


def test_positive_control_the_judgement_finds_a_crossover() -> None:
    """ε ≈ a T^-1/2 + b N^-1/2 (the paper's reading) with a = b: D/O = T/N, statistical at small N,
    a crossover N*(T) ≈ T growing with T."""
    sizes = phase_transition.PpoPhaseTransitionSizes(t_grid=(64, 256, 1024), n_grid=(1, 4, 16, 64, 256, 1024, 4096), runs=16)
    rng = np.random.default_rng(0)
    t, n = np.array(sizes.t_grid, dtype=float), np.array(sizes.n_grid, dtype=float)
    opt = (0.5 / np.sqrt(t))[:, None] ** 2 * rng.uniform(0.8, 1.2, (3, 16))
    stat = (0.5 / np.sqrt(n))[None, :, None] ** 2 * rng.uniform(0.8, 1.2, (3, 7, 16))
    verdict = phase_transition.phase_verdict(sizes, opt, stat, opt[:, None] + stat, master_seed=0)
    assert verdict.status == "pass", verdict.reasons
    assert max(verdict.evidence["curves"][2]["series"][0]["y"]) > 1  # the statistical phase shows above 1
    crossings = verdict.evidence["crossover"]
    assert all(c is not None for c in crossings) and crossings == sorted(crossings)
    assert verdict.evidence["phase"][-1][0] == "statistical" and verdict.evidence["phase"][0][-1] == "optimisation"


def test_rejects_mean_field_blind_critic(quick_sizes) -> None:
    with quick_sizes(phase_transition.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK, algorithm=MEAN_FIELD_BLIND_CRITIC)
    assert verdict.status == "fail"
    assert max(ratios(verdict)) == 0.0  # N never reaches the critic


@pytest.mark.slow
def test_quick_profile() -> None:
    verdict = phase_transition.check(profile=QUICK)
    assert verdict.status == "fail"
    assert max(ratios(verdict)) < 0.01
