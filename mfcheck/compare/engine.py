"""Comparing a variant with a baseline, claim by claim: figures, paired interval, judgement.

For each claim that applies to the variant, the variant runs on the baseline's cells and seeds
(the baseline's profile and master seed); the claim's ``[comparison]`` figure is read from both
verdicts, the paired bootstrap (:mod:`mfcheck.compare.bootstrap`) gives the interval of the
difference, and the judgement is same / better / worse / inconclusive. A claim **regressed**
when it is newly failing (baseline pass, variant fail) or judged worse.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mfcheck.claims.registry import applicability, default_algorithm, get_checker
from mfcheck.compare.baseline import Baseline, ClaimRun, record_claim
from mfcheck.compare.bootstrap import Interval, judge, paired_interval
from mfcheck.compare.figures import comparison_value
from mfcheck.judgement import Claim, Profile, named_rng

EXIT_OK, EXIT_REGRESSED, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3
DEFAULT_RESAMPLES = 200
CONFIDENCE = 0.95
JUDGED = ("pass", "fail")


@dataclass(frozen=True, kw_only=True)
class ClaimComparison:
    """The comparison of one claim (see the module's docstring)."""

    claim_id: str
    title: str
    figure: str
    direction: str
    margin: float
    baseline: ClaimRun
    variant: ClaimRun
    baseline_value: float | None = None
    variant_value: float | None = None
    interval: Interval | None = None
    judgement: str = "n/a"
    seeds_to_decide: int | None = None
    would_be: str = ""
    note: str = ""

    @property
    def baseline_status(self) -> str:
        return self.baseline.verdict.status

    @property
    def variant_status(self) -> str:
        return self.variant.verdict.status

    @property
    def newly_failing(self) -> bool:
        return self.baseline_status == "pass" and self.variant_status == "fail"

    @property
    def regressed(self) -> bool:
        return self.newly_failing or self.judgement == "worse"

    @property
    def error(self) -> bool:
        return "error" in (self.baseline_status, self.variant_status)

    def to_dict(self) -> dict[str, Any]:
        interval = self.interval
        return {
            "claim_id": self.claim_id, "title": self.title, "figure": self.figure, "direction": self.direction,
            "margin": self.margin, "baseline_status": self.baseline_status, "variant_status": self.variant_status,
            "baseline_value": _finite(self.baseline_value), "variant_value": _finite(self.variant_value),
            "difference": _finite(interval.difference) if interval else None,
            "interval": [_finite(interval.low), _finite(interval.high)] if interval else None,
            "confidence": interval.confidence if interval else None,
            "n_seeds": interval.n_seeds if interval else None,
            "n_resamples": interval.n_resamples if interval else 0,
            "exact": interval.exact if interval else None,
            "judgement": self.judgement, "seeds_to_decide": self.seeds_to_decide, "would_be": self.would_be,
            "newly_failing": self.newly_failing, "regressed": self.regressed, "note": self.note,
            "baseline_summary": self.baseline.verdict.summary, "variant_summary": self.variant.verdict.summary,
            "variant_reasons": list(self.variant.verdict.reasons), "variant_error": self.variant.verdict.error,
            "baseline_error": self.baseline.verdict.error,
            "baseline_seconds": self.baseline.verdict.seconds, "variant_seconds": self.variant.verdict.seconds,
            "code_fingerprint": self.variant.code_fingerprint,
        }


def _finite(value: float | None) -> float | str | None:
    if value is None:
        return None
    return value if math.isfinite(value) else str(value)


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """A variant against a baseline on every compared claim."""

    variant: str
    algorithm: str
    baseline_source: str
    baseline_algorithm: str
    profile: str
    master_seed: int
    resamples: int
    claims: tuple[ClaimComparison, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0

    @property
    def regressed(self) -> list[str]:
        return [c.claim_id for c in self.claims if c.regressed]

    @property
    def exit_code(self) -> int:
        """1 when a claim regressed, else 3 when a checker raised, else 0."""
        if self.regressed:
            return EXIT_REGRESSED
        if any(c.error for c in self.claims):
            return EXIT_ERROR
        return EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "mfcheck.comparison", "schema_version": 1, "variant": self.variant,
                "algorithm": self.algorithm, "baseline": self.baseline_source,
                "baseline_algorithm": self.baseline_algorithm, "profile": self.profile,
                "master_seed": self.master_seed, "resamples": self.resamples, "confidence": CONFIDENCE,
                "seconds": self.seconds, "claims": [c.to_dict() for c in self.claims],
                "skipped": [{"claim_id": cid, "reason": why} for cid, why in self.skipped],
                "regressed": self.regressed, "exit_code": self.exit_code}


@dataclass
class Plan:
    """Which claims a comparison runs, and why the others are left out."""

    claims: list[Claim] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def plan(claims: Sequence[Claim], variant: Any, baseline: Baseline | None) -> Plan:
    """The implemented claims that apply to ``variant`` (and are in ``baseline`` when given)."""
    out = Plan()
    for claim in claims:
        if not claim.implemented:
            continue
        reason = applicability(claim, variant)
        if reason is not None:
            continue
        if baseline is not None and claim.id not in baseline.claims:
            out.skipped.append((claim.id, "not in the baseline"))
            continue
        out.claims.append(claim)
    return out


def _baseline_algorithm(claim: Claim, run: ClaimRun) -> tuple[Any, str]:
    """The algorithm the baseline run judged (for replays), and a note when it is not known."""
    if run.variant:
        from mfcheck.claims.variants import VariantError, load_variant

        try:
            return load_variant(run.variant), ""
        except VariantError as error:
            return default_algorithm(claim), f"baseline variant not loadable ({error}); replays use the default"
    return default_algorithm(claim), ""


def compare_runs(claim: Claim, base: ClaimRun, var: ClaimRun, variant: Any, *,
                 resamples: int = DEFAULT_RESAMPLES) -> ClaimComparison:
    """Judge one claim from its baseline and variant runs (both with records)."""
    spec = claim.comparison
    common = {"claim_id": claim.id, "title": claim.title, "baseline": base, "variant": var,
              "figure": spec.figure if spec else "", "direction": spec.direction if spec else "",
              "margin": spec.margin if spec else math.nan}
    if spec is None:
        return ClaimComparison(**common, note="no [comparison] table in the claim's toml: statuses only")
    b_value, v_value = comparison_value(base.verdict, spec), comparison_value(var.verdict, spec)
    common.update(baseline_value=b_value, variant_value=v_value)
    statuses = (base.verdict.status, var.verdict.status)
    if any(s not in JUDGED for s in statuses):
        return ClaimComparison(**common, note=f"not compared: baseline {statuses[0]}, variant {statuses[1]}")
    if b_value is None or v_value is None:
        which = "baseline" if b_value is None else "variant"
        return ClaimComparison(**common, note=f"the {which} verdict has no figure {spec.figure!r}")
    base_algorithm, note = _baseline_algorithm(claim, base)
    interval = paired_interval(
        get_checker(claim.id), spec, var.prof,
        baseline=(base_algorithm, base.records, b_value), variant=(variant, var.records, v_value),
        resamples=resamples, rng=named_rng(var.master_seed, claim.id, "compare:paired bootstrap"),
        confidence=CONFIDENCE)
    verdict = judge(interval, spec.direction, spec.margin)
    notes = "; ".join(n for n in (interval.note, note) if n)
    return ClaimComparison(**common, interval=interval, judgement=verdict.judgement,
                           seeds_to_decide=verdict.seeds_to_decide, would_be=verdict.would_be, note=notes)


Progress = Callable[[str, str, ClaimRun | None], None]


def compare_claim(claim: Claim, variant: Any, *, baseline: Baseline | None, profile: Profile,
                  resamples: int = DEFAULT_RESAMPLES, variant_spec: str | None = None,
                  progress: Progress | None = None) -> ClaimComparison:
    """Run ``variant`` on one claim (and the default algorithm when there is no baseline) and compare."""
    if baseline is not None:
        base = baseline.claims[claim.id]
        profile = base.prof
    else:
        if progress:
            progress(claim.id, "baseline", None)
        base = record_claim(claim.id, profile, None)
        if progress:
            progress(claim.id, "baseline", base)
    if progress:
        progress(claim.id, "variant", None)
    var = record_claim(claim.id, profile, variant, variant=variant_spec)
    if progress:
        progress(claim.id, "variant", var)
    return compare_runs(claim, base, var, variant, resamples=resamples)


def compare_variant(claims: Sequence[Claim], variant: Any, *, baseline: Baseline | None, profile: Profile,
                    baseline_source: str = "", resamples: int = DEFAULT_RESAMPLES,
                    variant_spec: str | None = None, progress: Progress | None = None,
                    skipped: Sequence[tuple[str, str]] = ()) -> Comparison:
    """Compare ``variant`` with ``baseline`` (None: the claims' defaults, run now) on ``claims``."""
    import time

    started = time.perf_counter()
    if baseline is not None:
        profile = baseline.prof
    results = tuple(compare_claim(c, variant, baseline=baseline, profile=profile, resamples=resamples,
                                  variant_spec=variant_spec, progress=progress) for c in claims)
    return Comparison(
        variant=variant_spec or variant.describe(), algorithm=variant.describe(),
        baseline_source=baseline_source or "computed now from each claim's default algorithm",
        baseline_algorithm=(baseline.algorithm if baseline is not None else "the papers' algorithms (defaults)"),
        profile=profile.name, master_seed=profile.master_seed, resamples=resamples, claims=results,
        skipped=tuple(skipped), seconds=time.perf_counter() - started)
