"""The search for the Lipschitz constant of KL(·‖z) against its closed form (MFG-NAC Lemma 4)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mfcheck.solvers.kl_lipschitz import adversarial_triple, gap_ratio, kl, sharp_constant
from mfcheck.testing.strategies_mfg import simplex_vectors


@pytest.mark.parametrize(("n", "alpha1", "alpha2"), [(2, 1e-3, 1e-2), (3, 1e-2, 1e-2), (5, 1e-4, 0.1)])
def test_search_reaches_the_closed_form_sup_from_below(n: int, alpha1: float, alpha2: float) -> None:
    ratio, (x, y, z) = adversarial_triple(n, alpha1, alpha2, np.random.default_rng(0), n_starts=4)
    sharp = sharp_constant(n, alpha1, alpha2)
    assert min(x.min(), y.min()) >= alpha1 - 1e-15 and z.min() >= alpha2 - 1e-15
    assert ratio <= sharp + 1e-9
    assert sharp - ratio < 1e-2


def test_sharp_constant_is_attained_in_the_limit() -> None:
    a1, a2 = 1e-3, 1e-2
    x, z = np.array([1 - a1, a1]), np.array([a2, 1 - a2])
    y = x + 1e-9 * np.array([-1.0, 1.0])
    assert np.isclose(gap_ratio(x, y, z), sharp_constant(2, a1, a2), rtol=1e-5)


@given(x=simplex_vectors(size=3, min_value=1e-3), y=simplex_vectors(size=3, min_value=1e-3),
       z=simplex_vectors(size=3, min_value=1e-3))
def test_no_triple_exceeds_the_sharp_constant(x, y, z) -> None:
    # a difference quotient over ‖x - y‖_1 below 1e-9 is round-off, not a ratio (x = y up to ulps
    # gave 8.0 from KL values that differ in their last bits)
    assume(float(np.abs(x - y).sum()) > 1e-9)
    bound = sharp_constant(3, float(min(x.min(), y.min())), float(z.min()))
    assert gap_ratio(x, y, z) <= bound + 1e-9


@given(p=simplex_vectors(size=4))
def test_kl_is_zero_on_the_diagonal_and_nonnegative(p) -> None:
    assert abs(kl(p, p)) < 1e-12
    assert kl(p, np.full(4, 0.25)) >= -1e-12


def test_rejects_floors_above_uniform() -> None:
    with pytest.raises(ValueError, match="floors"):
        adversarial_triple(2, 0.6, 0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="floors"):
        sharp_constant(3, 0.5, 0.1)


@given(alpha=st.floats(1e-6, 0.3))
def test_sharp_constant_never_exceeds_lemma4s(alpha: float) -> None:
    for n in (2, 3):
        if alpha < 1 / n:
            assert sharp_constant(n, alpha, alpha) <= 1.0 + np.log(1.0 / alpha)
