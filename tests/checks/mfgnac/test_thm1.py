"""mfgnac.thm1: not applicable on SIS (d̄ <= 0), judged on the contractive game; the derivation."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT, Constant, HorizonPower
from mfcheck.checks.mfgnac import thm1
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, Cell, Verdict
from mfcheck.testing.mutants.mfgnac_thm1 import UNREGULARISED_POLICY_UPDATE

ROOT = Path(__file__).resolve().parents[3]
CONTRACTIVE = "contractive(γ=0.9, λ=1.0)"


def _derivation():
    spec = importlib.util.spec_from_file_location(
        "thm1_schedule", ROOT / "theory" / "derivations" / "thm1_schedule.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.derive()


def _exponent(verdict: Verdict, label: str) -> float:
    return next(float(f.value) for f in verdict.measured if f.name == f"T-exponent ({label})")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def quick() -> Verdict:
    return run_claim(thm1.CLAIM_ID, QUICK)


def test_derivation_schedule_is_the_unique_lp_optimum() -> None:
    result = _derivation()
    assert result["overall_exponent"] == "-1/5"
    assert result["exponents_at_paper_schedule"]["sigma_pi_0/(T eta lam)"] == "-3/10"
    assert set(result["balanced_terms"]) == {
        "2 eta R^2/lam", "kappa beta/(eta lam)", "sigma_mu_0/(T beta dbar)"
    }
    assert result["lp_optimum"]["a"] == pytest.approx(0.4)
    assert result["lp_optimum"]["b"] == pytest.approx(0.8)
    assert result["lp_optimum"]["exponent"] == pytest.approx(-0.2)
    assert result["lp_without_mean_field_term"]["exponent"] == pytest.approx(-0.25)


def test_quick_judges_the_contractive_game_and_is_not_applicable_on_sis(quick: Verdict) -> None:
    assert quick.status == "fail" and quick.error == ""
    # the paper's NAC with its exact oracle meets Theorem 1's exponent from ρ and from a Dirichlet μ_0
    assert _exponent(quick, f"{CONTRACTIVE}, own oracle, μ_0 = ρ") == pytest.approx(-0.187, abs=0.005)
    assert _exponent(quick, f"{CONTRACTIVE}, own oracle, μ_0 = Dirichlet draw 1") == pytest.approx(-0.168, abs=0.01)
    assert quick.evidence[f"{CONTRACTIVE} own oracle"]["fits"][0]["passed"]
    # the only failing part is the sampled one (next test)
    assert len(quick.reasons) == 3 and "TD + SGD" in quick.reasons[-1]
    # SIS: d̄ <= 0 from lower-bound estimates certifies the violation; two equilibria as well
    assert sum(k.startswith("sis") for k in quick.evidence) == 2
    violated = [h for h in quick.hypotheses if not h.holds]
    assert {h.name for h in violated} == {thm1.D_BAR, thm1.UNIQUE}
    assert sorted(round(h.measured, 3) for h in violated if h.name == thm1.D_BAR) == [-0.868, -0.574]
    assert all(h.certified for h in violated)
    # the contractive game: d̄ ≈ 0.22 > 0, estimated, not certified
    estimated = [h for h in quick.hypotheses if h.name == thm1.D_BAR and h.holds]
    assert len(estimated) == 1 and not estimated[0].certified
    assert estimated[0].measured == pytest.approx(0.217, abs=0.02)
    assert "hypothesis estimated, not certified" in estimated[0].render()


def test_td_sgd_part_fails_at_the_quick_horizons(quick: Verdict) -> None:
    # the finding: Algorithms 2-3 with K = ceil(T^0.8/8) decay as T^-0.14 at T <= 1000, although
    # ε_total falls fast enough there (the full profile, to T = 3162, measures -0.199)
    evidence = quick.evidence[f"{CONTRACTIVE} TD + SGD"]
    assert evidence["K"] == [5, 13, 32]
    assert evidence["epsilon_decay_exponent"] == pytest.approx(-1.26, abs=0.05)
    assert evidence["epsilon_total_median"][1] == pytest.approx(289, rel=0.05)
    fit = evidence["fits"][0]
    low, high = fit["ci"]
    assert fit["exponent"] == pytest.approx(-0.140, abs=0.005)
    assert high - low < 0.1  # an interval narrower than the margin
    assert high > -0.1 and not fit["passed"]


def test_schedule_parts_replace_only_the_default_schedules() -> None:
    parts = thm1.schedule_parts(NAC_DEFAULT, 2.0)
    assert parts == {"policy_step": HorizonPower(0.5, -0.4), "mean_field_step": HorizonPower(1.0, -0.8)}
    own = dataclasses.replace(NAC_DEFAULT, mean_field_step=Constant(0.2))
    assert thm1.schedule_parts(own, 2.0) == {"policy_step": HorizonPower(0.5, -0.4)}


def test_initial_mean_field_is_shared_across_horizons_and_seeds() -> None:
    game = thm1.make_game("contractive", 0.9, 1.0)
    settings = {"part": "given", "game": "contractive", "gamma": 0.9, "lam": 1.0, "K": 0}
    a = Cell.of(thm1.CLAIM_ID, {**settings, "initial": 1, "T": 100}, 0)
    b = Cell.of(thm1.CLAIM_ID, {**settings, "initial": 1, "T": 1000}, 1)
    assert (thm1.initial_mean_field(a, game, 7) == thm1.initial_mean_field(b, game, 7)).all()
    rho = Cell.of(thm1.CLAIM_ID, {**settings, "initial": 0, "T": 100}, 0)
    assert (thm1.initial_mean_field(rho, game, 7) == game.initial).all()


def _error(algorithm, T: int) -> float:
    cell = Cell.of(thm1.CLAIM_ID, {"part": "given", "game": "contractive", "gamma": 0.9, "lam": 1.0, "initial": 0,
                                   "T": T, "K": 0})
    return float(thm1.measure(cell, algorithm, 1)["error"])


def test_unregularised_policy_update_stalls_where_the_paper_s_decays() -> None:
    # the mutant's power on two cells (fast; the run through run_claim is below, marked slow)
    paper = [_error(NAC_DEFAULT, T) for T in (100, 1000)]
    broken = [_error(UNREGULARISED_POLICY_UPDATE, T) for T in (100, 1000)]
    assert paper[1] < 0.7 * paper[0]
    assert broken[1] > broken[0] > paper[0]


@pytest.mark.slow
def test_rejects_unregularised_policy_update() -> None:
    verdict = run_claim(thm1.CLAIM_ID, QUICK, algorithm=UNREGULARISED_POLICY_UPDATE)
    assert verdict.status == "fail"
    # without the (1 - ηλ) decay the error does not decay in T at all (it grows)
    assert _exponent(verdict, f"{CONTRACTIVE}, own oracle, μ_0 = ρ") > 0.0
    assert any("exceeds -0.2 + margin 0.1" in r for r in verdict.reasons)
