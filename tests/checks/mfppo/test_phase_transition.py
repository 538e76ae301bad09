"""mfppo.phase_transition: Alg 2's N-term never dominates at feasible sizes; the checker finds a
crossover when the statistical error is of the paper's kind (positive control) and none without it."""

from __future__ import annotations

from functools import partial

import pytest

from mfcheck.checks.mfppo.phase_transition import Config, check_phase_transition, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_phase_transition import (
    mutant_population_sampler,
    persistent_bias_sampler,
)

SMALL = Config(t_grid=(64, 256, 1024), n_grid=(1, 4, 16, 64), n_seeds=8, width=64)
CONTROL = Config(t_grid=(256, 1024, 4096), n_grid=(1, 4, 64), n_seeds=8, width=64)


def test_no_statistical_phase_at_feasible_sizes() -> None:
    verdict = check_phase_transition(config=SMALL, master_seed=1)
    assert verdict.status == "fail"
    ratios = [r[0] for row in verdict.evidence["ratio_mean_low_high"] for r in row]
    assert max(ratios) < 0.01  # D/O: the N-term is < 1 % of the T-term everywhere
    assert all(c is None for c in verdict.evidence["crossover"])
    assert verdict.evidence["extrapolated_t_at_n1"] > 1e5


def test_positive_control_has_a_crossover() -> None:
    verdict = check_phase_transition(config=CONTROL, master_seed=1,
                                     sampler=partial(persistent_bias_sampler, scale=3.0))
    assert verdict.status == "pass", verdict.reasons
    phase = verdict.evidence["phase"]
    assert phase[-1][0] == "statistical" and phase[-1][-1] == "optimisation"


def test_rejects_population_sampler() -> None:
    verdict = check_phase_transition(config=SMALL, master_seed=1, sampler=mutant_population_sampler)
    assert verdict.status == "fail"
    assert max(r[0] for row in verdict.evidence["ratio_mean_low_high"] for r in row) == 0.0


@pytest.mark.slow
def test_quick_profile() -> None:
    verdict = run(QUICK)
    assert verdict.status == "fail"
    assert max(r[0] for row in verdict.evidence["ratio_mean_low_high"] for r in row) < 0.01
