"""Online mirror descent (OMD) for finite-horizon mean-field games.

Pérolat et al. 2022, "Scaling up mean field games with online mirror descent",
as mfglib 0.3.0 implements it (``mfglib.alg.OnlineMirrorDescent(alpha)``). With epochs
t = 0..T, scores y[T+1, S, A] and learning rate α::

    y_0 = 0,                      π_0 = softmax(y_0) (the uniform policy)
    y_{k+1} = y_k + α q_k,        π_{k+1} = softmax(y_{k+1})   (softmax over actions)
    q_k[t, s, a] = Q^{π_k,λ}_{μ(π_k)}[t, s, a] - λ log π_k[t, a|s]

where Q^{π,λ}_μ[t] = r_t + P_t V^{π,λ}_{t+1} is the Q-function of π against the flow μ(π) that π
itself generates (:func:`~mfcheck.solvers.dynamic_programming.evaluate_policy_finite_horizon`;
V^{π,λ} carries the entropy bonus of later epochs). The -λ log π term is the current epoch's
share of the entropy bonus, the gradient of Σ_a π(a|s)(Q(s, a) - λ log π(a|s)) in π(a|s) up to a
constant: with it the iteration's fixed points are the λ-regularised equilibria π ∝ exp(Q*/λ)
(without it, at λ > 0, the scores chase Q^{π,λ}, whose fixed points are not equilibria:
exploitability stalls at 0.57 on the discounted SIS with λ = 0.5). For λ = 0 it is mfglib's
update exactly: its ``QFn(env, L).for_policy(pi)`` is the unregularised Q and it starts from the
same y = 0 and uniform π; its iterates equal these to float64 rounding
(``tests/peers/test_mfglib.py``). The discounted variant is
:func:`mfcheck.solvers.equilibria.online_mirror_descent`.

As mfglib's ``Iterative`` algorithms, the method is a state and a pure step
(:func:`mirror_descent_start`, :func:`mirror_descent_step`), so every iterate is available;
:func:`online_mirror_descent_finite_horizon` is the driver. Each state carries the
:class:`~mfcheck.solvers.exploitability.FiniteHorizonPass` of its policy (flow, kernels and
rewards along it, exploitability), which the next step reuses: one iteration costs one forward
pass, one policy evaluation and one optimal backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_softmax

from mfcheck.models import FiniteHorizonMFG
from mfcheck.models.validation import check_temperature
from mfcheck.solvers.dynamic_programming import boltzmann_policy, evaluate_policy_finite_horizon
from mfcheck.solvers.equilibria import Equilibrium
from mfcheck.solvers.exploitability import FiniteHorizonPass, finite_horizon_pass

Array = NDArray[np.float64]


@dataclass(frozen=True)
class MirrorDescentState:
    """The k-th OMD iterate: scores y_k [T+1, S, A] and the pass of π_k = softmax(y_k)."""

    iteration: int
    scores: Array
    run: FiniteHorizonPass

    @property
    def policy(self) -> Array:
        """π_k [T+1, S, A]."""
        return self.run.policy

    @property
    def exploitability(self) -> float:
        """E(π_k) (with the λ of the run)."""
        return self.run.exploitability


def mirror_descent_start(game: FiniteHorizonMFG, *, lam: float | None = None) -> MirrorDescentState:
    """y_0 = 0 and π_0 = uniform (mfglib's ``init_state`` with ``pi_0="uniform"``).

    ``lam`` overrides the game's entropy weight λ (the Q-functions and the exploitability use it).
    """
    lam_used = game.lam if lam is None else check_temperature(lam)
    scores = np.zeros((game.horizon + 1, game.n_states, game.n_actions))
    policy = boltzmann_policy(scores, 1.0)
    return MirrorDescentState(0, scores, finite_horizon_pass(game, policy, lam_used))


def mirror_descent_step(
    game: FiniteHorizonMFG, state: MirrorDescentState, *, learning_rate: float = 1.0
) -> MirrorDescentState:
    """One OMD step: y_{k+1} = y_k + α (Q^{π_k,λ}_{μ(π_k)} - λ log π_k), π_{k+1} = softmax(y_{k+1}).

    Reference: Pérolat et al. 2022; mfglib ``OnlineMirrorDescent.step_next_state``
    (λ = 0).
    """
    run = state.run
    _, q_values = evaluate_policy_finite_horizon(run.kernels, run.rewards, run.policy, run.lam)
    if run.lam > 0:  # log π_k = log softmax(y_k), finite even where π_k underflows
        q_values = q_values - run.lam * log_softmax(state.scores, axis=-1)
    scores = state.scores + learning_rate * q_values
    policy = boltzmann_policy(scores, 1.0)
    return MirrorDescentState(state.iteration + 1, scores, finite_horizon_pass(game, policy, run.lam))


def online_mirror_descent_finite_horizon(
    game: FiniteHorizonMFG,
    *,
    n_iter: int = 100,
    learning_rate: float = 1.0,
    lam: float | None = None,
) -> Equilibrium:
    """Run ``n_iter`` OMD steps from y_0 = 0 (module docstring); the last iterate is returned.

    ``history["exploitability"][k]`` is E(π_{k+1}) (mfglib's ``expls[k + 1]``) and
    ``history["value"]`` holds V^{π,λ}(μ_0) of the returned policy.
    """
    if not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(
            f"online_mirror_descent_finite_horizon.learning_rate: must be finite and > 0, "
            f"got {learning_rate!r}"
        )
    state = mirror_descent_start(game, lam=lam)
    history: list[float] = []
    for _ in range(n_iter):
        state = mirror_descent_step(game, state, learning_rate=learning_rate)
        history.append(state.exploitability)
    return Equilibrium(
        policy=state.policy,
        mean_field=state.run.flow,
        exploitability=state.exploitability,
        residual=0.0,
        iterations=n_iter,
        method=f"online_mirror_descent_finite_horizon(lr={learning_rate})",
        history={"exploitability": history, "value": [state.run.policy_value]},
    )
