"""Lemma E.4: E_{init, s, s'} ‖ĝ_β(s, s, a, s', s', a') - g_β(s, d_S, a, s', d'_S, a')‖² = O(R²/N).

g_β = δ_β ∇F_β(s, d_S, a) uses the population network F(s, d, a) = Σ_x d(x) f(s, x, a)
(N = ∞, exact on a finite S); ĝ_β replaces d_S and d'_S by the empirical distributions of
N i.i.d. agent states ``s ~ d_S``, ``s' ~ d'_S`` (mean pooling: F(s, s, a) = F(s, d̂, a)).
The expectation over the samples is a Monte Carlo mean over draws, over the initialisation a
mean over seeds, and the tuple (s, d_S, a, s', d'_S, a') is averaged with the weights
ρ × P × π of a finite problem (every tuple obeys the lemma, so does their average).
Exponent in N (stated -1) at fixed R, and in R (stated 2) at fixed N, for β = β(0) + R v with
v the unit direction of -Σ ∇F_β(0) (it lowers every F, so |δ| grows like R).
Reference: MF-PPO (arXiv 2105.08268) Lemma E.4, eq (E.11).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from mfcheck.checks.mfppo._rate_judgement import RateJudgement, judge_rate, rate_spec, rate_verdict
from mfcheck.judgement.profile import Profile
from mfcheck.judgement.verdict import Verdict
from mfcheck.stats import seed_streams, stream

if TYPE_CHECKING:
    import torch

    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
    from mfcheck.checks.mfppo._lemma_e_torch import SemiGradientProblem

CLAIM_ID = "mfppo.lemma_e4"

#: sampler(rng, dist [S], n_agents, n_draws) -> agent states, int array [n_draws, n_agents]
Sampler = Callable[[np.random.Generator, NDArray[np.float64], int, int], NDArray[np.int64]]


def iid_agent_states(
    rng: np.random.Generator, dist: NDArray[np.float64], n_agents: int, n_draws: int
) -> NDArray[np.int64]:
    """``n_draws`` independent samples of N i.i.d. agent states ``s ~ d_S`` (MF-PPO Sec 3)."""
    return rng.choice(dist.size, size=(n_draws, n_agents), p=dist)


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of one run of the Lemma E.4 check."""

    n_states: int = 4
    """|S| (scaled one-hot inputs, ‖x‖ = 1)."""
    n_actions: int = 2
    """|Ā|."""
    n_points: int = 8
    """Points (s, d_S) in the support of ρ."""
    width: int = 256
    """m (the lemma holds for every m)."""
    agent_counts: tuple[int, ...] = tuple(2**k for k in range(2, 11))
    """Grid of N for the N-exponent (at ``radius``)."""
    radius: float = 1.0
    """R for the N-grid."""
    radii: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)
    """Grid of R for the R-exponent (at ``radius_agents``)."""
    radius_agents: int = 64
    """N for the R-grid."""
    n_draws: int = 64
    """Monte Carlo draws of (s, s') per tuple, grid point and seed."""
    n_seeds: int = 24
    """Initialisations per grid point."""
    asymptotic_from: int = 2
    """Grid points dropped from the head of each fit (the O(1/N²) terms)."""
    gamma: float = 0.5
    """Discount of the policy-evaluation instance (τ = 1 - γ, μ = γ)."""
    reward_range: tuple[float, float] = (2.0, 4.0)
    """Rewards r = ξ ~ U(reward_range): δ ≈ -τ r then dominates the random F(β(0)), so the
    seed-to-seed spread of the error reflects the sampling, not the sign of δ."""

    def __post_init__(self) -> None:
        for name in ("agent_counts", "radii"):
            grid = np.asarray(getattr(self, name), dtype=float)
            if grid.size < 3 or (grid <= 0).any() or (np.diff(grid) <= 0).any():
                raise ValueError(f"Config.{name}: needs >= 3 positive increasing values, got {grid}")
        if self.n_seeds < 2 or self.n_draws < 2:
            raise ValueError(f"Config: n_seeds {self.n_seeds} and n_draws {self.n_draws} must be >= 2")
        if not 0 <= self.asymptotic_from <= min(len(self.agent_counts), len(self.radii)) - 2:
            raise ValueError(f"Config.asymptotic_from: {self.asymptotic_from} leaves < 2 points")


CONFIGS: dict[str, Config] = {
    "quick": Config(),
    "full": Config(agent_counts=tuple(2**k for k in range(2, 14)), radii=(1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
                   width=1024, n_draws=256, n_seeds=64),
}


def empirical_distributions(
    sampler: Sampler, rng: np.random.Generator, dist: NDArray[np.float64], n_agents: int, n_draws: int
) -> NDArray[np.float64]:
    """Empirical distributions of the sampled agent states, shape [n_draws, S]."""
    states = np.asarray(sampler(rng, dist, n_agents, n_draws))
    if states.shape != (n_draws, n_agents):
        raise ValueError(f"sampler: returned shape {states.shape}, expected {(n_draws, n_agents)}")
    if states.min() < 0 or states.max() >= dist.size:
        raise ValueError(f"sampler: states outside [0, {dist.size}): min {states.min()}, max {states.max()}")
    counts = (states[..., None] == np.arange(dist.size)).sum(axis=1)
    return counts / n_agents


def aligned_direction(net: TwoLayerDeepSet, problem: SemiGradientProblem) -> torch.Tensor:
    """Unit vector along -Σ_{p, a} ∇F_β(0)(s_p, d_p, a).

    Moving β along it lowers every F(s, d, a) by about R ‖Σ ∇F‖ / (P A); with positive rewards
    δ = F - τ r - μ F' is negative, so |δ| grows linearly in R: the R² regime of the bound.
    """
    import torch

    from mfcheck.checks.mfppo._lemma_e_torch import problem_batch

    own, dists, action = problem_batch(problem)
    direction = net.population_grad(own, dists, action, net.beta0).sum(dim=0)
    return -direction / torch.linalg.vector_norm(direction)


def sampling_error(
    net: TwoLayerDeepSet,
    problem: SemiGradientProblem,
    beta: torch.Tensor,
    *,
    sampler: Sampler,
    rng: np.random.Generator,
    n_agents: int,
    n_draws: int,
) -> float:
    """Σ_tuples ρ P π · mean_draws ‖ĝ_β - g_β‖², the quantities of eq (E.11).

    With mean pooling, F(s, w, a) = w · f(s, ·, a) and ∇F(s, w, a) = Σ_x w_x ∇f(s, x, a) for an
    empirical (or population) distribution w, so every norm and inner product of gradients is
    w^T K(s, a) w' with the Gram matrix K(s, a)_{xy} = <∇f(s, x, a), ∇f(s, y, a)> (exact).
    """
    import torch

    dtype = net.beta0.dtype
    table = net.encoder.table
    f = net.pointwise(table, beta)  # [S, S, A]
    grads = net.pointwise_grad(table, beta)  # [S, S, A, m d]
    gram = torch.einsum("sxap,syap->saxy", grads, grads)  # [S, A, S, S]
    own = torch.as_tensor(problem.own)
    f_points = f[own]  # [P, S(x), A]
    gram_points = gram[own]  # [P, A, S, S]
    dists = torch.as_tensor(problem.dists, dtype=dtype)  # [P, S]
    current = torch.stack([
        torch.as_tensor(empirical_distributions(sampler, rng, d, n_agents, n_draws), dtype=dtype)
        for d in problem.dists
    ])  # [P, K, S]
    following = torch.stack([
        torch.as_tensor(empirical_distributions(sampler, rng, d, n_agents, n_draws), dtype=dtype)
        for d in problem.dists
    ])
    values = torch.einsum("px,pxa->pa", dists, f_points)
    hat_values = torch.einsum("pkx,pxa->pak", current, f_points)
    next_values = torch.einsum("pkx,pxa->pak", following, f_points)
    g_sq = torch.einsum("px,paxy,py->pa", dists, gram_points, dists)
    hat_sq = torch.einsum("pkx,paxy,pky->pak", current, gram_points, current)
    hat_dot = torch.einsum("pkx,paxy,py->pak", current, gram_points, dists)
    tau, mu = problem.tau, problem.mu
    xi = torch.as_tensor(problem.xi, dtype=dtype)
    delta_hat = (hat_values - tau * xi[..., None])[:, :, None, None, :] - mu * next_values[None, None]
    delta = (values - tau * xi)[:, :, None, None] - mu * values[None, None]  # [P, A, P', A']
    err = (
        delta_hat.pow(2) * hat_sq[:, :, None, None, :]
        - 2 * delta_hat * delta[..., None] * hat_dot[:, :, None, None, :]
        + (delta.pow(2) * g_sq[:, :, None, None])[..., None]
    ).mean(dim=-1)
    weights = torch.as_tensor(problem.rho[:, :, None, None] * problem.next_pairs(), dtype=dtype)
    return float((weights * err).sum())


def check_lemma_e4(
    sampler: Sampler = iid_agent_states,
    *,
    config: Config,
    master_seed: int,
    parameters: Sequence[str] = ("N", "R"),
) -> Verdict:
    """Measure the N- (and R-) exponent of E‖ĝ_β - g_β‖² for a sampler of agent states."""
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
    from mfcheck.checks.mfppo._lemma_e_torch import random_semigradient_problem, torch_generator

    for name in parameters:
        if name not in ("N", "R"):
            raise ValueError(f"parameters: {name!r} is not one of ('N', 'R')")
    torch.set_num_threads(1)
    encoder = OneHotEncoder(config.n_states, config.n_actions)
    problem = random_semigradient_problem(
        stream(master_seed, label=CLAIM_ID + ":problem"),
        n_states=config.n_states, n_actions=config.n_actions, n_points=config.n_points,
        gamma=config.gamma, reward_range=config.reward_range,
    )
    sweeps = {
        "N": (config.agent_counts, list(config.agent_counts), [config.radius] * len(config.agent_counts)),
        "R": (config.radii, [config.radius_agents] * len(config.radii), list(config.radii)),
    }
    boot = stream(master_seed, label=CLAIM_ID + ":bootstrap")
    judgements: list[RateJudgement] = []
    for parameter in parameters:
        grid, agents, radii = sweeps[parameter]
        rngs = seed_streams(master_seed, config.n_seeds, label=f"{CLAIM_ID}:{parameter}")
        errors = np.empty((len(grid), config.n_seeds))
        for r, rng in enumerate(rngs):
            for g, (n_agents, radius) in enumerate(zip(agents, radii)):
                net = TwoLayerDeepSet(encoder, config.width, generator=torch_generator(rng))
                beta = net.beta0 + radius * aligned_direction(net, problem)
                errors[g, r] = sampling_error(
                    net, problem, beta, sampler=sampler, rng=rng, n_agents=int(n_agents),
                    n_draws=config.n_draws,
                )
        judgements.append(
            judge_rate(
                label="aligned β", spec=rate_spec(CLAIM_ID, parameter), grid=grid, errors=errors,
                rng=boot, asymptotic_from=config.asymptotic_from,
            )
        )
    return rate_verdict(
        CLAIM_ID,
        judgements,
        quantity="E‖ĝ_β - g_β‖²",
        reading=(
            "App E normalisation (mean pooling; population F = E_{x~d} f exact on finite S); "
            "ĝ from N agent states per draw, g at N = ∞; averaged over the tuples of a finite "
            f"policy-evaluation problem (γ = {config.gamma}, r ~ U{list(config.reward_range)}); "
            "β = β(0) + R v, v along -Σ ∇F_β(0); "
            f"m = {config.width}, {config.n_draws} draws"
        ),
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: the quick or full configuration with i.i.d. agent states."""
    return check_lemma_e4(config=CONFIGS[profile.name], master_seed=profile.master_seed)
