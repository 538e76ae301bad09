"""The Lipschitz constant of KL(·‖z) in ‖·‖_1 on floored simplices (MFG-NAC Lemma 4), exactly and
by search.

For x, y >= α1 and z >= α2 entrywise on the simplex over n points, KL(·‖z) is convex, so
sup (KL(x‖z) - KL(y‖z))/‖x - y‖_1 is the largest directional slope ½(max_a g_a - min_a g_a) of
g = log(x/z) along a sum-zero direction: :func:`sharp_constant` gives it in closed form,
½ log((1-(n-1)α1)(1-(n-1)α2)/(α1 α2)); :func:`adversarial_triple` finds a triple near it
numerically (L-BFGS in softmax coordinates that keep the floors), independently of the closed form.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def kl(x: Array, z: Array) -> float:
    """KL(x‖z) in nats, 0 log 0 = 0."""
    mask = x > 0
    return float(np.sum(x[mask] * (np.log(x[mask]) - np.log(z[mask]))))


def gap_ratio(x: Array, y: Array, z: Array) -> float:
    """(KL(x‖z) - KL(y‖z)) / ‖x - y‖_1 (0 when x = y)."""
    norm = float(np.abs(x - y).sum())
    return 0.0 if norm == 0 else (kl(x, z) - kl(y, z)) / norm


def sharp_constant(n: int, alpha1: float, alpha2: float) -> float:
    """sup (KL(x‖z) - KL(y‖z))/‖x - y‖_1 over x, y >= α1, z >= α2 in dimension n >= 2:
    ½ log((1 - (n-1)α1)(1 - (n-1)α2)/(α1 α2))."""
    if n < 2 or not (0 < alpha1 <= 1 / n and 0 < alpha2 <= 1 / n):
        raise ValueError(f"sharp_constant: need n >= 2 and floors in (0, 1/n], got n={n}, ({alpha1}, {alpha2})")
    return 0.5 * float(np.log((1 - (n - 1) * alpha1) * (1 - (n - 1) * alpha2) / (alpha1 * alpha2)))


def _floored(u: Array, alpha: float) -> Array:
    from scipy.special import softmax

    return alpha + (1.0 - u.size * alpha) * softmax(u)


def adversarial_triple(n: int, alpha1: float, alpha2: float, rng: np.random.Generator, *, n_starts: int = 8,
                       step: float = 1e-3) -> tuple[float, tuple[Array, Array, Array]]:
    """A triple (x, y, z) with x, y >= α1, z >= α2 whose ratio (KL(x‖z) - KL(y‖z))/‖x - y‖_1 is close
    to the supremum, and that ratio.

    Maximises the directional slope ½(max g - min g), g = log(x/z), over (x, z) (L-BFGS from
    ``n_starts`` random starts in softmax coordinates keeping the floors), then moves y off x by a
    relative ``step`` along the steepest sum-zero direction (a finite pair, no cancellation).
    """
    from scipy.optimize import minimize

    if not (0 < alpha1 <= 1 / n and 0 < alpha2 <= 1 / n):
        raise ValueError(f"adversarial_triple: floors ({alpha1}, {alpha2}) must lie in (0, 1/{n}]")

    def slope(p: Array) -> float:
        g = np.log(_floored(p[:n], alpha1)) - np.log(_floored(p[n:], alpha2))
        return -0.5 * float(g.max() - g.min())

    best, best_p = np.inf, np.zeros(2 * n)
    for _ in range(n_starts):
        result = minimize(slope, rng.normal(scale=4.0, size=2 * n), method="L-BFGS-B", bounds=[(-40, 40)] * (2 * n))
        if result.fun < best:
            best, best_p = float(result.fun), result.x
    x, z = _floored(best_p[:n], alpha1), _floored(best_p[n:], alpha2)
    g = np.log(x) - np.log(z)
    top, bottom = int(g.argmax()), int(g.argmin())
    y = x.copy()
    shift = step * min(x[top] - alpha1, x[bottom])
    y[top] -= shift
    y[bottom] += shift
    return gap_ratio(x, y, z), (x, y, z)
