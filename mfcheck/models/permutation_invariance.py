"""Permutations of agents acting on joint-space arrays, and the worst violation of invariance.

A permutation κ of the N agents acts on a joint state by ``κ(s)_i = s_{κ[i]}`` and likewise on a
joint action. MF-PPO eq 2.1 and Prop 2.1 let κ act on states and actions together,
``f(κs, κa) = f(s, a)``; Prop 2.2 permutes the others of a representative agent (κ fixing agent
0). :func:`group_maps` builds the index maps of a group acting on the states, the actions or
both; :func:`worst_violation` returns the largest ``|f(κs, κa) - f(s, a)|`` of a function on
S^N (or S^N × A^N) with the permutation and the joint state (and action) where it occurs, so a
refutation names its counterexample. :class:`Invariance` (Prop 2.1) and :class:`ValueOfCounts`
(Prop 2.2) say, as values, what such a statement asserts (the paper's by default), so a wrong
statement is the same value with one field changed. Reference: MF-PPO (arXiv 2105.08268) eq 2.1,
Props 2.1-2.2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.cooperative import CooperativeModel
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.mean_field_mdp import FiniteMeanFieldMDP, build_finite_mean_field_mdp
from mfcheck.models.n_agent import NAgentMDP, joint_tuples, permutation_index, permutations

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: What a permutation acts on: "states and actions" (eq 2.1, Prop 2.1), "states" or "actions".
ACTS_ON: tuple[str, ...] = ("states and actions", "states", "actions")


@dataclass(frozen=True, eq=False)
class PermutationMap:
    """One permutation κ of the agents and its index maps on joint states and joint actions
    (an identity map where κ does not act)."""

    permutation: tuple[int, ...]
    state_map: IntArray
    action_map: IntArray
    acts_on: str = "states and actions"


def group_maps(
    n_agent_mdp: NAgentMDP, acts_on: str = "states and actions", *, fixed: tuple[int, ...] = (),
    limit: int = 720,
) -> list[PermutationMap]:
    """The permutations fixing the agents in ``fixed`` (all of them when at most ``limit``, else
    the adjacent transpositions that generate the group), acting on ``acts_on``."""
    if acts_on not in ACTS_ON:
        raise ValueError(f"group_maps.acts_on: {acts_on!r} is not one of {ACTS_ON}")
    n, s, a = n_agent_mdp.n_agents, n_agent_mdp.n_states, n_agent_mdp.n_actions
    identity_states, identity_actions = np.arange(s**n), np.arange(a**n)
    return [
        PermutationMap(
            permutation=tuple(int(i) for i in perm),
            state_map=permutation_index(perm, n, s) if acts_on != "actions" else identity_states,
            action_map=permutation_index(perm, n, a) if acts_on != "states" else identity_actions,
            acts_on=acts_on,
        )
        for perm in permutations(n, fixed=fixed, limit=limit)
    ]


@dataclass(frozen=True, kw_only=True)
class Violation:
    """The largest ``|f(κs, κa) - f(s, a)|`` over a group, and where it occurs."""

    residual: float
    permutation: tuple[int, ...] = ()
    state: tuple[int, ...] = ()
    action: tuple[int, ...] = ()
    value: float = 0.0
    moved: float = 0.0
    acts_on: str = "states and actions"

    def describe(self, name: str = "f") -> str:
        """``κ=(...), s=(...), a=(...): f(s, a) = x, f(κs, κa) = y`` (κ where it acts)."""
        at = f"s={self.state}" + (f", a={self.action}" if self.action else "")
        moved_state = "s" if self.acts_on == "actions" else "κs"
        moved_action = "a" if self.acts_on == "states" else "κa"
        args, moved = ("s, a", f"{moved_state}, {moved_action}") if self.action else ("s", moved_state)
        return (f"κ={self.permutation}, {at}: {name}({args}) = {self.value:.6g}, "
                f"{name}({moved}) = {self.moved:.6g}")

    def to_dict(self) -> dict[str, object]:
        return {"residual": self.residual, "permutation": list(self.permutation), "state": list(self.state),
                "action": list(self.action), "value": self.value, "moved": self.moved, "acts_on": self.acts_on}

    @classmethod
    def from_dict(cls, data: dict) -> Violation:
        return cls(residual=float(data["residual"]), permutation=tuple(data["permutation"]),
                   state=tuple(data["state"]), action=tuple(data["action"]), value=float(data["value"]),
                   moved=float(data["moved"]), acts_on=str(data["acts_on"]))


def worst_violation(values: ArrayLike, n_agent_mdp: NAgentMDP, maps: list[PermutationMap]) -> Violation:
    """The worst violation of ``f(κs, κa) = f(s, a)`` for f [S^N] or [S^N, A^N] over ``maps``."""
    values = np.asarray(values, dtype=float)
    best = Violation(residual=0.0)
    for element in maps:
        moved = values[element.state_map]
        if values.ndim == 2:
            moved = moved[:, element.action_map]
        gaps = np.abs(moved - values)
        where = np.unravel_index(int(np.argmax(gaps)), gaps.shape)
        if gaps[where] > best.residual:
            state = joint_tuples(n_agent_mdp.n_agents, n_agent_mdp.n_states)[where[0]]
            action = (joint_tuples(n_agent_mdp.n_agents, n_agent_mdp.n_actions)[where[1]]
                      if values.ndim == 2 else ())
            best = Violation(residual=float(gaps[where]), permutation=element.permutation,
                             state=tuple(int(x) for x in state), action=tuple(int(x) for x in action),
                             value=float(values[where]), moved=float(moved[where]), acts_on=element.acts_on)
    return best


def kernel_violation(transition: ArrayLike, maps: list[PermutationMap]) -> float:
    """``max |P(κs' | κs, κa) - P(s' | s, a)|`` over ``maps`` (eq 2.1 for the kernel)."""
    transition = np.asarray(transition, dtype=float)
    worst = 0.0
    for element in maps:
        moved = transition[element.state_map][:, element.action_map][:, :, element.state_map]
        worst = max(worst, float(np.abs(moved - transition).max()))
    return worst


@dataclass(frozen=True, kw_only=True)
class Eq21Residuals:
    """Residuals of MF-PPO eq 2.1 on a joint space: ``max |r(κs, κa) - r(s, a)|`` and
    ``max |P(κs'|κs, κa) - P(s'|s, a)|`` over every simultaneous permutation."""

    reward: float
    kernel: float

    @property
    def worst(self) -> float:
        return max(self.reward, self.kernel)

    def describe(self) -> str:
        return f"reward residual {self.reward:.3g}, kernel residual {self.kernel:.3g}"


def eq2_1_residuals(n_agent_mdp: NAgentMDP, joint: FiniteMDP | None = None) -> Eq21Residuals:
    """Eq 2.1's residuals on the joint space (0 for a permutation-invariant system)."""
    joint = n_agent_mdp.joint_space() if joint is None else joint
    maps = group_maps(n_agent_mdp)
    return Eq21Residuals(reward=worst_violation(joint.reward, n_agent_mdp, maps).residual,
                         kernel=kernel_violation(joint.transition, maps))


def random_joint_policy(n_agent_mdp: NAgentMDP, rng: np.random.Generator, *, concentration: float = 0.5) -> Array:
    """A random joint policy [S^N, A^N] with Dirichlet rows (not symmetrised: in general not
    permutation invariant)."""
    n_joint = n_agent_mdp.n_states**n_agent_mdp.n_agents
    return rng.dirichlet(np.full(n_agent_mdp.n_actions**n_agent_mdp.n_agents, concentration), size=n_joint)


def as_built(n_agent_mdp: NAgentMDP) -> NAgentMDP:
    """An N-agent cooperative MDP as it is (team reward = average reward: eq 2.1 holds)."""
    return n_agent_mdp


@dataclass(frozen=True, kw_only=True)
class Invariance:
    """What MF-PPO Prop 2.1 asserts (the paper's statement by default).

    ``permuted``: what κ acts on (one of :data:`ACTS_ON`; the paper: states and actions together);
    ``policies``: the ν of the V/Q part ("invariant": ν(κa|κs) = ν(a|s), or "all");
    ``models``: the N-agent MDPs the statement is about, built from each cooperative model
    (the paper: those satisfying eq 2.1, i.e. :func:`as_built`).
    """

    permuted: str = "states and actions"
    policies: str = "invariant"
    models: Callable[[NAgentMDP], NAgentMDP] = as_built

    def __post_init__(self) -> None:
        if self.permuted not in ACTS_ON:
            raise ValueError(f"Invariance.permuted: {self.permuted!r} is not one of {ACTS_ON}")
        if self.policies not in ("invariant", "all"):
            raise ValueError(f"Invariance.policies: {self.policies!r} is not 'invariant' or 'all'")


@dataclass(frozen=True, kw_only=True)
class ValueOfCounts:
    """What MF-PPO Prop 2.2 asserts (the paper's statement by default).

    ``permuted``: the agents κ permutes ("rest": agents 1..N-1, the representative 0 fixed;
    "all": every agent); ``g(model, N)``: the count-space MDP whose values are g(s, counts of
    s_r) (Def 2.1's finite mean-field MDP); ``models``: the N-agent MDPs the statement is about.
    """

    permuted: str = "rest"
    g: Callable[[CooperativeModel, int], FiniteMeanFieldMDP] = build_finite_mean_field_mdp
    models: Callable[[NAgentMDP], NAgentMDP] = as_built

    def __post_init__(self) -> None:
        if self.permuted not in ("rest", "all"):
            raise ValueError(f"ValueOfCounts.permuted: {self.permuted!r} is not 'rest' or 'all'")
