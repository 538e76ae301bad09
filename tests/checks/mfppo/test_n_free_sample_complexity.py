"""mfppo.n_free_sample_complexity: iterations to a fixed gap are flat in N; a critic whose noise grows
with N is rejected."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.checks.mfppo.n_free_sample_complexity import (
    Config,
    check_n_free_sample_complexity,
    identify,
    instance,
    run,
)
from mfcheck.claims import QUICK
from mfcheck.stats import seed_streams
from mfcheck.testing.mutants.mfppo_n_free_sample_complexity import mutant_noise_grows_with_n

SMALL = Config(n_grid=(4, 16, 64, 256, 1024), n_seeds=16)


def test_identify_is_exact_on_the_lattice() -> None:
    problem = instance(seed_streams(0, 1, label="t")[0])
    assert (identify(problem, problem.own, problem.dist) == np.arange(problem.n_joint)).all()


def test_iterations_flat_in_n() -> None:
    verdict = check_n_free_sample_complexity(config=SMALL, master_seed=1)
    assert verdict.status == "pass", verdict.reasons
    fit = verdict.evidence["fit"]
    assert fit["exponent"] < 0.05 and fit["ci"][1] <= 0.1
    assert verdict.evidence["censored"] == 0
    means = verdict.evidence["mean_iterations"]
    # N = 4 is slower (the mean field is mis-identified from 4 agents), then flat
    assert means[-1] <= means[0] and max(means[1:]) - min(means[1:]) < 1.5


def test_rejects_noise_grows_with_n() -> None:
    verdict = check_n_free_sample_complexity(config=SMALL, master_seed=1,
                                             critic=mutant_noise_grows_with_n)
    assert verdict.status == "fail"
    assert verdict.evidence["fit"]["ci"][0] > 0.1


@pytest.mark.slow
def test_quick_profile_passes() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass"
    assert verdict.evidence["fit"]["ci"][1] <= 0.1
