"""The cvxpy KL-proximal oracle agrees with the closed form π_k exp(q/v)/Z on well-scaled instances."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.solvers.kl_proximal import kl_proximal_cvxpy

pytest.importorskip("cvxpy")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_the_closed_form(seed: int) -> None:
    rng = np.random.default_rng(seed)
    q = rng.uniform(-2, 2, 5)
    previous = rng.dirichlet(np.ones(5))
    v = 0.7
    closed = previous * np.exp(q / v)
    closed /= closed.sum()
    solution, status = kl_proximal_cvxpy(q, previous, v)
    assert status == "optimal"
    np.testing.assert_allclose(solution, closed, atol=1e-4)  # CLARABEL: ~2e-5 on these


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="proximity"):
        kl_proximal_cvxpy(np.zeros(3), np.full(3, 1 / 3), 0.0)
    with pytest.raises(ValueError, match="shapes"):
        kl_proximal_cvxpy(np.zeros(3), np.full(2, 0.5), 1.0)
