"""mfgnac.thm1: exponent in T of Theorem 1's error; the sympy/LP derivation of the schedule."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

from mfcheck.algorithms.nac import NACConfig, one_hot_features, run_nac
from mfcheck.checks.mfgnac.thm1 import check_thm1, run, targets, theorem_error
from mfcheck.claims import QUICK
from mfcheck.instances import sis
from mfcheck.testing.mutants.mfgnac_thm1 import mutant_frozen_mean_field

ROOT = Path(__file__).resolve().parents[3]
GRID = (100, 316, 1000, 3162)


def _derivation():
    spec = importlib.util.spec_from_file_location(
        "thm1_schedule", ROOT / "theory" / "derivations" / "thm1_schedule.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.derive()


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


def test_nac_converges_to_the_sis_equilibrium() -> None:
    game = sis(lam=0.1)
    eqs, reference = targets(game)
    assert len(eqs) == 2  # endemic and disease-free
    traj = run_nac(game, one_hot_features(2, 2), NACConfig.paper("sis", 3000))
    np.testing.assert_allclose(traj.mean_fields[-1], reference.mean_field, atol=1e-3)
    assert theorem_error(traj, reference) < 0.6


def test_error_decreases_in_t_on_a_small_grid() -> None:
    game = sis(gamma=0.9, lam=0.3)
    verdict = check_thm1(game, grid=GRID, mu0s=[game.initial], fit_rng=np.random.default_rng(0))
    errors = verdict.evidence["mean_error_approached"]
    assert all(b < a for a, b in itertools.pairwise(errors))
    assert -0.3 < verdict.evidence["fit"]["exponent"] < -0.05


def test_rejects_frozen_mean_field() -> None:
    game = sis(gamma=0.9, lam=0.3)
    verdict = check_thm1(
        game, grid=GRID, mu0s=[game.initial], fit_rng=np.random.default_rng(0),
        make_config=mutant_frozen_mean_field(game.lam),
    )
    assert verdict.status == "fail"
    assert verdict.evidence["fit"]["exponent"] > -0.05


@pytest.mark.slow
def test_quick_profile_verdict_is_reported_with_numbers() -> None:
    verdict = run(QUICK)
    assert verdict.status in ("pass", "fail")
    assert len(verdict.measured) == 4
    for cell in verdict.evidence["cells"].values():
        errors = cell["mean_error_reference"]
        assert errors[-1] < errors[0]
