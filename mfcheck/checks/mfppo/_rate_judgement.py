"""Shared verdict plumbing of the MF-PPO rate checks: fit, one-sided judgement, figures.

A rate claim "error = O(p^e)" passes when the upper end of the bootstrap interval of the fitted
log-log slope is at most ``e + margin`` (CONTRIBUTING, Rules). Stated exponents and margins are
read from ``theory/claims`` (one source of truth), never repeated in code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mfcheck.judgement.spec import RateSpec, get_claim
from mfcheck.judgement.verdict import Figure, Verdict
from mfcheck.stats import RateFit, fit_rate

#: Two-sided level of the bootstrap interval; its upper end is a one-sided 99.5% bound.
CONFIDENCE = 0.99
N_RESAMPLES = 4000


def rate_spec(claim_id: str, parameter: str) -> RateSpec:
    """The ``[[rate]]`` entry of ``claim_id`` for ``parameter`` (``KeyError`` if absent)."""
    for spec in get_claim(claim_id).rates:
        if spec.parameter == parameter:
            return spec
    raise KeyError(f"{claim_id}: no [[rate]] entry for parameter {parameter!r}")


@dataclass(frozen=True, kw_only=True)
class RateJudgement:
    """One fitted exponent and its one-sided verdict against a stated exponent."""

    label: str
    spec: RateSpec
    fit: RateFit

    @property
    def bound(self) -> float:
        return self.spec.stated_exponent + self.spec.margin

    @property
    def passed(self) -> bool:
        return self.fit.passes(self.spec.stated_exponent, self.spec.margin)

    def figures(self) -> tuple[Figure, Figure]:
        """Measured exponent with its interval, and the local slopes with r²."""
        slopes = " ".join(f"{s:.2f}" for s in self.fit.local_slopes)
        return (
            Figure(
                name=f"{self.spec.parameter}-exponent ({self.label})",
                value=self.fit.exponent,
                low=self.fit.low,
                high=self.fit.high,
                note=f"{self.fit.confidence:.0%} stratified bootstrap over {self.fit.n_seeds} seeds",
            ),
            Figure(
                name=f"local slopes ({self.spec.parameter}, {self.label})",
                value=f"{slopes}; r2={self.fit.r_squared:.3f}",
            ),
        )

    def stated_figure(self) -> Figure:
        return Figure(
            name=f"{self.spec.parameter}-exponent",
            value=self.spec.stated_exponent,
            high=self.bound,
            note=f"pass when the interval's upper end <= {self.bound:g} (margin {self.spec.margin:g})",
        )

    def reason(self) -> str:
        """Why it failed (empty when it passed)."""
        if self.passed:
            return ""
        return (
            f"{self.label}: {self.spec.parameter}-exponent {self.fit.exponent:.3f} with interval "
            f"[{self.fit.low:.3f}, {self.fit.high:.3f}] exceeds {self.spec.stated_exponent:g} + "
            f"margin {self.spec.margin:g} = {self.bound:g}"
        )

    def evidence(self) -> dict[str, object]:
        return {
            "label": self.label,
            "parameter": self.spec.parameter,
            "stated_exponent": self.spec.stated_exponent,
            "margin": self.spec.margin,
            "passed": self.passed,
            **self.fit.to_dict(),
        }


def judge_rate(
    *,
    label: str,
    spec: RateSpec,
    grid: ArrayLike,
    errors: ArrayLike,
    rng: np.random.Generator,
    asymptotic_from: int = 0,
) -> RateJudgement:
    """Fit ``errors[g, r]`` over ``grid`` with :func:`mfcheck.stats.fit_rate` and judge it."""
    fit = fit_rate(
        grid,
        errors,
        rng=rng,
        asymptotic_from=asymptotic_from,
        confidence=CONFIDENCE,
        n_resamples=N_RESAMPLES,
    )
    return RateJudgement(label=label, spec=spec, fit=fit)


def rate_verdict(
    claim_id: str,
    judgements: list[RateJudgement],
    *,
    quantity: str,
    reading: str,
    extra_reasons: tuple[str, ...] = (),
    evidence: dict[str, object] | None = None,
) -> Verdict:
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
    return Verdict(
        claim_id=claim_id,
        status="fail" if failed else "pass",
        summary=summary,
        stated=stated,
        measured=measured,
        reading=reading,
        reasons=reasons,
        evidence={"fits": [j.evidence() for j in judgements], **(evidence or {})},
    )
