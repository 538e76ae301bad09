"""Validated problem data: finite MDPs, N-agent models and their lumping, mean-field MDPs and games."""

from __future__ import annotations

from mfcheck.models.cooperative import CooperativeModel
from mfcheck.models.count_space import CountSpaceMDP, build_count_space_mdp
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.joint_policies import (
    class_index,
    count_index,
    invariance_residual,
    lift_meta_action_policy,
    permutation_maps,
    random_invariant_policy,
    symmetrise_policy,
)
from mfcheck.models.lumping import LumpedChain, lump_joint_policy
from mfcheck.models.mean_field_game import FiniteHorizonMFG, MeanFieldGame
from mfcheck.models.mean_field_limit import LimitSolution, MeanFieldLimit, relaxed_model
from mfcheck.models.mean_field_mdp import FiniteMeanFieldMDP, build_finite_mean_field_mdp
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.models.sparse_mdp import SparseMDP
from mfcheck.models.state_action_counts import StateActionCountMDP, build_state_action_count_mdp

__all__ = [
    "CooperativeModel",
    "CountSpaceMDP",
    "FiniteHorizonMFG",
    "FiniteMDP",
    "FiniteMeanFieldMDP",
    "LimitSolution",
    "LumpedChain",
    "MeanFieldGame",
    "MeanFieldLimit",
    "NAgentMDP",
    "SparseMDP",
    "StateActionCountMDP",
    "build_count_space_mdp",
    "build_finite_mean_field_mdp",
    "build_state_action_count_mdp",
    "class_index",
    "count_index",
    "invariance_residual",
    "lift_meta_action_policy",
    "lump_joint_policy",
    "permutation_maps",
    "random_invariant_policy",
    "relaxed_model",
    "symmetrise_policy",
]
