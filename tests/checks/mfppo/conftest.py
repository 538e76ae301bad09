"""Fixtures shared by the MF-PPO check tests."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo._policy_step_rates import Config


@pytest.fixture
def lemma4_small() -> Config:
    """A smaller grid than the quick profile for the default Lemma 4.1/4.2 tests (quick is slow)."""
    return Config(n_seeds=16, t_grid=(64, 256, 1024, 4096), t_asymptotic_from=1, n_grid=(1, 4, 16),
                  m_grid=(16, 64, 256), width=64, n_steps=512)


@pytest.fixture
def lemma4_tiny() -> Config:
    """A tiny Lemma 4.1/4.2 grid for determinism tests (its verdict is not asserted)."""
    return Config(n_seeds=2, t_grid=(16, 32), t_asymptotic_from=0, n_grid=(1, 2), m_grid=(8, 16),
                  width=8, n_steps=16)
