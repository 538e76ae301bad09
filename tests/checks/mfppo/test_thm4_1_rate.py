"""mfppo.thm4_1_rate: the exact twin decays at least as K^-1/2; neural MF-PPO at feasible sizes does not."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.checks.mfppo.thm4_1_rate import (
    Config,
    check_exact_twin,
    check_thm4_1_rate,
    instance,
    mean_field_blind,
    run,
)
from mfcheck.claims import QUICK
from mfcheck.stats import stream

SMALL = Config(k_grid=(1, 2, 4), n_seeds=3, t_per_k=32, width=16, report_plain=False)
PROBLEM = instance(stream(0, label="test_thm4_1_rate"))


def test_exact_twin_passes() -> None:
    verdict = check_exact_twin(PROBLEM, Config(k_grid=(1, 2, 4, 8), n_seeds=1), master_seed=0)
    assert verdict.status == "pass"
    assert verdict.evidence["twin"]["exponent"] < -0.6


def test_neural_at_feasible_sizes_is_flat_and_below_the_bound() -> None:
    # Finding: the neural gap does not decay at feasible T, N, m (critic error >> action gaps).
    verdict = check_thm4_1_rate(PROBLEM, SMALL, master_seed=0)
    assert verdict.evidence["below_bound"]
    assert verdict.evidence["neural"]["exponent"] > -0.3
    assert verdict.status == "fail"


def test_deterministic() -> None:
    a = check_thm4_1_rate(PROBLEM, SMALL, master_seed=3)
    b = check_thm4_1_rate(PROBLEM, SMALL, master_seed=3)
    assert a.evidence == b.evidence


def test_rejects_critic_ignores_mean_field() -> None:
    # On the exact twin (which passes), a critic blind to d floors the gap.
    config = Config(k_grid=(1, 2, 4, 8), n_seeds=1)
    verdict = check_exact_twin(PROBLEM, config, master_seed=0, critic=mean_field_blind)
    assert verdict.status == "fail"
    assert verdict.evidence["twin"]["exponent"] > -0.4
    neural = check_thm4_1_rate(PROBLEM, SMALL, master_seed=0,
                               critic_view=lambda w: np.full_like(w, 1.0 / w.shape[-1]))
    assert neural.status == "fail"


@pytest.mark.slow
def test_quick_profile_reports_the_finding() -> None:
    verdict = run(QUICK)
    assert verdict.evidence["below_bound"]
    assert verdict.status == "fail"
