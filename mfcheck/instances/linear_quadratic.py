"""Discrete linear-quadratic mean-field game (MFG-NAC App D; Laurière et al.; mfglib; OpenSpiel).

Agent dynamics with the mean state m̄ = Σ_x x μ(x)::

    x' = round(x + (k (m̄ - x) + a) Δt + spacing · σ · ε · sqrt(Δt)),  ε ∈ noise_values
    r(x, a, μ) = (-a²/2 + q a (m̄ - x) - κ/2 (m̄ - x)²) Δt       (epochs t < T)
    r_T(x, a, μ) = -c_term/2 (m̄ - x)²                          (finite horizon, epoch T)

App D defaults: 25 states, actions {-3..3}, Δt = 1, σ = 1, q = 0.01, κ = 0.5, ε on {-3..3},
no mean reversion, no terminal cost. Peers' variants:

* mfglib ``linear_quadratic(T, el, m, sigma, delta, k, q, kappa, c_term)`` is exactly
  ``linear_quadratic(n_states=2*el+1, actions=range(-m, m+1), horizon=T, lam=0, sigma=sigma,
  dt=delta, mean_reversion=k, q=q, kappa=kappa, terminal_cost=c_term, noise_spacing=sigma,
  noise="gaussian_grid")`` (``boundary="clip"``, centred positions -el..el: the defaults).
  mfglib's noise grid is ε_j = σ j (j = -3..3) with weights ∝ exp(-ε_j²/2) (so the weights
  depend on σ: ``"gaussian_grid"``) and the displacement σ ε_j sqrt(Δt) applies σ twice
  (``noise_spacing=sigma``); the running reward is scaled by Δt, the terminal one is not; the
  next position is rounded half to even (torch.round) *before* clipping. Its default
  ``linear_quadratic()`` (T=3, el=5, m=2, σ=3, Δt=0.1, k=1, c_term=1) agrees with this
  mapping to float32 precision (tests/peers/test_mfglib.py). They once disagreed (2.14 vs
  1.02 on the uniform policy) for two reasons: ``noise="gaussian"`` weights exp(-j²/2) instead
  of mfglib's exp(-9j²/2) at σ = 3 (P(j=0) = 0.40 vs 0.98), and the index was rounded as
  rint(x' + el), which flips the half-to-even tie rule when el is odd (x' = 4.5 went to 5,
  mfglib's to 4; ties are common with k Δt = 0.1).
* OpenSpiel ``mean_field_lin_quad``: ``positions=range(size)``, ``boundary="torus"``,
  ``noise="binned"`` (Φ(j+½) - Φ(j-½), tails lumped at ±3); its move-then-noise rounding
  and reward timing differ (see ``shared/notes/mfg-peers.md``) and are not reproduced here.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import erf, sqrt
from typing import Literal

import numpy as np

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame


def noise_weights(
    values: Sequence[int],
    kind: Literal["gaussian", "gaussian_grid", "binned"] | Sequence[float],
    spacing: float = 1.0,
) -> np.ndarray:
    """Probabilities of the discrete noise values.

    ``"gaussian"``: w_j ∝ exp(-j²/2). ``"gaussian_grid"``: w_j ∝ exp(-(spacing·j)²/2), the
    standard normal density at the grid points ε_j = spacing·j (mfglib: its ε_j = σ j, weighted
    by exp(-ε_j²/2)); equal to ``"gaussian"`` when ``spacing == 1``. ``"binned"``:
    P(j - ½ < Z <= j + ½) for Z ~ N(0, 1), with the tails lumped into the extreme values
    (OpenSpiel). A sequence is taken as given (validated to be a distribution).
    """
    values = np.asarray(values, dtype=float)
    if isinstance(kind, str):
        if kind in ("gaussian", "gaussian_grid"):
            grid = values * spacing if kind == "gaussian_grid" else values
            weights = np.exp(-(grid**2) / 2.0)
            return weights / weights.sum()
        if kind == "binned":
            phi = np.vectorize(lambda z: 0.5 * (1.0 + erf(z / sqrt(2.0))))
            upper = phi(values + 0.5)
            lower = phi(values - 0.5)
            upper[-1], lower[0] = 1.0, 0.0
            return upper - lower
        raise ValueError(
            f"linear_quadratic.noise: unknown kind {kind!r} (gaussian, gaussian_grid, binned)"
        )
    weights = np.asarray(kind, dtype=float)
    if weights.shape != values.shape or (weights < 0).any() or abs(weights.sum() - 1) > 1e-8:
        raise ValueError(
            f"linear_quadratic.noise: weights {weights!r} are not a distribution over {values!r}"
        )
    return weights


def _kernel_builder(
    positions: np.ndarray,
    actions: np.ndarray,
    noise: np.ndarray,
    weights: np.ndarray,
    dt: float,
    sigma: float,
    spacing: float,
    mean_reversion: float,
    boundary: str,
):
    n = positions.size
    origin = positions[0]
    shift_noise = spacing * sigma * noise * sqrt(dt)  # [J]

    def kernel(mu: np.ndarray) -> np.ndarray:
        mbar = float(positions @ mu)
        drift = (mean_reversion * (mbar - positions)[:, None] + actions[None, :]) * dt  # [S, A]
        target = positions[:, None, None] + drift[:, :, None] + shift_noise[None, None, :]
        # round the position itself half to even (as mfglib's torch.round), then index it:
        # rint(target - origin) would flip the tie rule whenever the origin is odd
        index = np.rint(target).astype(np.int64) - int(origin)
        if boundary == "clip":
            index = np.clip(index, 0, n - 1)
        else:
            index = np.mod(index, n)
        out = np.zeros((n, actions.size, n))
        s_idx, a_idx, _ = np.indices(index.shape)
        np.add.at(out, (s_idx, a_idx, index), np.broadcast_to(weights, index.shape))
        return out

    return kernel


def linear_quadratic(
    *,
    n_states: int = 25,
    actions: Sequence[int] | None = None,
    positions: Sequence[float] | None = None,
    horizon: int | None = None,
    gamma: float = 0.9,
    lam: float = 0.1,
    dt: float = 1.0,
    sigma: float = 1.0,
    q: float = 0.01,
    kappa: float = 0.5,
    mean_reversion: float = 0.0,
    terminal_cost: float = 0.0,
    noise_values: Sequence[int] = tuple(range(-3, 4)),
    noise: Literal["gaussian", "gaussian_grid", "binned"] | Sequence[float] = "gaussian",
    noise_spacing: float = 1.0,
    boundary: Literal["clip", "torus"] = "clip",
    initial: Sequence[float] | None = None,
) -> MeanFieldGame | FiniteHorizonMFG:
    """Build the discrete LQ game (see module docstring for the parameters and peer variants).

    ``horizon=None`` gives the discounted, entropy-regularised game (γ, λ: mfcheck's choice,
    the appendix leaves them unstated); an integer gives epochs 0..T with the terminal cost.
    ``positions`` default to ``-(n_states // 2) .. `` (centred); ``actions`` to {-3..3}.
    ``initial`` defaults to uniform.
    """
    positions_arr = (
        np.arange(n_states, dtype=float) - (n_states // 2)
        if positions is None
        else np.asarray(positions, dtype=float)
    )
    if positions_arr.size != n_states:
        raise ValueError(
            f"linear_quadratic.positions: {positions_arr.size} positions for {n_states} states"
        )
    if (positions_arr.size > 1 and not np.allclose(np.diff(positions_arr), 1.0)) or not np.all(
        positions_arr == np.round(positions_arr)
    ):
        raise ValueError(
            f"linear_quadratic.positions: must be consecutive integers, got {positions_arr!r}"
        )
    actions_arr = np.asarray(range(-3, 4) if actions is None else actions, dtype=float)
    if boundary not in ("clip", "torus"):
        raise ValueError(f"linear_quadratic.boundary: expected 'clip' or 'torus', got {boundary!r}")
    if dt <= 0 or sigma < 0:
        raise ValueError(f"linear_quadratic: need dt > 0 and sigma >= 0, got dt={dt}, sigma={sigma}")
    noise_arr = np.asarray(noise_values, dtype=float)
    weights = noise_weights(noise_values, noise, noise_spacing)
    kernel = _kernel_builder(
        positions_arr, actions_arr, noise_arr, weights, dt, sigma, noise_spacing,
        mean_reversion, boundary,
    )

    def running_reward(mu: np.ndarray) -> np.ndarray:
        gap = float(positions_arr @ mu) - positions_arr  # [S]
        a = actions_arr[None, :]
        return (-0.5 * a**2 + q * a * gap[:, None] - 0.5 * kappa * gap[:, None] ** 2) * dt

    def terminal_reward(mu: np.ndarray) -> np.ndarray:
        gap = float(positions_arr @ mu) - positions_arr
        return np.repeat((-0.5 * terminal_cost * gap**2)[:, None], actions_arr.size, axis=1)

    labels_s = tuple(f"{x:g}" for x in positions_arr)
    labels_a = tuple(f"{a:+g}" for a in actions_arr)
    init = None if initial is None else np.asarray(initial, dtype=float)
    if horizon is None:
        return MeanFieldGame(
            n_states=n_states,
            n_actions=actions_arr.size,
            transition_fn=kernel,
            reward_fn=running_reward,
            gamma=gamma,
            lam=lam,
            initial=init,
            name="linear_quadratic",
            state_labels=labels_s,
            action_labels=labels_a,
        )
    return FiniteHorizonMFG(
        n_states=n_states,
        n_actions=actions_arr.size,
        horizon=horizon,
        transition_fn=lambda t, mu: kernel(mu),
        reward_fn=lambda t, mu: terminal_reward(mu) if t == horizon else running_reward(mu),
        initial=init,
        lam=0.0 if lam is None else lam,
        name="linear_quadratic",
        state_labels=labels_s,
        action_labels=labels_a,
    )
