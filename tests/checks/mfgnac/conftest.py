"""Fixtures shared by the tests of MFG-NAC's sub-solver checks (Algorithms 2 and 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mfcheck.stats import seed_streams

#: K grid of the mutant sweeps (the quick profile's)
GRID = tuple(2**k for k in range(8, 14))


@pytest.fixture
def mutant_sweep() -> Callable[..., dict[str, object]]:
    """``make(seed, asymptotic_from)``: keyword arguments of ``check_alg2_td`` / ``check_alg3_sgd``
    for a sweep over :data:`GRID` with 16 replicates, streams ``seed_streams(seed, ..., "mutant")``
    (the first fits, the others run)."""

    def make(seed: int, *, asymptotic_from: int) -> dict[str, object]:
        rngs = seed_streams(seed, len(GRID) + 1, label="mutant")
        return {"grid": GRID, "n_replicates": 16, "rngs": rngs[1:], "fit_rng": rngs[0],
                "asymptotic_from": asymptotic_from}

    return make
