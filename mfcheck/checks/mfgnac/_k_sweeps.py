"""Shared sweep of the MFG-NAC sub-solver checks (Algorithms 2 and 3): error against K.

Each check builds a few instances (a game, features, a random policy θ and mean field μ), runs
its sub-solver for every K of a grid with independent replicates, fits the log-log slope of
the error in K (:func:`mfcheck.stats.fit_rate`) and compares it with the claim's stated exponent;
:func:`combined_verdict` joins the instances' verdicts (the claim holds on every instance).
Reference: MFG-NAC App C, Algorithms 2-3, Propositions 1-2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import Features, PolicyContext, policy_context
from mfcheck.judgement import Figure, Verdict, get_claim
from mfcheck.judgement.spec import RateSpec
from mfcheck.models import MeanFieldGame
from mfcheck.stats import RateFit, fit_rate

#: (label, exact context, features) of one instance
Instance = tuple[str, PolicyContext, Features]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Per-profile sizes."""

    grid: tuple[int, ...]
    """Values of K."""
    n_replicates: int
    """Independent runs per K (vectorised)."""
    asymptotic_from: int
    """First grid index used in the fit."""


def random_instances(
    rng: np.random.Generator,
    cases: Sequence[tuple[str, MeanFieldGame, Callable[[np.random.Generator, MeanFieldGame], Features]]],
) -> list[Instance]:
    """(label, context, features) per (label, game, features maker): θ ~ N(0, 0.25 I), μ ~ Dir(1)."""
    out = []
    for label, game, make_features in cases:
        feats = make_features(rng, game)
        theta = 0.5 * rng.standard_normal(feats.dim)
        mu = rng.dirichlet(np.ones(game.n_states))
        out.append((label, policy_context(game, feats, theta, mu), feats))
    return out


@dataclass(frozen=True, kw_only=True)
class ExponentInK:
    """The fitted exponent in K of one instance's errors, against the claim's stated one."""

    label: str
    spec: RateSpec
    fit: RateFit
    errors: NDArray[np.float64]
    """errors[g, r] at K = grid[g], replicate r."""

    @property
    def bound(self) -> float:
        return self.spec.stated_exponent + self.spec.margin

    @property
    def passed(self) -> bool:
        return self.fit.passes(self.spec.stated_exponent, self.spec.margin)

    def summary(self) -> str:
        fit, spec = self.fit, self.spec
        return (
            f"{self.label}: exponent {fit.exponent:.3f} [{fit.low:.3f}, {fit.high:.3f}] vs stated "
            f"{spec.stated_exponent} (margin {spec.margin})"
        )

    def stated(self) -> tuple[Figure, ...]:
        return (Figure(name="exponent in K", value=self.spec.stated_exponent),)

    def measured(self) -> Figure:
        fit = self.fit
        return Figure(name=f"{self.label}: exponent in K", value=fit.exponent, low=fit.low, high=fit.high)

    def evidence(self) -> dict[str, object]:
        return {"fit": self.fit.to_dict(), "errors": self.errors.mean(axis=1).tolist()}


def fit_exponent_in_k(
    claim_id: str,
    grid: Sequence[int],
    errors: NDArray[np.float64],
    *,
    fit_rng: np.random.Generator,
    asymptotic_from: int,
    label: str,
) -> ExponentInK:
    """Fit errors[g, r] against K = grid[g] and hold it against the claim's (first) stated rate."""
    fit = fit_rate(grid, errors, rng=fit_rng, asymptotic_from=asymptotic_from)
    return ExponentInK(label=label, spec=get_claim(claim_id).rates[0], fit=fit, errors=errors)


def run_instances(
    check: Callable[..., Verdict],
    cases: Sequence[tuple[Instance, dict[str, Any]]],
    config: Config,
    streams: Sequence[np.random.Generator],
) -> list[Verdict]:
    """``check`` on each instance: fit stream ``streams[1]``, ``len(grid)`` run streams from index 2.

    ``cases`` pairs each instance with extra keyword arguments of ``check``.
    """
    n_grid = len(config.grid)
    return [
        check(
            context, feats, grid=config.grid, n_replicates=config.n_replicates,
            rngs=streams[2 + i * n_grid : 2 + (i + 1) * n_grid], fit_rng=streams[1],
            asymptotic_from=config.asymptotic_from, label=label, **options,
        )
        for i, ((label, context, feats), options) in enumerate(cases)
    ]


def combined_verdict(claim_id: str, verdicts: Sequence[Verdict], *, reading: str) -> Verdict:
    """Fail when any instance fails; figures, reasons and evidence (keyed by label) of them all."""
    status = "fail" if any(v.status == "fail" for v in verdicts) else "pass"
    return Verdict(
        claim_id=claim_id,
        status=status,
        summary="; ".join(v.summary for v in verdicts),
        stated=verdicts[0].stated,
        measured=tuple(f for v in verdicts for f in v.measured),
        reading=reading,
        reasons=tuple(r for v in verdicts for r in v.reasons),
        evidence={v.summary.split(":")[0]: v.evidence for v in verdicts},
    )
