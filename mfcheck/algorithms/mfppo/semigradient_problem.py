"""A finite instance of App E's semi-gradient problem (E.1)-(E.2), policy-evaluation case.

Points (s, d_S) with distributions over S, actions, a sampling distribution ρ, a next-point kernel,
a policy and ξ = r, so that every expectation of App E (over ρ, P and π) is a finite sum. Used by
the network lemmas E.1, E.2 (exact population semi-gradients) and by Lemma E.4 (N-sample
semi-gradients of the MFPPO's own Alg 2 step against the population one).
Reference: MF-PPO (arXiv 2105.08268) App E, eqs (E.1)-(E.6), Lemmas E.1, E.2, E.4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.models.validation import as_float_array, check_stochastic

__all__ = ["SemiGradientProblem", "random_semigradient_problem"]


@dataclass(frozen=True, kw_only=True, eq=False)
class SemiGradientProblem:
    """A finite instance of App E's problem.

    Attributes
    ----------
    own : int array [P]
        Own state s of each point (s, d_S).
    dists : array [P, S]
        Mean field d_S of each point.
    rho : array [P, A]
        Sampling distribution ρ over (point, action).
    kernel : array [P, A, P]
        Next point (s', d'_S) given (s, d_S, a).
    policy : array [P, A]
        π(a' | s', d'_S).
    xi : array [P, A]
        ξ(s, d_S, a) (the reward r for policy evaluation).
    tau, mu : float
        (1 - γ, γ) for policy evaluation, (1, 0) for policy improvement (App E).
    """

    own: NDArray[np.int64]
    dists: NDArray[np.float64]
    rho: NDArray[np.float64]
    kernel: NDArray[np.float64]
    policy: NDArray[np.float64]
    xi: NDArray[np.float64]
    tau: float
    mu: float

    def __post_init__(self) -> None:
        p, a = self.rho.shape
        check_stochastic(self.dists, "SemiGradientProblem.dists")
        check_stochastic(self.rho.reshape(1, -1), "SemiGradientProblem.rho")
        check_stochastic(self.kernel, "SemiGradientProblem.kernel")
        check_stochastic(self.policy, "SemiGradientProblem.policy")
        for name, shape in (("own", (p,)), ("dists", (p, self.dists.shape[1])), ("kernel", (p, a, p)),
                            ("policy", (p, a)), ("xi", (p, a))):
            if getattr(self, name).shape != shape:
                raise ValueError(f"SemiGradientProblem.{name}: shape {getattr(self, name).shape} != {shape}")
        if not 0 <= self.mu < 1:
            raise ValueError(f"SemiGradientProblem.mu: must lie in [0, 1), got {self.mu!r}")

    @property
    def n_points(self) -> int:
        return self.rho.shape[0]

    @property
    def n_actions(self) -> int:
        return self.rho.shape[1]

    @property
    def n_states(self) -> int:
        return self.dists.shape[1]

    @property
    def gamma(self) -> float:
        """γ of the policy-evaluation reading (μ = γ, τ = 1 - γ)."""
        return self.mu

    def next_pairs(self) -> NDArray[np.float64]:
        """Probability of (s', d'_S, a') given (s, d_S, a), shape [P, A, P, A]."""
        return self.kernel[..., None] * self.policy[None, None]

    def tuple_weights(self) -> NDArray[np.float64]:
        """ρ(p, a) P(q | p, a) π(b | q): the law of a tuple (s, d_S, a, s', d'_S, a'), [P, A, P, A]."""
        return self.rho[:, :, None, None] * self.next_pairs()


def random_semigradient_problem(
    rng: np.random.Generator,
    *,
    n_states: int,
    n_actions: int,
    n_points: int,
    gamma: float,
    reward_range: tuple[float, float] = (0.0, 1.0),
) -> SemiGradientProblem:
    """A random policy-evaluation instance: Dirichlet(1) mean fields and kernels, r ~ U(reward_range).

    τ = 1 - γ and μ = γ (App E, "Policy Evaluation"); ξ = r.
    """
    low, high = reward_range
    if not low <= high:
        raise ValueError(f"reward_range: low {low!r} exceeds high {high!r}")
    own = rng.integers(0, n_states, size=n_points)
    dists = rng.dirichlet(np.ones(n_states), size=n_points)
    rho = rng.dirichlet(np.ones(n_points * n_actions)).reshape(n_points, n_actions)
    kernel = rng.dirichlet(np.ones(n_points), size=(n_points, n_actions))
    policy = rng.dirichlet(np.ones(n_actions), size=n_points)
    xi = as_float_array(rng.uniform(low, high, size=(n_points, n_actions)), "xi")
    return SemiGradientProblem(own=own, dists=dists, rho=rho, kernel=kernel, policy=policy, xi=xi,
                               tau=1.0 - gamma, mu=gamma)
