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
    if (pi > 1e-300).all():
        assert prop3_2.kkt_violation(pi, q, previous, v) < 1e-7


def test_matches_cvxpy_oracle() -> None:
    pytest.importorskip("cvxpy")
    q = np.array([1.0, 2.0, 3.0])
    previous = np.array([0.2, 0.3, 0.5])
    pi = prop3_2.proximal_update(q, previous, 1.0)
    np.testing.assert_allclose(prop3_2.cvxpy_solution(q, previous, 1.0), pi, atol=1e-4)


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
