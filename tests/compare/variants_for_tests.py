"""Two NAC variants for the comparison tests (loaded as ``path/to/this_file.py:NAME``).

RAISING: a mean-field update that raises (a checker error, exit code 3, a pytest error).
HUGE_STEP: β_t scaled by 30 leaves [0, 1]: Lemma 7's step-size hypothesis fails on every cell,
so the claim is not applicable (a skipped pytest test).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import NAC_DEFAULT


def raising_update(mu: NDArray[np.float64], image: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    """Algorithm 1's line 5 replaced by an exception."""
    raise RuntimeError("this mean-field update always raises")


RAISING = dataclasses.replace(NAC_DEFAULT, mean_field_update=raising_update)
HUGE_STEP = dataclasses.replace(NAC_DEFAULT, mean_field_step_scale=30.0)
