"""mfppo.n_free_sample_complexity: Alg 1 with the MFPPO's own sampled critic does not reach the target
gap at feasible sizes (no censored count is judged); the judgement of the counts is tested apart."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.checks.mfppo import n_free_sample_complexity as n_free
from mfcheck.claims import QUICK, run_claim
from mfcheck.testing.mutants.mfppo_n_free_sample_complexity import MEAN_FIELD_BLIND_CRITIC

CLAIM_ID = n_free.CLAIM_ID
SMALL = n_free.PpoNFreeSampleComplexitySizes(n_grid=(4, 256), runs=8, n_iterations=16, n_steps=128, width=32)


def test_target_not_reached_fails_without_censoring(quick_sizes) -> None:
    with quick_sizes(n_free.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK)
    assert verdict.status == "fail"
    assert verdict.evidence["reached"] == [0, 0]
    assert "not counted as K" in verdict.reasons[0]
    curve = np.array(verdict.evidence["mean_gap_curve"])
    assert curve.shape == (2, 17) and (curve[:, -1] > verdict.evidence["target"]).all()


def test_rejects_mean_field_blind_critic(quick_sizes) -> None:
    with quick_sizes(n_free.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK, algorithm=MEAN_FIELD_BLIND_CRITIC)
    assert verdict.status == "fail"
    assert verdict.evidence["reached"] == [0, 0]


@pytest.mark.slow
def test_quick_profile_fails_for_the_paper() -> None:
    verdict = n_free.check(profile=QUICK)
    assert verdict.status == "fail"
    assert verdict.evidence["reached"] == [0, 0, 0, 0]


def test_positive_control_flat_counts_pass_growing_counts_fail() -> None:
    """The judgement on gap curves [N, K+1, runs]: the exact twin's curve (exact Q, v = 0.05) at every
    N passes; the same curve slowed down by (N/4)^0.2 (iterations to the gap 19, 33, 56) fails."""
    from mfcheck.algorithms.mfppo.ideal import run_energy_form
    from mfcheck.algorithms.mfppo.problem import (
        expected_total_reward,
        optimal_policy,
        q_function,
        stationary_distribution,
    )

    problem = n_free.instance(0)
    star = optimal_policy(problem)
    nu = stationary_distribution(problem, star)
    best = float(expected_total_reward(problem, star, nu))
    policies = run_energy_form(problem, 32, 0.05, lambda pi: q_function(problem, pi))[0]
    base = np.array([best - float(expected_total_reward(problem, pi, nu)) for pi in policies])
    sizes = n_free.PpoNFreeSampleComplexitySizes(n_grid=(4, 64, 1024), runs=4, n_iterations=64)
    k = np.arange(65)
    flat = np.broadcast_to(base[np.minimum(k, 32)][None, :, None], (3, 65, 4))
    verdict = n_free.sample_complexity_verdict(sizes, flat, master_seed=0)
    assert verdict.status == "pass", verdict.reasons
    stretch = [(n / 4) ** 0.2 for n in sizes.n_grid]
    slowed = np.array([base[np.minimum((k / s).astype(int), 32)] for s in stretch])
    verdict = n_free.sample_complexity_verdict(sizes, np.repeat(slowed[:, :, None], 4, axis=2), master_seed=0)
    assert verdict.status == "fail", verdict.summary
    assert [first[0] for first in verdict.evidence["first_hit"]] == [18, 32, 55]
    assert verdict.evidence["fits"][0]["exponent"] > 0.15
