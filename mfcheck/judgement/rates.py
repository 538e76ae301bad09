"""The one rate judgement: a fitted log-log exponent against the claim's stated one.

A rate claim "error = O(p^e)" passes when the upper end of the bootstrap interval of the fitted
slope is at most ``e + margin``. Exponent, margin, confidence, fitted range and resamples are read
from the claim's ``[[rate]]`` entry in ``theory/claims`` (never from checker code). The bootstrap's
generator derives from (master seed, claim id, label), never from run order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mfcheck.judgement.cells import named_rng
from mfcheck.judgement.spec import RateSpec, get_claim
from mfcheck.judgement.verdict import Figure, Verdict
from mfcheck.stats import RateFit, fit_rate


def rate_spec(claim_id: str, parameter: str) -> RateSpec:
    """The ``[[rate]]`` entry of ``claim_id`` for ``parameter`` (``KeyError`` if absent)."""
    return get_claim(claim_id).rate(parameter)


@dataclass(frozen=True, kw_only=True)
class RateJudgement:
    """One fitted exponent and its one-sided verdict against a stated exponent."""

    label: str
    spec: RateSpec
    fit: RateFit
    #: the whole grid and errors[g, r] per seed (for plots and paired comparisons)
    grid: tuple[float, ...] = ()
    errors: tuple[tuple[float, ...], ...] = ()

    @property
    def bound(self) -> float:
        return self.spec.bound

    @property
    def passed(self) -> bool:
        return self.fit.passes(self.spec.stated_exponent, self.spec.margin)

    def figures(self) -> tuple[Figure, Figure]:
        """Measured exponent with its interval, and the local slopes with r²."""
        slopes = " ".join(f"{s:.2f}" for s in self.fit.local_slopes)
        return (
            Figure(name=f"{self.spec.parameter}-exponent ({self.label})", value=self.fit.exponent,
                   low=self.fit.low, high=self.fit.high,
                   note=f"{self.fit.confidence:.0%} stratified bootstrap over {self.fit.n_seeds} seeds"),
            Figure(name=f"local slopes ({self.spec.parameter}, {self.label})",
                   value=f"{slopes}; r2={self.fit.r_squared:.3f}"),
        )

    def stated_figure(self) -> Figure:
        return Figure(name=f"{self.spec.parameter}-exponent", value=self.spec.stated_exponent, high=self.bound,
                      note=f"pass when the interval's upper end <= {self.bound:g} (margin {self.spec.margin:g})")

    def reason(self) -> str:
        """Why it failed (empty when it passed)."""
        if self.passed:
            return ""
        return (f"{self.label}: {self.spec.parameter}-exponent {self.fit.exponent:.3f} with interval "
                f"[{self.fit.low:.3f}, {self.fit.high:.3f}] exceeds {self.spec.stated_exponent:g} + "
                f"margin {self.spec.margin:g} = {self.bound:g}")

    def evidence(self) -> dict[str, object]:
        return {"label": self.label, "parameter": self.spec.parameter,
                "stated_exponent": self.spec.stated_exponent, "margin": self.spec.margin,
                "passed": self.passed, **self.fit.to_dict(),
                "full_grid": list(self.grid), "errors_per_seed": [list(row) for row in self.errors]}


def judge_rate(claim_id: str, parameter: str, *, label: str, grid: ArrayLike, errors: ArrayLike,
               master_seed: int, asymptotic_from: int | None = None) -> RateJudgement:
    """Fit ``errors[g, r]`` over ``grid`` and judge it against the claim's ``[[rate]]`` for
    ``parameter`` (confidence, margin, resamples and fitted range from the toml unless the
    checker's grid needs ``asymptotic_from`` set per instance)."""
    spec = rate_spec(claim_id, parameter)
    start = spec.asymptotic_from if asymptotic_from is None else asymptotic_from
    fit = fit_rate(grid, errors, rng=named_rng(master_seed, claim_id, f"bootstrap:{parameter}:{label}"),
                   asymptotic_from=start, confidence=spec.confidence, n_resamples=spec.n_resamples)
    errors_array = np.asarray(errors, dtype=float)
    if errors_array.ndim == 1:
        errors_array = errors_array[:, None]
    return RateJudgement(label=label, spec=spec, fit=fit, grid=tuple(float(g) for g in np.asarray(grid, dtype=float)),
                         errors=tuple(tuple(float(e) for e in row) for row in errors_array))


def rate_verdict(claim_id: str, judgements: Sequence[RateJudgement], *, quantity: str, reading: str,
                 extra_reasons: tuple[str, ...] = (), evidence: dict[str, object] | None = None) -> Verdict:
    """Pass when every judgement passes; stated/measured figures and reasons from all of them.

    ``extra_reasons`` are appended only when something failed.
    """
    failed = [j for j in judgements if not j.passed]
    stated = tuple({j.spec.parameter: j.stated_figure() for j in judgements}.values())
    measured = tuple(f for j in judgements for f in j.figures())
    if failed:
        labels = ", ".join(dict.fromkeys(f"{j.spec.parameter} ({j.label})" for j in failed))
        summary = f"{quantity} grows or decays slower than stated in {labels}"
        reasons = tuple(j.reason() for j in failed) + tuple(extra_reasons)
    else:
        summary = f"{quantity} meets every stated exponent ({len(judgements)} fits)"
        reasons = ()
    return Verdict(claim_id=claim_id, status="fail" if failed else "pass", summary=summary, stated=stated,
                   measured=measured, reading=reading, reasons=reasons,
                   evidence={"fits": [j.evidence() for j in judgements], **(evidence or {})})
