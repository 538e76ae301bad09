"""mfppo.thm4_1_rate: the exact twin decays at least as K^-1/2; neural MF-PPO at feasible sizes does not."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.algorithms.mfppo.mfppo import MFPPOConfig, run_mfppo
from mfcheck.checks.mfppo.thm4_1_rate import (
    Config,
    check_exact_twin,
    check_thm4_1_rate,
    instance,
    mean_field_blind,
    run,
    run_twin,
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


def test_neural_critic_approaches_twin_as_t_grows() -> None:
    """One outer step (K = 1, v = 1): the critic's distance ε to the twin's exact Q^{π_0} shrinks
    as T = N grow (0.098, 0.054, 0.019 here), but the policy's L1 distance to the twin's π_1 stays
    at ~0.03 (finding: the twin's move is as small as the critic's RMS error 0.14)."""
    dists, eps = [], []
    twin = run_twin(PROBLEM, 1, 1.0)[-1, 0]
    for t in (32, 256, 2048):
        config = MFPPOConfig(n_iterations=1, v=1.0, n_steps=t, width=64, n_agents=t,
                             symmetric_init=True)
        history = run_mfppo(PROBLEM, config, np.random.default_rng(t), n_runs=8)
        dists.append(float(np.abs(history.policies[-1] - twin).sum(-1).mean()))
        eps.append(float(history.eval_errors.mean()))
    assert eps[0] > eps[1] > eps[2]
    assert eps[2] < 0.3 * eps[0]
    assert dists[2] > 0.5 * dists[0]


@pytest.mark.slow
def test_quick_profile_reports_the_finding() -> None:
    verdict = run(QUICK)
    assert verdict.evidence["below_bound"]
    assert verdict.status == "fail"
