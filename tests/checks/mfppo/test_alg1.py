"""mfppo.alg1: Algorithm 1's schedules, uniform π_0 and the Prop 3.2 energy form."""

from __future__ import annotations

from mfcheck.checks.mfppo.alg1 import check_alg1, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_alg1 import mutant_constant_temperature, mutant_proximity_v


def test_algorithm_conforms() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass"
    assert verdict.evidence["energy_gap"] < 1e-12


def test_rejects_constant_temperature() -> None:
    verdict = check_alg1(mutant_constant_temperature)
    assert verdict.status == "fail"
    assert not verdict.evidence["checks"]["τ_0 = 1 and τ_{k+1} = v√K/(k+1)"]
    # Prop 3.2 is schedule-free: any τ gives π_k exp(Q/v_k)/Z, so only the schedule check fires.
    assert verdict.evidence["checks"]["energy form equals the KL-proximal update (Prop 3.2)"]


def test_rejects_proximity_v() -> None:
    verdict = check_alg1(mutant_proximity_v)
    assert verdict.status == "fail"
    assert not verdict.evidence["checks"]["v_k = v√K"]
