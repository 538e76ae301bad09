"""Shared machinery of the App E checks (Lemmas E.1, E.2, E.4): perturbations and semi-gradients.

* Points β of the ball B(β(0), R): drawn independently of the initialisation
  (:func:`independent_perturbation`), or built from it to cross as many ReLU kinks as the
  budget R allows (:func:`kink_perturbation`, the worst case we can construct).
* A finite policy-evaluation problem (:class:`SemiGradientProblem`): points (s, d_S) with
  distributions over S, actions, a sampling distribution ρ, a next-point kernel, a policy and
  ξ = r, so that every expectation of App E is a finite sum, computed exactly.

Reference: MF-PPO (arXiv 2105.08268) App E, eqs (E.1)-(E.6), Lemmas E.1, E.2, E.4.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import NDArray

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
from mfcheck.models.validation import as_float_array, check_stochastic

OBJECTIVES: tuple[str, ...] = ("value", "count")


def torch_generator(rng: np.random.Generator) -> torch.Generator:
    """A torch generator seeded from a numpy stream (deterministic given ``rng``)."""
    return torch.Generator().manual_seed(int(rng.integers(0, 2**62)))


def independent_perturbation(
    net: TwoLayerDeepSet, radius: float, generator: torch.Generator
) -> torch.Tensor:
    """β = β(0) + R ξ/‖ξ‖ with ξ ~ N(0, I) drawn independently of the initialisation."""
    xi = torch.randn(net.n_params, generator=generator, dtype=torch.float32).to(net.beta0.dtype)
    return net.beta0 + radius * xi / torch.linalg.vector_norm(xi)


def kink_perturbation(
    net: TwoLayerDeepSet, x: torch.Tensor, radius: float, *, objective: str = "value"
) -> tuple[torch.Tensor, int]:
    """A point of the sphere ‖β - β(0)‖ = R built from β(0) to cross ReLU kinks at input x.

    Only the pre-activations p_j = β_j(0)^T x matter, so every move is along x.

    * ``"value"`` maximises |f⁰_β(x) - f_β(x)| (Lemma E.1): among units with u_j = +1, each
      unit moved across the kink adds L - |p_j| to the gap at cost L/‖x‖; the optimum
      (Lagrange) moves the k units of smallest |p_j| to pre-activation -sign(p_j)(L - |p_j|)
      with k L² = R² ‖x‖², k chosen to maximise Σ_j (L - |p_j|).
    * ``"count"`` maximises the number of units whose activation pattern flips (Lemma E.2):
      the units of smallest |p_j| are moved to pre-activation -0.05 p_j while the budget lasts.

    Returns
    -------
    beta : Tensor [m d]
    moved : int
        Number of units moved across the kink.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: {objective!r} is not one of {OBJECTIVES}")
    w0 = net.weights(net.beta0)
    pre = w0 @ x
    norm_x = torch.linalg.vector_norm(x)
    eligible = net.u > 0 if objective == "value" else torch.ones_like(net.u, dtype=torch.bool)
    units = torch.nonzero(eligible).squeeze(1)
    units = units[torch.argsort(pre[units].abs())]
    gaps = pre[units].abs()
    delta = torch.zeros_like(w0)
    if objective == "value":
        k = torch.arange(1, gaps.numel() + 1, dtype=gaps.dtype)
        level = radius * norm_x / torch.sqrt(k)
        gain = k * level - torch.cumsum(gaps, 0)
        gain[gaps >= level] = -torch.inf
        moved = int(torch.argmax(gain)) + 1
        chosen = units[:moved]
        delta[chosen] = -torch.sign(pre[chosen])[:, None] * level[moved - 1] * x / norm_x**2
    else:
        cost = torch.cumsum((1.05 * gaps) ** 2, 0)
        moved = int((cost <= (radius * norm_x) ** 2).sum())
        chosen = units[:moved]
        delta[chosen] = -1.05 * pre[chosen][:, None] * x / norm_x**2
    return net.beta0 + delta.flatten(), moved


@dataclass(frozen=True, kw_only=True)
class SemiGradientProblem:
    """A finite instance of App E's problem (E.1)-(E.2), policy-evaluation case.

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
        ξ(s, d_S, a) (the reward r in [0, 1] for policy evaluation).
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
                raise ValueError(
                    f"SemiGradientProblem.{name}: shape {getattr(self, name).shape} != {shape}"
                )
        if not 0 <= self.mu < 1:
            raise ValueError(f"SemiGradientProblem.mu: must lie in [0, 1), got {self.mu!r}")

    @property
    def n_points(self) -> int:
        return self.rho.shape[0]

    @property
    def n_actions(self) -> int:
        return self.rho.shape[1]

    def next_pairs(self) -> NDArray[np.float64]:
        """Probability of (s', d'_S, a') given (s, d_S, a), shape [P, A, P, A]."""
        return self.kernel[..., None] * self.policy[None, None]


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
    return SemiGradientProblem(
        own=own, dists=dists, rho=rho, kernel=kernel, policy=policy, xi=xi,
        tau=1.0 - gamma, mu=gamma,
    )


def problem_batch(problem: SemiGradientProblem) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(own, dist, action) for every (point, action), row p * A + a; shapes [P A], [P A, S], [P A]."""
    a = problem.n_actions
    own = torch.as_tensor(np.repeat(problem.own, a))
    dists = torch.as_tensor(np.repeat(problem.dists, a, axis=0))
    action = torch.as_tensor(np.tile(np.arange(a), problem.n_points))
    return own, dists, action


def population_values(
    net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor, *, linearised: bool
) -> torch.Tensor:
    """F_β(s, d_S, a) (or F⁰_β) at every (point, action), shape [P, A]."""
    own, dists, action = problem_batch(problem)
    values = net.population(own, dists, action, beta, linearised=linearised)
    return values.view(problem.n_points, problem.n_actions)


def population_semigradient(
    net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor, *, linearised: bool
) -> torch.Tensor:
    """ḡ_β = E_ρ[δ_β ∇F_β(s, d_S, a)] (or ḡ⁰_β with F⁰ and ∇F⁰), exactly; shape [m d].

    δ_β = F_β(s, d_S, a) - τ ξ(s, d_S, a) - μ F_β(s', d'_S, a') and the expectation over
    (s', d'_S, a') is taken inside δ (δ is linear in it). Since ∇F_β(s, d, a) =
    Σ_x d(x) ∇f_β(s, x, a), ḡ_β = Σ_inputs c(s, x, a) ∇f_β(s, x, a) with
    c(s, x, a) = Σ_p 1{s_p = s} ρ(p, a) δ(p, a) d_p(x) (App E, definitions before E.1).
    """
    values = population_values(net, problem, beta, linearised=linearised)
    weights = torch.as_tensor(problem.rho, dtype=values.dtype) * residuals(problem, values)
    coefficients = input_coefficients(problem, weights, net.encoder.n_states)
    table = net.encoder.table.reshape(-1, net.encoder.dim)
    if linearised:
        return net.pointwise_linearised_grad_sum(table, coefficients.flatten())
    return net.pointwise_grad_sum(table, coefficients.flatten(), beta)


def input_coefficients(problem: SemiGradientProblem, weights: torch.Tensor, n_states: int) -> torch.Tensor:
    """c(s, x, a) = Σ_p 1{s_p = s} weights(p, a) d_p(x), shape [S, S, A]."""
    dists = torch.as_tensor(problem.dists, dtype=weights.dtype)
    per_point = dists[:, :, None] * weights[:, None, :]  # [P, S(x), A]
    out = torch.zeros(n_states, n_states, problem.n_actions, dtype=weights.dtype)
    return out.index_add_(0, torch.as_tensor(problem.own), per_point)


def residuals(problem: SemiGradientProblem, values: torch.Tensor) -> torch.Tensor:
    """δ(s, d_S, a) = F - τ ξ - μ E[F(s', d'_S, a')], shape [P, A]."""
    dtype = values.dtype
    nxt = torch.einsum("paqb,qb->pa", torch.as_tensor(problem.next_pairs(), dtype=dtype), values)
    return values - problem.tau * torch.as_tensor(problem.xi, dtype=dtype) - problem.mu * nxt


def sweep_errors(
    factory: Callable[[OneHotEncoder, int, torch.Generator], TwoLayerDeepSet],
    encoder: OneHotEncoder,
    *,
    widths: Sequence[int],
    radii: Sequence[float],
    rngs: Sequence[np.random.Generator],
    perturb: Callable[[TwoLayerDeepSet, float, torch.Generator], torch.Tensor],
    measure: Callable[[TwoLayerDeepSet, torch.Tensor], float],
) -> NDArray[np.float64]:
    """errors[g, r] = measure(net, β) at cell (m_g, R_g), seed r: a fresh initialisation per cell.

    ``perturb(net, R, generator)`` returns a point β of the ball B(β(0), R).
    """
    errors = np.empty((len(widths), len(rngs)))
    for r, rng in enumerate(rngs):
        for g, (width, radius) in enumerate(zip(widths, radii)):
            generator = torch_generator(rng)
            net = factory(encoder, int(width), generator)
            errors[g, r] = measure(net, perturb(net, float(radius), generator))
    return errors
