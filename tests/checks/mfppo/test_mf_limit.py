"""mfppo.mf_limit: the N-agent optimum (meta-actions, count space) converges to the mean-field optimum."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.checks.mfppo.mf_limit import Config, check_mf_limit, gap_curve, run
from mfcheck.claims import QUICK
from mfcheck.instances.cooperative import random_cooperative_model
from mfcheck.stats import seed_streams
from mfcheck.testing.mutants.mfppo_mf_limit import mutant_frozen_flow

SMALL = Config(n_grid=(8, 16, 32, 64, 128), n_random=2, resolution=512, grid_s3=(4, 8), n_random_s3=0,
               resolution_s3=16, asymptotic_from=1)


def _family(seed: int = 11) -> list:
    streams = seed_streams(seed, 2, label="test_mf_limit")
    return [random_cooperative_model(rng, 2, 2) for rng in streams]


def _small(limit_factory=None) -> object:
    kwargs = {} if limit_factory is None else {"limit_factory": limit_factory}
    return check_mf_limit(_family(), n_grid=SMALL.n_grid, resolution=SMALL.resolution,
                          rng=np.random.default_rng(0), config=SMALL, **kwargs)


def test_quick_profile_gap_closes_about_as_fast_as_one_over_n() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    fits = verdict.evidence["fits"]
    # measured: sup gap ~ N^-1.0 [-1.15, -0.84] (faster than the expected N^-1/2)
    assert -1.3 <= fits["sup_gap"]["exponent"] <= -0.75 and fits["sup_gap"]["ci"][1] <= -0.5
    assert -1.3 <= fits["mean_gap"]["exponent"] <= -0.75
    others = {r["name"]: r for r in verdict.evidence["others"]}
    sis = others["cooperative_sis"]["curve"]
    # cooperative_sis: the worst state is always "one infected" (extinction there is likely for
    # finite N, impossible for the flow): its gap closes much more slowly than the average
    assert all(row["sup_at_counts"][1] == 1 for row in sis)
    assert sis[-1]["sup_gap"] > 10 * sis[-1]["mean_gap"]
    assert max(r["discretisation_ratio"] for r in verdict.evidence["family"]) <= 1e-3
    relaxation = {r["name"]: r for r in verdict.evidence["relaxation_gap"]}
    # crowd_ring: splitting a crowd over {stay, move} beats every meta-action, at every N and in
    # the limit; the unrestricted optimum approaches the relaxed limit, not Def 2.1's
    ring = relaxation["crowd_ring"]
    assert [row["sup"] > 0.5 for row in ring["curve"]] == [True] * 4
    assert ring["limit_sup"] > 0.5 and ring["unrestricted_to_relaxed_limit"] < 0.1 < 0.5 < ring["unrestricted_to_meta_limit"]
    assert max(row["sup"] for row in relaxation["cooperative_sis"]["curve"]) <= 1e-9


def test_small_family_passes_and_is_deterministic() -> None:
    first, second = _small(), _small()
    assert first.status == "pass", first.reasons
    assert first.evidence == second.evidence


def test_gap_curve_uses_grid_nodes_exactly() -> None:
    record = gap_curve(_family()[0], (4, 8), 64)
    assert [row["n_count_states"] for row in record["curve"]] == [5, 9]
    # |V_64 - V_32| = 3.0e-4 at the count states (2.6e-5 at K = 256): second order in 1/K
    assert all(row["discretisation"] <= 1e-3 <= 0.1 * row["sup_gap"] for row in record["curve"])


def test_config_refuses_grids_off_the_resolution() -> None:
    with pytest.raises(ValueError, match=r"Config.n_grid: resolution/2 = 50.0 is not a multiple of N = \[16\]"):
        Config(n_grid=(5, 16), n_random=2, resolution=100, grid_s3=(2, 4), n_random_s3=0, resolution_s3=8,
               asymptotic_from=0)


def test_rejects_frozen_flow() -> None:
    verdict = _small(mutant_frozen_flow)
    assert verdict.status == "fail"
    assert verdict.evidence["fits"]["sup_gap"]["ci"][1] > -0.25
    assert any("does not close" in reason for reason in verdict.reasons)
