"""mfppo.prop3_2: the given MF-PPO's proximal update is the KL-proximal maximiser (KKT, cvxpy oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.ideal import softmax
from mfcheck.checks.mfppo import prop3_2
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, Verdict, grid
from mfcheck.testing.mutants.mfppo_prop3_2 import HALF_TEMPERATURE, TEMPERATURE_TIMES_V

floats = st.floats(-50, 50, allow_nan=False, allow_subnormal=False)
temperatures = st.floats(0.05, 10)


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(prop3_2.CLAIM_ID, QUICK)


@given(q=arrays(np.float64, 5, elements=floats),
       energy=arrays(np.float64, 5, elements=st.floats(-5, 5, allow_subnormal=False)),
       v=temperatures, tau=temperatures, tau_next=temperatures)
def test_papers_update_satisfies_kkt_and_the_closed_form(q, energy, v, tau, tau_next) -> None:
    previous = softmax(energy, tau)
    pi = softmax(MFPPO_DEFAULT.proximal_target(q, energy, tau, tau_next, v), tau_next)
    assert pi.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(pi, prop3_2.closed_form(q, previous, v), atol=1e-12)
    assert prop3_2.kkt_violation(pi, q, previous, v) < 1e-9


def test_kkt_check_handles_underflow_and_still_sees_a_wrong_entry() -> None:
    """v = 0.05, q spanning 40: the exact π(a) of most actions is below e^-708 and underflows."""
    q = np.array([-20.0, 20.0, -19.0, 19.0])
    previous = np.full(4, 0.25)
    pi = prop3_2.closed_form(q, previous, 0.05)
    assert (pi == 0).sum() == 2
    assert prop3_2.kkt_violation(pi, q, previous, 0.05) < 1e-12
    wrong = pi.copy()
    wrong[2] = 1e-300  # its exact value e^-780 π(1) must underflow
    assert prop3_2.kkt_violation(wrong, q, previous, 0.05) > 1.0


def test_quick_profile_passes_with_numbers(verdict: Verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    figures = {f.name: f.value for f in verdict.measured}
    assert figures["max KKT violation"] < 1e-12
    assert figures["max gap to the closed form π_k exp(Q/v_k)/Z"] < 1e-12
    assert figures["best random-point gain"] <= 0
    assert verdict.evidence["n_instances"] == 300


def test_passes_where_cvxpy_stops_short() -> None:
    """CLARABEL stops short of the optimum on badly scaled instances (π_k down to 1e-69): its point
    never beats the update and always lies within sqrt(2 gap / v) of it (strong concavity)."""
    pytest.importorskip("cvxpy")
    cells = grid(prop3_2.CLAIM_ID, seeds=40, oracle=["cvxpy"], actions=[20])
    out = prop3_2.judge([prop3_2.measure(cell, MFPPO_DEFAULT, 3) for cell in cells])
    figures = {f.name: f.value for f in out.measured}
    assert out.status == "pass", out.reasons
    assert figures["cvxpy objective gain over the update"] <= 1e-8
    assert figures["max ‖π - π_cvxpy‖₁"] > 0.1  # far off in π where the solver stops short
    assert figures["max excess of ‖π - π_cvxpy‖₁ over sqrt(2 gap / v)"] <= 1e-6


def test_rejects_temperature_times_v() -> None:
    out = run_claim(prop3_2.CLAIM_ID, QUICK, algorithm=TEMPERATURE_TIMES_V)
    assert out.status == "fail"
    figures = {f.name: f.value for f in out.measured}
    assert figures["max KKT violation"] > 1.0
    assert figures["cvxpy objective gain over the update"] > 1.0


def test_rejects_half_temperature() -> None:
    out = run_claim(prop3_2.CLAIM_ID, QUICK, algorithm=HALF_TEMPERATURE)
    assert out.status == "fail"
    assert "KKT violation" in out.reasons[0]
    assert out.summary.startswith("300 of 300 instances")
