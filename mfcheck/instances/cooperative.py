"""Cooperative N-agent presets and a random generator (one agent's kernel and reward, d-dependent).

Each returns a :class:`~mfcheck.models.n_agent.CooperativeModel` with rewards in [0, 1]
(``reward_bound = 1``); ``d`` is the empirical distribution of all agents. Put N of them
together with :class:`~mfcheck.models.n_agent.NAgentMDP`, lump them with
:func:`~mfcheck.models.count_space.build_count_space_mdp`, or take the mean-field MDP with
:mod:`mfcheck.models.mean_field_mdp`.

* :func:`cooperative_sis`: |S| = 2 (susceptible, infected), |A| = 2 (go out, distance); the
  infection probability grows with the infected fraction, the team pays for infections and
  for distancing.
* :func:`crowd_ring`: |S| = 3 places on a ring, |A| = 2 (stay, move on); moving is slowed by
  the crowd at the destination, a place's reward falls with its own crowding.
* :func:`random_cooperative_model`: softmax kernels and sigmoid rewards, affine in d.
"""

from __future__ import annotations

import numpy as np

from mfcheck.models.n_agent import CooperativeModel
from mfcheck.models.validation import check_positive_int

SIS_STATES = ("S", "I")
SIS_ACTIONS = ("out", "distance")
RING_ACTIONS = ("stay", "move")


def _unit_interval(value: float, what: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{what}: must lie in [0, 1], got {value!r}")
    return value


def cooperative_sis(
    *,
    gamma: float = 0.9,
    infection_out: float = 0.8,
    infection_distanced: float = 0.1,
    recovery: float = 0.3,
    infected_cost: float = 0.6,
    distancing_cost: float = 0.3,
    initial: tuple[float, float] = (0.7, 0.3),
) -> CooperativeModel:
    """Cooperative SIS: ``P(I | S, a, d) = β_a d(I)``, ``P(S | I, ·) = recovery``,
    ``r(s, a, d) = 1 - infected_cost·1{s = I} - distancing_cost·1{a = distance}``.

    Raises
    ------
    ValueError
        On a probability outside [0, 1] or costs whose sum exceeds 1 (r would leave [0, 1]).
    """
    beta = np.array(
        [
            _unit_interval(infection_out, "cooperative_sis.infection_out"),
            _unit_interval(infection_distanced, "cooperative_sis.infection_distanced"),
        ]
    )
    recovery = _unit_interval(recovery, "cooperative_sis.recovery")
    infected_cost = _unit_interval(infected_cost, "cooperative_sis.infected_cost")
    distancing_cost = _unit_interval(distancing_cost, "cooperative_sis.distancing_cost")
    if infected_cost + distancing_cost > 1.0:
        raise ValueError(
            f"cooperative_sis: infected_cost + distancing_cost = {infected_cost + distancing_cost!r} > 1"
        )
    base = 1.0 - infected_cost * np.array([[0.0, 0.0], [1.0, 1.0]]) - distancing_cost * np.array(
        [[0.0, 1.0], [0.0, 1.0]]
    )

    def kernel(d: np.ndarray) -> np.ndarray:
        out = np.empty((*d.shape[:-1], 2, 2, 2))
        infect = beta * d[..., 1:2]  # [..., A]
        out[..., 0, :, 1] = infect
        out[..., 0, :, 0] = 1.0 - infect
        out[..., 1, :, 0] = recovery
        out[..., 1, :, 1] = 1.0 - recovery
        return out

    def reward(d: np.ndarray) -> np.ndarray:
        return np.broadcast_to(base, (*d.shape[:-1], 2, 2)).copy()

    return CooperativeModel(
        n_states=2, n_actions=2, kernel_fn=kernel, reward_fn=reward, gamma=gamma,
        reward_bound=1.0, initial=np.asarray(initial, dtype=float), name="cooperative_sis",
    )


def crowd_ring(
    *,
    gamma: float = 0.9,
    attractiveness: tuple[float, float, float] = (1.0, 0.6, 0.3),
    crowd_aversion: float = 0.8,
    congestion: float = 0.7,
    mobility: float = 0.9,
    drift: float = 0.05,
    move_cost: float = 0.1,
    initial: tuple[float, float, float] = (0.2, 0.3, 0.5),
) -> CooperativeModel:
    """Crowd on a ring of 3 places (|S| = 3, |A| = 2: stay, move to the next place).

    ``P(next | s, move, d) = mobility · (1 - congestion · d(next))`` (else stay);
    ``P(next | s, stay, d) = drift``; reward
    ``r(s, a, d) = (att[s] (1 - crowd_aversion · d(s)) + move_cost · 1{a = stay}) / (1 + move_cost)``
    in [0, 1].
    """
    att = np.asarray(attractiveness, dtype=float)
    if att.shape != (3,) or (att < 0).any() or (att > 1).any():
        raise ValueError(f"crowd_ring.attractiveness: need 3 values in [0, 1], got {attractiveness!r}")
    crowd_aversion = _unit_interval(crowd_aversion, "crowd_ring.crowd_aversion")
    congestion = _unit_interval(congestion, "crowd_ring.congestion")
    mobility = _unit_interval(mobility, "crowd_ring.mobility")
    drift = _unit_interval(drift, "crowd_ring.drift")
    move_cost = _unit_interval(move_cost, "crowd_ring.move_cost")
    nxt = (np.arange(3) + 1) % 3

    def kernel(d: np.ndarray) -> np.ndarray:
        out = np.zeros((*d.shape[:-1], 3, 2, 3))
        for s in range(3):
            go = mobility * (1.0 - congestion * d[..., nxt[s]])
            out[..., s, 1, nxt[s]] = go
            out[..., s, 1, s] = 1.0 - go
            out[..., s, 0, nxt[s]] = drift
            out[..., s, 0, s] = 1.0 - drift
        return out

    def reward(d: np.ndarray) -> np.ndarray:
        place = att * (1.0 - crowd_aversion * d)  # [..., S]
        out = np.stack([place + move_cost, place], axis=-1)
        return out / (1.0 + move_cost)

    return CooperativeModel(
        n_states=3, n_actions=2, kernel_fn=kernel, reward_fn=reward, gamma=gamma,
        reward_bound=1.0, initial=np.asarray(initial, dtype=float), name="crowd_ring",
    )


def random_cooperative_model(
    rng: np.random.Generator,
    n_states: int,
    n_actions: int,
    *,
    gamma: float = 0.9,
    coupling: float = 2.0,
) -> CooperativeModel:
    """A random cooperative model with smooth d-dependence.

    ``p(·|s, a, d) = softmax(B[s, a] + C[s, a] d)`` and
    ``r(s, a, d) = sigmoid(logit(r₀[s, a]) + D[s, a] · d)`` in (0, 1); B, C, D standard
    normal (C, D scaled by ``coupling``; 0 gives a model that ignores d), r₀ ~ U(0.05, 0.95),
    d₀ ~ Dirichlet(1).
    """
    n_states = check_positive_int(n_states, "random_cooperative_model.n_states")
    n_actions = check_positive_int(n_actions, "random_cooperative_model.n_actions")
    if not np.isfinite(coupling) or coupling < 0:
        raise ValueError(f"random_cooperative_model.coupling: must be finite and >= 0, got {coupling!r}")
    base = rng.normal(size=(n_states, n_actions, n_states))
    kernel_coupling = coupling * rng.normal(size=(n_states, n_actions, n_states, n_states))
    base_reward = rng.uniform(0.05, 0.95, size=(n_states, n_actions))
    reward_coupling = coupling * rng.normal(size=(n_states, n_actions, n_states))
    logit_reward = np.log(base_reward) - np.log1p(-base_reward)

    def kernel(d: np.ndarray) -> np.ndarray:
        logits = base + np.einsum("sayz,...z->...say", kernel_coupling, d)
        logits = logits - logits.max(axis=-1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=-1, keepdims=True)

    def reward(d: np.ndarray) -> np.ndarray:
        logit = logit_reward + np.einsum("saz,...z->...sa", reward_coupling, d)
        return 1.0 / (1.0 + np.exp(-logit))

    return CooperativeModel(
        n_states=n_states, n_actions=n_actions, kernel_fn=kernel, reward_fn=reward, gamma=gamma,
        reward_bound=1.0, initial=rng.dirichlet(np.ones(n_states)), name="random_cooperative",
    )


#: Named presets (name -> builder with default parameters).
PRESETS = {"cooperative_sis": cooperative_sis, "crowd_ring": crowd_ring}
