"""N-agent cooperative instances named by plain settings (a preset or a seeded random model).

A checker's grid names its models by scalar settings, e.g. ``{"model": "crowd_ring", "N": 4}`` or
``{"model": "random", "S": 2, "A": 3, "N": 3}``; :func:`cooperative_instance` builds the one-agent
:class:`~mfcheck.models.n_agent.CooperativeModel` (drawing a random model from the generator it is
given) and :func:`n_agent_instance` the :class:`~mfcheck.models.n_agent.NAgentMDP` of N of them
(team reward = average reward, so MF-PPO eq 2.1 holds).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mfcheck.instances.cooperative import PRESETS, random_cooperative_model
from mfcheck.models.n_agent import CooperativeModel, NAgentMDP

#: The settings that name a random cooperative model.
RANDOM = "random"


def cooperative_instance(settings: Mapping[str, object], rng: np.random.Generator) -> CooperativeModel:
    """The cooperative model named by ``settings``: ``model`` (a preset name or ``"random"``),
    and for random models ``S`` and ``A`` (|S|, |A|); ``rng`` draws the random model."""
    name = settings.get("model")
    if name in PRESETS:
        return PRESETS[name]()
    if name == RANDOM:
        n_states, n_actions = settings.get("S"), settings.get("A")
        if not isinstance(n_states, int) or not isinstance(n_actions, int):
            raise ValueError(f"cooperative_instance: a random model needs int settings 'S' and 'A', got {dict(settings)}")
        return random_cooperative_model(rng, n_states, n_actions)
    raise ValueError(f"cooperative_instance: model {name!r} is not one of {[*sorted(PRESETS), RANDOM]}")


def n_agent_instance(settings: Mapping[str, object], rng: np.random.Generator) -> NAgentMDP:
    """N agents (setting ``N``) of the cooperative model named by ``settings``
    (:func:`cooperative_instance`)."""
    n_agents = settings.get("N")
    if not isinstance(n_agents, int):
        raise ValueError(f"n_agent_instance: setting 'N' must be an int, got {n_agents!r}")
    return NAgentMDP(cooperative_instance(settings, rng), n_agents)


def instance_settings(spec: tuple[str, int] | tuple[int, int, int]) -> dict[str, object]:
    """Settings from a short spec: ``(preset, N)`` or ``(|S|, |A|, N)`` for a random model."""
    if len(spec) == 2 and isinstance(spec[0], str):
        return {"model": spec[0], "N": int(spec[1])}
    if len(spec) == 3:
        n_states, n_actions, n_agents = spec
        return {"model": RANDOM, "S": int(n_states), "A": int(n_actions), "N": int(n_agents)}
    raise ValueError(f"instance_settings: expected (preset, N) or (|S|, |A|, N), got {spec!r}")


def instance_label(n_agent_mdp: NAgentMDP) -> str:
    """``name (|S|=.., |A|=.., N=..)``."""
    return (f"{n_agent_mdp.model.name} (|S|={n_agent_mdp.n_states}, |A|={n_agent_mdp.n_actions}, "
            f"N={n_agent_mdp.n_agents})")
