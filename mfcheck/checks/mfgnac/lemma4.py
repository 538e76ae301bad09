"""MFG-NAC Lemma 4: KL(x‖z) - KL(y‖z) <= (1 + log(1/min(α1, α2))) ‖x - y‖_1 on the simplex.

For x, y >= α1 and z >= α2 entrywise. The checker evaluates the inequality on given triples
(with α1 = min(x, y) and α2 = min z, the tightest admissible floors) and searches adversarially
(scipy L-BFGS from random starts, in softmax coordinates that keep the floors) for the largest
ratio (KL(x‖z) - KL(y‖z)) / ‖x - y‖_1 at fixed floors. The supremum has a closed form,
½ log((1-(n-1)α1)(1-(n-1)α2)/(α1 α2)) (KL(·‖z) is convex: the sup is the largest directional
slope of the gradient log(x/z) along a sum-zero direction), which is below log(1/min(α1, α2)):
the lemma's "+1" is slack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import softmax

from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.lemma4"
Array = NDArray[np.float64]
Constant = Callable[[float, float], float]
ATOL = 1e-12

READING = (
    "KL(x‖z) = Σ x log(x/z) (natural log, 0 log 0 = 0); ‖·‖_1 the L1 norm; α1 = min over the "
    "entries of x and y, α2 = min entry of z (the tightest floors the hypotheses allow). "
    "A triple violates the lemma when KL(x‖z) - KL(y‖z) > C(α1, α2)‖x - y‖_1 + 1e-12."
)


def lemma4_constant(alpha1: float, alpha2: float) -> float:
    """The stated Lipschitz constant 1 + log(1 / min(α1, α2))."""
    return 1.0 + float(np.log(1.0 / min(alpha1, alpha2)))


def kl(x: Array, z: Array) -> float:
    """KL(x‖z) with 0 log 0 = 0."""
    mask = x > 0
    return float(np.sum(x[mask] * (np.log(x[mask]) - np.log(z[mask]))))


def gap_ratio(x: Array, y: Array, z: Array) -> float:
    """(KL(x‖z) - KL(y‖z)) / ‖x - y‖_1 (0 when x = y)."""
    norm = float(np.abs(x - y).sum())
    return 0.0 if norm == 0 else (kl(x, z) - kl(y, z)) / norm


def _floored(u: Array, alpha: float) -> Array:
    return alpha + (1.0 - u.size * alpha) * softmax(u)


def sharp_constant(n: int, alpha1: float, alpha2: float) -> float:
    """sup (KL(x‖z) - KL(y‖z))/‖x - y‖_1 over x, y >= α1, z >= α2 in dimension n >= 2.

    KL(·‖z) is convex, so the sup is the largest directional slope: ½(max_a g_a - min_a g_a)
    with g = log(x/z), i.e. ½ log((1 - (n-1)α1)(1 - (n-1)α2)/(α1 α2)).
    """
    return 0.5 * float(np.log((1 - (n - 1) * alpha1) * (1 - (n - 1) * alpha2) / (alpha1 * alpha2)))


def adversarial_triple(
    n: int, alpha1: float, alpha2: float, rng: np.random.Generator, *, n_starts: int = 8,
    step: float = 1e-3,
) -> tuple[float, tuple[Array, Array, Array]]:
    """A triple (x, y, z) with x, y >= α1, z >= α2 whose ratio (KL(x‖z) - KL(y‖z))/‖x-y‖_1 is
    close to the supremum, and that ratio.

    Searches (L-BFGS from random starts, softmax coordinates keeping the floors) for the (x, z)
    maximising the directional slope ½(max g - min g), g = log(x/z), then moves y off x by a
    relative ``step`` along the steepest sum-zero direction (a finite pair, no cancellation).
    """
    if not (0 < alpha1 <= 1 / n and 0 < alpha2 <= 1 / n):
        raise ValueError(f"adversarial_triple: floors ({alpha1}, {alpha2}) must lie in (0, 1/{n}]")

    def slope(p: Array) -> float:
        g = np.log(_floored(p[:n], alpha1)) - np.log(_floored(p[n:], alpha2))
        return -0.5 * float(g.max() - g.min())

    best, best_p = np.inf, np.zeros(2 * n)
    for _ in range(n_starts):
        result = minimize(slope, rng.normal(scale=4.0, size=2 * n), method="L-BFGS-B",
                          bounds=[(-40, 40)] * (2 * n))
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


def check_lemma4(
    triples: Iterable[tuple[Array, Array, Array]], *, constant: Constant = lemma4_constant
) -> Verdict:
    """Check KL(x‖z) - KL(y‖z) <= C(α1, α2)‖x - y‖_1 on each (x, y, z) with its own floors."""
    worst, violations, count = 0.0, [], 0
    for index, (x, y, z) in enumerate(triples):
        x, y, z = (np.asarray(v, dtype=float) for v in (x, y, z))
        alpha1, alpha2 = float(min(x.min(), y.min())), float(z.min())
        if alpha1 <= 0 or alpha2 <= 0:
            continue  # C = +inf: nothing to check
        count += 1
        c = constant(alpha1, alpha2)
        lhs, norm = kl(x, z) - kl(y, z), float(np.abs(x - y).sum())
        if norm > 0:
            worst = max(worst, lhs / (c * norm))
        if lhs > c * norm + ATOL * max(1.0, abs(lhs)):
            violations.append(
                f"triple #{index} (|A|={x.size}, α1={alpha1:.3g}, α2={alpha2:.3g}): "
                f"KL gap {lhs:.6g} > {c:.4g} x {norm:.4g}"
            )
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if violations else "pass",
        summary=f"{count} triples: largest (KL gap)/(C ‖x-y‖_1) = {worst:.4g}; {len(violations)} violations",
        stated=(Figure(name="(KL gap)/(C ‖x-y‖_1)", value=1.0, note="<= 1"),),
        measured=(Figure(name="(KL gap)/(C ‖x-y‖_1)", value=worst),),
        reading=READING,
        reasons=tuple(violations[:10]),
        evidence={"n_triples": count, "max_normalised_ratio": worst, "n_violations": len(violations)},
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    dims: tuple[int, ...]
    """Simplex dimensions |A| searched adversarially."""
    floors: tuple[float, ...]
    """Floors α (α1 and α2 take every pair of these)."""
    n_starts: int
    """Random starts of the adversarial search per (|A|, α1, α2)."""
    n_random: int
    """Random triples (Dirichlet draws with floors) besides the adversarial ones."""


CONFIGS = {
    "quick": Config(dims=(2, 3, 5), floors=(1e-6, 1e-2, 0.2), n_starts=3, n_random=500),
    "full": Config(dims=(2, 3, 5, 8), floors=(1e-8, 1e-4, 1e-2, 0.1, 0.3), n_starts=20, n_random=5000),
}


@cache
def search_triples(profile_name: str, master_seed: int) -> tuple[tuple, tuple[dict, ...]]:
    """The profile's triples (adversarial first, then random) and the adversarial rows (cached:
    the search is deterministic given the profile and seed)."""
    config = CONFIGS[profile_name]
    rng_search, rng_random = seed_streams(master_seed, 2, label=CLAIM_ID)
    triples, rows = [], []
    for n in config.dims:
        for alpha1 in config.floors:
            for alpha2 in config.floors:
                if alpha1 >= 1 / n or alpha2 > 1 / n:  # x = y forced when α1 = 1/n
                    continue
                ratio, triple = adversarial_triple(n, alpha1, alpha2, rng_search, n_starts=config.n_starts)
                triples.append(triple)
                rows.append({
                    "n": n, "alpha1": alpha1, "alpha2": alpha2, "sup_ratio_found": ratio,
                    "stated_constant": lemma4_constant(alpha1, alpha2),
                    "sharp_constant": sharp_constant(n, alpha1, alpha2),
                })
    for _ in range(config.n_random):
        n = int(rng_random.choice(config.dims))
        alpha = min(float(rng_random.choice(config.floors)), 1 / n)
        draw = [alpha + (1 - n * alpha) * rng_random.dirichlet(np.full(n, 0.3)) for _ in range(3)]
        triples.append(tuple(draw))
    return tuple(triples), tuple(rows)


def run(profile: Profile, *, constant: Constant = lemma4_constant) -> Verdict:
    """Random and adversarial triples; reports the tightest ratio against the stated constant."""
    triples, rows = search_triples(profile.name, profile.master_seed)
    verdict = check_lemma4(triples, constant=constant)
    slack = min(r["stated_constant"] - r["sup_ratio_found"] for r in rows)
    gap_sharp = max(r["sharp_constant"] - r["sup_ratio_found"] for r in rows)
    return Verdict(
        claim_id=CLAIM_ID,
        status=verdict.status,
        summary=(f"{verdict.evidence['n_triples']} triples ({len(rows)} adversarial): largest "
                 f"ratio / constant = {verdict.evidence['max_normalised_ratio']:.4g}; smallest "
                 f"slack C - sup ratio = {slack:.4g}; the search reaches the closed-form sup "
                 f"½log((1-(n-1)α1)(1-(n-1)α2)/(α1α2)) within {gap_sharp:.2g}"),
        stated=verdict.stated,
        measured=(*verdict.measured,
                  Figure(name="min (C - sup ratio found)", value=slack),
                  Figure(name="max (closed-form sup - found)", value=gap_sharp)),
        reading=READING,
        reasons=verdict.reasons,
        evidence={**verdict.evidence, "adversarial": list(rows)},
    )
