"""mfppo.prop3_2: the KL-proximal update's closed form (KKT in numpy, cvxpy as oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mfcheck.checks.mfppo import prop3_2
from mfcheck.claims import QUICK
from mfcheck.stats import stream
from mfcheck.testing.mutants.mfppo_prop3_2 import (
    mutant_half_temperature,
    mutant_temperature_times_v,
)

floats = st.floats(-50, 50, allow_nan=False, allow_subnormal=False)


@given(
    q=arrays(np.float64, 5, elements=floats),
    energy=arrays(np.float64, 5, elements=st.floats(-5, 5, allow_subnormal=False)),
    v=st.floats(0.05, 10),
    tau=st.floats(0.05, 10),
)
def test_closed_form_satisfies_kkt_and_energy_form(q, energy, v, tau) -> None:
    previous = prop3_2.energy_update(np.zeros(5), energy, tau, 1.0)
    pi = prop3_2.proximal_update(q, previous, v)
    assert pi.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(pi, prop3_2.energy_update(q, energy, tau, v), atol=1e-12)
    assert prop3_2.kkt_violation(pi, q, previous, v) < 1e-9


def test_matches_cvxpy_oracle() -> None:
    pytest.importorskip("cvxpy")
    q = np.array([1.0, 2.0, 3.0])
    previous = np.array([0.2, 0.3, 0.5])
    pi = prop3_2.proximal_update(q, previous, 1.0)
    solution, status = prop3_2.cvxpy_solution(q, previous, 1.0)
    assert status == "optimal"
    np.testing.assert_allclose(solution, pi, atol=1e-4)


def test_kkt_check_handles_underflow_and_still_sees_a_wrong_entry() -> None:
    """v = 0.05, q spanning 40: the exact π(a) of most actions is below e^-708 and underflows."""
    q = np.array([-20.0, 20.0, -19.0, 19.0])
    previous = np.full(4, 0.25)
    pi = prop3_2.proximal_update(q, previous, 0.05)
    assert (pi == 0).sum() == 2
    assert prop3_2.kkt_violation(pi, q, previous, 0.05) < 1e-12
    wrong = pi.copy()
    wrong[2] = 1e-300  # its exact value e^-780 π(1) must underflow
    assert prop3_2.kkt_violation(wrong, q, previous, 0.05) > 1.0


def test_full_profile_passes_where_cvxpy_stops_short() -> None:
    """CLARABEL stops short of the optimum on badly scaled instances (π_k down to 1e-69): its point
    never beats the closed form and always lies within sqrt(2 gap / v) of it (strong concavity)."""
    pytest.importorskip("cvxpy")
    verdict = prop3_2.check_prop3_2(rng=stream(3), n_instances=60, n_cvxpy=60, max_actions=20)
    figures = {f.name: f.value for f in verdict.measured}
    assert verdict.status == "pass", verdict.reasons
    assert figures["cvxpy objective gain over the closed form"] <= 1e-8
    assert figures["max ‖π - π_cvxpy‖₁"] > 0.5  # far off in π where the solver stops short
    assert figures["max excess of ‖π - π_cvxpy‖₁ over sqrt(2 gap / v)"] <= 1e-6


def test_run_passes_with_numbers() -> None:
    verdict = prop3_2.run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    figures = {f.name: f.value for f in verdict.measured}
    assert figures["max KKT violation"] < 1e-9
    assert figures["best random-point gain"] <= 0


def test_rejects_temperature_times_v() -> None:
    verdict = prop3_2.check_prop3_2(update=mutant_temperature_times_v, rng=stream(1), n_instances=20)
    assert verdict.status == "fail"


def test_rejects_half_temperature() -> None:
    verdict = prop3_2.check_prop3_2(update=mutant_half_temperature, rng=stream(2), n_instances=20)
    assert verdict.status == "fail"
    assert "KKT violation" in verdict.reasons[0]
