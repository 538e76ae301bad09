"""mfppo.alg3_sgd: conformance with the pseudo-code; three broken implementations are rejected."""

from __future__ import annotations

from mfcheck.checks.mfppo.alg3_sgd import check_alg3_sgd, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_alg3_sgd import (
    mutant_constant_step,
    mutant_last_iterate,
    mutant_no_projection,
)


def test_implementation_conforms() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass"
    assert verdict.evidence["distances_max"] <= 0.1 * (1 + 1e-9)
    assert max(verdict.evidence["step_errors"]) < 1e-10


def test_deterministic() -> None:
    assert check_alg3_sgd(seed=3).evidence == check_alg3_sgd(seed=3).evidence


def test_rejects_no_projection() -> None:
    verdict = check_alg3_sgd(mutant_no_projection)
    assert verdict.status == "fail"
    assert not verdict.evidence["checks"]["every iterate in B(β0, R)"]


def test_rejects_last_iterate() -> None:
    verdict = check_alg3_sgd(mutant_last_iterate)
    assert verdict.status == "fail"
    assert not verdict.evidence["checks"]["output is the ergodic mean of β(0..T-1)"]


def test_rejects_constant_step() -> None:
    verdict = check_alg3_sgd(mutant_constant_step)
    assert verdict.status == "fail"
    assert not verdict.evidence["checks"]["step size is T^-1/2"]
