"""Validated problem data: finite MDPs, N-agent models and their lumping, mean-field MDPs and games."""

from __future__ import annotations

from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.mean_field_game import FiniteHorizonMFG, MeanFieldGame

__all__ = ["FiniteHorizonMFG", "FiniteMDP", "MeanFieldGame"]
