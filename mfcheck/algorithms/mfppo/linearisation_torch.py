"""The two-layer network against its linearisation at initialisation (App E.1), in torch.

What the network lemmas E.1-E.3 measure, on the paper's network (Sec 4, mean normalisation):

* points β of the ball B(β(0), R): drawn independently of the initialisation
  (:func:`independent_perturbation`), or built from it to cross as many ReLU kinks as the budget R
  allows (:func:`kink_perturbation`, the worst case we can construct; :func:`perturbation`);
* exact population quantities on a finite :class:`SemiGradientProblem`: F_β and F⁰_β
  (:func:`population_values`), the semi-gradients ḡ_β and ḡ⁰_β (:func:`population_semigradient`),
  and the two gaps the lemmas bound (:func:`linearisation_gap`, :func:`semigradient_gap`);
* the second moment of the network at initialisation, input by input (:func:`init_second_moments`).

Reference: MF-PPO (arXiv 2105.08268) App E, eqs (E.1)-(E.7), Lemmas E.1, E.2, proof of Lemma E.3.
"""

from __future__ import annotations

import numpy as np
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
from mfcheck.algorithms.mfppo.semigradient_problem import SemiGradientProblem

#: kinds of β in the ball: independent of β(0), or built from it (worst case)
KINDS: tuple[str, ...] = ("independent", "adversarial")
#: what the adversarial β maximises: the value gap (Lemma E.1) or the number of flips (Lemma E.2)
OBJECTIVES: tuple[str, ...] = ("value", "count")


def two_layer_network(encoder: OneHotEncoder, width: int, generator: torch.Generator) -> TwoLayerDeepSet:
    """The paper's two-layer network (u_j ~ ±1, β_j(0) ~ N(0, I/d)), mean normalisation (App E)."""
    return TwoLayerDeepSet(encoder, width, generator=generator, pooling="mean")


def independent_perturbation(net: TwoLayerDeepSet, radius: float, generator: torch.Generator) -> torch.Tensor:
    """β = β(0) + R ξ/‖ξ‖ with ξ ~ N(0, I) drawn independently of the initialisation."""
    xi = torch.randn(net.n_params, generator=generator, dtype=torch.float32).to(net.beta0.dtype)
    return net.beta0 + radius * xi / torch.linalg.vector_norm(xi)


def kink_perturbation(net: TwoLayerDeepSet, x: torch.Tensor, radius: float, *,
                      objective: str = "value") -> tuple[torch.Tensor, int]:
    """A point of the sphere ‖β - β(0)‖ = R built from β(0) to cross ReLU kinks at input x.

    Only the pre-activations p_j = β_j(0)^T x matter, so every move is along x.

    * ``"value"`` maximises |f⁰_β(x) - f_β(x)| (Lemma E.1): among units with u_j = +1, each unit
      moved across the kink adds L - |p_j| to the gap at cost L/‖x‖; the optimum (Lagrange) moves
      the k units of smallest |p_j| to pre-activation -sign(p_j)(L - |p_j|) with k L² = R² ‖x‖²,
      k chosen to maximise Σ_j (L - |p_j|).
    * ``"count"`` maximises the number of units whose activation pattern flips (Lemma E.2): the
      units of smallest |p_j| are moved to pre-activation -0.05 p_j while the budget lasts.

    Returns (β [m d], number of units moved across the kink).
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


def problem_batch(problem: SemiGradientProblem) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(own, dist, action) for every (point, action), row p * A + a; shapes [P A], [P A, S], [P A]."""
    a = problem.n_actions
    own = torch.as_tensor(np.repeat(problem.own, a))
    dists = torch.as_tensor(np.repeat(problem.dists, a, axis=0))
    action = torch.as_tensor(np.tile(np.arange(a), problem.n_points))
    return own, dists, action


def population_values(net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor, *,
                      linearised: bool) -> torch.Tensor:
    """F_β(s, d_S, a) (or F⁰_β) at every (point, action), shape [P, A]."""
    own, dists, action = problem_batch(problem)
    values = net.population(own, dists, action, beta, linearised=linearised)
    return values.view(problem.n_points, problem.n_actions)


def residuals(problem: SemiGradientProblem, values: torch.Tensor) -> torch.Tensor:
    """δ(s, d_S, a) = F - τ ξ - μ E[F(s', d'_S, a')], shape [P, A]."""
    dtype = values.dtype
    nxt = torch.einsum("paqb,qb->pa", torch.as_tensor(problem.next_pairs(), dtype=dtype), values)
    return values - problem.tau * torch.as_tensor(problem.xi, dtype=dtype) - problem.mu * nxt


def input_coefficients(problem: SemiGradientProblem, weights: torch.Tensor, n_states: int) -> torch.Tensor:
    """c(s, x, a) = Σ_p 1{s_p = s} weights(p, a) d_p(x), shape [S, S, A]."""
    dists = torch.as_tensor(problem.dists, dtype=weights.dtype)
    per_point = dists[:, :, None] * weights[:, None, :]  # [P, S(x), A]
    out = torch.zeros(n_states, n_states, problem.n_actions, dtype=weights.dtype)
    return out.index_add_(0, torch.as_tensor(problem.own), per_point)


def population_semigradient(net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor, *,
                            linearised: bool) -> torch.Tensor:
    """ḡ_β = E_ρ[δ_β ∇F_β(s, d_S, a)] (or ḡ⁰_β with F⁰ and ∇F⁰), exactly; shape [m d].

    The expectation over (s', d'_S, a') is taken inside δ (δ is linear in it). Since ∇F_β(s, d, a)
    = Σ_x d(x) ∇f_β(s, x, a), ḡ_β = Σ_inputs c(s, x, a) ∇f_β(s, x, a) with c = Σ_p 1{s_p = s}
    ρ(p, a) δ(p, a) d_p(x) (App E, definitions before E.1).
    """
    values = population_values(net, problem, beta, linearised=linearised)
    weights = torch.as_tensor(problem.rho, dtype=values.dtype) * residuals(problem, values)
    coefficients = input_coefficients(problem, weights, net.encoder.n_states)
    table = net.encoder.table.reshape(-1, net.encoder.dim)
    if linearised:
        return net.pointwise_linearised_grad_sum(table, coefficients.flatten())
    return net.pointwise_grad_sum(table, coefficients.flatten(), beta)


def linearisation_gap(net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor) -> float:
    """E_ρ |F⁰_β(s, d_S, a) - F_β(s, d_S, a)|², exact over the finite ρ (Lemma E.1)."""
    gap = population_values(net, problem, beta, linearised=True) - population_values(
        net, problem, beta, linearised=False)
    return float((gap.pow(2) * gap.new_tensor(problem.rho)).sum())


def semigradient_gap(net: TwoLayerDeepSet, problem: SemiGradientProblem, beta: torch.Tensor) -> float:
    """‖ḡ_β - ḡ⁰_β‖², both population semi-gradients exact over the finite problem (Lemma E.2)."""
    diff = population_semigradient(net, problem, beta, linearised=False) - population_semigradient(
        net, problem, beta, linearised=True)
    return float(diff.pow(2).sum())


def worst_input(problem: SemiGradientProblem, encoder: OneHotEncoder) -> torch.Tensor:
    """The input x(s, x, a) of largest weight Σ_p ρ(p, a) 1{s_p = s} d_p(x)² in E_ρ|ΔF|²."""
    score = np.zeros((encoder.n_states, encoder.n_states, encoder.n_actions))
    for p in range(problem.n_points):
        score[problem.own[p]] += problem.dists[p][:, None] ** 2 * problem.rho[p][None, :]
    s, x, a = np.unravel_index(int(np.argmax(score)), score.shape)
    return encoder.table[s, x, a]


def heaviest_input(net: TwoLayerDeepSet, problem: SemiGradientProblem) -> torch.Tensor:
    """The input with the largest |c(s, x, a)| in ḡ at β(0) (the weight of its gradient)."""
    values = population_values(net, problem, net.beta0, linearised=False)
    weights = values.new_tensor(problem.rho) * residuals(problem, values)
    coefficients = input_coefficients(problem, weights, net.encoder.n_states)
    index = int(coefficients.abs().flatten().argmax())
    return net.encoder.table.reshape(-1, net.encoder.dim)[index]


def perturbation(kind: str, objective: str, net: TwoLayerDeepSet, problem: SemiGradientProblem,
                 radius: float, generator: torch.Generator) -> torch.Tensor:
    """β on the sphere of radius R: ``independent`` of β(0), or ``adversarial`` for ``objective``
    ("value": kinks crossed at :func:`worst_input`; "count": flips at :func:`heaviest_input`)."""
    if kind == "independent":
        return independent_perturbation(net, radius, generator)
    if kind != "adversarial":
        raise ValueError(f"kind: {kind!r} is not one of {KINDS}")
    x = worst_input(problem, net.encoder) if objective == "value" else heaviest_input(net, problem)
    return kink_perturbation(net, x, radius, objective=objective)[0]


def init_second_moments(encoder: OneHotEncoder, inputs: torch.Tensor, *, width: int, n_inits: int,
                        generator: torch.Generator) -> np.ndarray:
    """samples[k, i] = f_β(0)(x_i)² for ``n_inits`` fresh initialisations, shape [K, n]."""
    with torch.no_grad():
        rows = [two_layer_network(encoder, width, generator).pointwise(inputs).pow(2) for _ in range(n_inits)]
    return torch.stack(rows).numpy()
