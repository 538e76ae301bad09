"""A broken NAC variant that mfcheck must catch: the mean-field update has the wrong sign.

μ_{t+1} = (1 + β_t)μ_t - β_t Γ2(π_t, μ_t) (kept on the simplex) moves the population away from
the distribution its policy induces instead of towards it, so the iterates leave the
equilibrium and Lemma 7's recursion ‖μ_{t+1} - μ*‖ <= (1 - β_t d̄)‖μ_t - μ*‖ + ... breaks::

    mfcheck check mfgnac.lemma7 --variant examples/nac_wrong_sign_mean_field.py:VARIANT   # exit 1
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import NAC_DEFAULT


def wrong_sign_update(mu: NDArray[np.float64], image: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    """μ <- (1 + β)μ - βΓ2(π, μ), clipped to the simplex (Algorithm 1's line 5 with -β)."""
    out = np.clip((1.0 + beta) * mu - beta * image, 0.0, None)
    return out / out.sum()


VARIANT = dataclasses.replace(NAC_DEFAULT, mean_field_update=wrong_sign_update)
