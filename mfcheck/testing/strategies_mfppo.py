"""Hypothesis strategies for MF-PPO's finite mean-field MDPs (public, keyword-only)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mfcheck.algorithms.mfppo.problem import MeanFieldProblem, random_problem


@st.composite
def mean_field_problems(draw: st.DrawFn, *, max_local: int = 3, max_population: int = 4,
                        max_actions: int = 4) -> MeanFieldProblem:
    """Random ergodic mean-field MDPs with rewards in [0, 1] and γ in [0.3, 0.95]."""
    seed = draw(st.integers(0, 2**32 - 1))
    return random_problem(
        np.random.default_rng(seed),
        n_local=draw(st.integers(2, max_local)),
        n_population=draw(st.integers(1, max_population)),
        n_actions=draw(st.integers(2, max_actions)),
        gamma=draw(st.floats(0.3, 0.95)),
        mean_field_weight=draw(st.floats(0.0, 2.0)),
    )
