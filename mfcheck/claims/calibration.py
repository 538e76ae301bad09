"""Calibration of a checker: its false-failure rate over many master seeds.

A rate checker passes when the upper end of a bootstrap interval is at most
``stated_exponent + margin`` (CONTRIBUTING, Rules). On an instance where the claim holds, the
chance that it fails anyway (a *false failure*) must be small: the MF-PPO issue asks for at
most 1 %. :func:`calibrate` reruns a registered checker for many master seeds, stores each
verdict (so an interrupted calibration resumes without recomputing) and summarises

* the observed false-failure rate ``n_fail / n_judged`` and its one-sided 95 %
  Clopper-Pearson upper bound;
* per fitted exponent, the interval upper ends over seeds and a Gaussian tail estimate
  ``P(upper end > threshold)`` from their mean and standard deviation: it resolves rates far
  below ``1 / n_seeds`` that the observed count cannot, as far as the upper ends are Gaussian
  (a Shapiro-Wilk p-value is reported beside it).

Composite claims (``mfppo.lemma_e1``, ``mfppo.lemma_e2``) fail overall by design: their
adversarial-β sweeps violate the stated exponents (a finding of the project). What can falsely
fail there is the part expected to hold, the independent-β sweeps; a :class:`SubVerdict`
declared in :data:`SUB_VERDICTS` selects it, and only it is calibrated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from mfcheck.claims.registry import get_claim, run_claim
from mfcheck.judgement.profile import Profile
from mfcheck.judgement.verdict import Verdict

#: The false-failure rate the MF-PPO issue accepts.
MAX_FALSE_FAILURE_RATE = 0.01
#: One-sided level of the Clopper-Pearson bound.
CONFIDENCE = 0.95

#: progress(seed, verdict, reused): called after each seed with the (selected) verdict;
#: ``reused`` is True when it was read from ``out`` rather than computed.
Progress = Callable[[int, Verdict, bool], None]


# --- statistics ---------------------------------------------------------------------------


def clopper_pearson_upper(n_fail: int, n: int, confidence: float = CONFIDENCE) -> float:
    """One-sided Clopper-Pearson upper bound of a binomial rate after ``n_fail`` of ``n``.

    The ``confidence`` quantile of Beta(n_fail + 1, n - n_fail) (1 when n_fail = n); for
    n_fail = 0 it is ``1 - (1 - confidence)^(1/n)`` (0.0295 for n = 100). NaN when n = 0.
    """
    if n < 0 or not 0 <= n_fail <= max(n, 0):
        raise ValueError(f"clopper_pearson_upper: need 0 <= n_fail <= n, got n_fail={n_fail}, n={n}")
    if n == 0:
        return math.nan
    if n_fail == n:
        return 1.0
    return float(stats.beta.ppf(confidence, n_fail + 1, n - n_fail))


def gaussian_tail(values: Sequence[float], threshold: float) -> float:
    """``P(X > threshold)`` for X Gaussian with the sample mean and sd (ddof 1) of ``values``.

    NaN with fewer than two values or a non-finite value; 0 or 1 when the sd is 0.
    """
    x = np.asarray(values, dtype=float)
    if x.size < 2 or not np.isfinite(x).all():
        return math.nan
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    if sd == 0.0:
        return float(mean > threshold)
    return float(stats.norm.sf(threshold, loc=mean, scale=sd))


def normality_p(values: Sequence[float]) -> float:
    """Shapiro-Wilk p-value of ``values``: small when the Gaussian tail estimate is not to be
    trusted (NaN with fewer than three values, a non-finite value or no spread)."""
    x = np.asarray(values, dtype=float)
    if x.size < 3 or not np.isfinite(x).all() or np.ptp(x) == 0.0:
        return math.nan
    return float(stats.shapiro(x).pvalue)


# --- what a verdict says about its rates --------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FitRecord:
    """One fitted exponent of one verdict, as stored in its evidence."""

    parameter: str
    label: str
    high: float
    stated_exponent: float
    margin: float
    passed: bool

    @property
    def threshold(self) -> float:
        return self.stated_exponent + self.margin


#: Evidence key under which rate checkers store their fits (:func:`mfcheck.judgement.rate_verdict`).
#: Each entry is ``RateJudgement.evidence()``: label, parameter, stated_exponent, margin, passed
#: and ``RateFit.to_dict()`` (``ci = [low, high]``).
FIT_KEYS: tuple[str, ...] = ("fits",)


def rate_fits(verdict: Verdict) -> tuple[FitRecord, ...]:
    """The fitted exponents in ``verdict.evidence`` (empty for a verdict without fits).

    Upper ends stored as strings ("nan", "inf": :meth:`Verdict.to_dict` writes non-finite
    floats so) are read back as floats.
    """
    records = []
    for key in FIT_KEYS:
        for entry in verdict.evidence.get(key, ()):
            records.append(FitRecord(
                parameter=str(entry["parameter"]), label=str(entry["label"]),
                high=float(entry["ci"][1]), stated_exponent=float(entry["stated_exponent"]),
                margin=float(entry["margin"]), passed=bool(entry["passed"]),
            ))
    return tuple(records)


@dataclass(frozen=True, kw_only=True)
class SubVerdict:
    """The part of a composite verdict that is expected to pass, and so can be calibrated.

    Attributes
    ----------
    name : str
        Short name ("independent").
    labels : tuple of str
        Labels of the fits (``RateJudgement.label``) that make up the part.
    description : str
        Why this part, and not the whole verdict, is calibrated.
    run : callable Profile -> Verdict, optional
        Computes only the part (cheaper); it must give the same fits as the full checker
        (tested in ``tests/calibration``). None: the full checker (``run_claim``) is run.
    """

    name: str
    labels: tuple[str, ...]
    description: str
    run: Callable[[Profile], Verdict] | None = None

    def select(self, verdict: Verdict) -> Verdict:
        """``verdict`` restricted to the fits of ``labels``: it passes when all of them pass."""
        if verdict.status == "not_applicable":
            return verdict
        evidence = dict(verdict.evidence)
        kept = []
        for key in FIT_KEYS:
            if key in evidence:
                evidence[key] = [e for e in evidence[key] if e["label"] in self.labels]
                kept += evidence[key]
        if not kept:
            raise ValueError(f"{verdict.claim_id}: sub-verdict {self.name!r} selects no fit "
                             f"(labels {self.labels})")
        failed = [e for e in kept if not e["passed"]]
        return replace(
            verdict,
            status="fail" if failed else "pass",
            summary=f"{self.name} part of {verdict.claim_id}: {len(kept) - len(failed)} of "
                    f"{len(kept)} fits within stated exponent + margin",
            measured=tuple(f for f in verdict.measured
                           if any(f.name.endswith(f"{label})") for label in self.labels)),
            reasons=tuple(r for r in verdict.reasons
                          if any(r.startswith(f"{label}:") for label in self.labels)),
            evidence={**evidence, "sub_verdict": self.name},
        )


def _independent_only(module: str) -> Callable[[Profile], Verdict]:
    """``judge(profile, kinds=("independent",))`` of the checker module: the independent sweeps
    alone. Seeds and bootstrap streams derive from cell settings and fit labels, so their fits
    equal those of the full run."""

    def run(profile: Profile) -> Verdict:
        import importlib

        return importlib.import_module(module).judge(profile, kinds=("independent",))

    return run


#: Declared sub-verdicts of composite claims (the rest are calibrated as a whole).
SUB_VERDICTS: dict[str, SubVerdict] = {
    f"mfppo.{claim}": SubVerdict(
        name="independent",
        labels=("independent β",),
        description=(
            "the claim fails overall because an adversarial β (built from β(0)) violates the "
            "stated exponents (toml notes); the independent-β sweeps hold and are calibrated"
        ),
        run=_independent_only(f"mfcheck.checks.mfppo.{claim}"),
    )
    for claim in ("lemma_e1", "lemma_e2")
}


# --- summary ------------------------------------------------------------------------------


def _float_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _none_to_nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


@dataclass(frozen=True, kw_only=True)
class RateCalibration:
    """The upper ends of one fitted exponent over seeds, against its threshold.

    Attributes
    ----------
    parameter, label : str
        Which exponent (the fit's parameter and label).
    stated_exponent, margin, threshold : float
        ``threshold = stated_exponent + margin``: a seed fails this fit when its upper end exceeds it.
    highs : tuple of float
        Interval upper end per seed (seeds whose verdict has this fit, in seed order).
    mean, sd : float
        Sample mean and standard deviation (ddof 1) of ``highs``.
    tail_estimate : float
        Gaussian estimate of ``P(upper end > threshold)`` (:func:`gaussian_tail`).
    normality_p : float
        Shapiro-Wilk p-value of ``highs`` (:func:`normality_p`); a small one says the upper ends
        are not Gaussian (skewed, heavy-tailed), so ``tail_estimate`` may understate the rate.
    """

    parameter: str
    label: str
    stated_exponent: float
    margin: float
    threshold: float
    highs: tuple[float, ...]
    mean: float
    sd: float
    tail_estimate: float
    normality_p: float

    @classmethod
    def from_records(cls, records: Sequence[FitRecord]) -> RateCalibration:
        """Summarise the records of one (parameter, label) over seeds."""
        first = records[0]
        for r in records:
            if (r.stated_exponent, r.margin) != (first.stated_exponent, first.margin):
                raise ValueError(f"fit {first.parameter} ({first.label}): stated exponent/margin "
                                 f"differ between seeds: {r.stated_exponent}, {r.margin}")
        highs = np.array([r.high for r in records])
        finite = np.isfinite(highs).all()
        return cls(
            parameter=first.parameter, label=first.label, stated_exponent=first.stated_exponent,
            margin=first.margin, threshold=first.threshold, highs=tuple(highs.tolist()),
            mean=float(highs.mean()) if finite else math.nan,
            sd=float(highs.std(ddof=1)) if finite and highs.size > 1 else math.nan,
            tail_estimate=gaussian_tail(highs, first.threshold),
            normality_p=normality_p(highs),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter, "label": self.label,
            "stated_exponent": self.stated_exponent, "margin": self.margin,
            "threshold": self.threshold,
            "highs": [_float_or_none(h) for h in self.highs],
            "mean": _float_or_none(self.mean), "sd": _float_or_none(self.sd),
            "tail_estimate": _float_or_none(self.tail_estimate),
            "normality_p": _float_or_none(self.normality_p),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RateCalibration:
        return cls(
            parameter=data["parameter"], label=data["label"],
            stated_exponent=float(data["stated_exponent"]), margin=float(data["margin"]),
            threshold=float(data["threshold"]),
            highs=tuple(_none_to_nan(h) for h in data["highs"]),
            mean=_none_to_nan(data["mean"]), sd=_none_to_nan(data["sd"]),
            tail_estimate=_none_to_nan(data["tail_estimate"]),
            normality_p=_none_to_nan(data["normality_p"]),
        )


@dataclass(frozen=True, kw_only=True)
class CalibrationSummary:
    """The verdicts of one claim over many master seeds.

    Attributes
    ----------
    claim_id, profile : str
    sub_verdict : str or None
        Name of the calibrated part (:data:`SUB_VERDICTS`), None for the whole verdict.
    seeds : tuple of int
        Master seeds, in run order.
    statuses : tuple of str
        Status of the (selected) verdict per seed.
    seconds : tuple of float
        Wall time per seed (as stamped when it was computed).
    n_fail : int
        Seeds whose verdict failed.
    false_failure_rate : float
        ``n_fail / n_judged``; ``not_applicable`` seeds are not trials (NaN when none is judged).
    clopper_pearson_upper : float
        One-sided ``confidence`` Clopper-Pearson upper bound of the false-failure rate.
    confidence : float
    rates : tuple of RateCalibration
        One per fitted exponent (parameter, label), in the order the verdicts list them.
    """

    claim_id: str
    profile: str
    sub_verdict: str | None
    seeds: tuple[int, ...]
    statuses: tuple[str, ...]
    seconds: tuple[float, ...]
    n_fail: int
    false_failure_rate: float
    clopper_pearson_upper: float
    confidence: float
    rates: tuple[RateCalibration, ...]

    @property
    def n_seeds(self) -> int:
        return len(self.seeds)

    @property
    def n_judged(self) -> int:
        return sum(s != "not_applicable" for s in self.statuses)

    @property
    def failed_seeds(self) -> tuple[int, ...]:
        return tuple(seed for seed, s in zip(self.seeds, self.statuses) if s == "fail")

    @property
    def acceptable(self) -> bool:
        """Observed false-failure rate at or under :data:`MAX_FALSE_FAILURE_RATE`."""
        return bool(self.false_failure_rate <= MAX_FALSE_FAILURE_RATE)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (NaN as null)."""
        return {
            "claim_id": self.claim_id, "profile": self.profile, "sub_verdict": self.sub_verdict,
            "seeds": list(self.seeds), "statuses": list(self.statuses),
            "seconds": list(self.seconds), "n_fail": self.n_fail,
            "n_judged": self.n_judged, "failed_seeds": list(self.failed_seeds),
            "false_failure_rate": _float_or_none(self.false_failure_rate),
            "clopper_pearson_upper": _float_or_none(self.clopper_pearson_upper),
            "confidence": self.confidence,
            "rates": [r.to_dict() for r in self.rates],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CalibrationSummary:
        return cls(
            claim_id=data["claim_id"], profile=data["profile"], sub_verdict=data["sub_verdict"],
            seeds=tuple(int(s) for s in data["seeds"]), statuses=tuple(data["statuses"]),
            seconds=tuple(float(s) for s in data["seconds"]), n_fail=int(data["n_fail"]),
            false_failure_rate=_none_to_nan(data["false_failure_rate"]),
            clopper_pearson_upper=_none_to_nan(data["clopper_pearson_upper"]),
            confidence=float(data["confidence"]),
            rates=tuple(RateCalibration.from_dict(r) for r in data["rates"]),
        )


def summarise(claim_id: str, profile_name: str, verdicts: Sequence[Verdict], *,
              sub_verdict: str | None = None, confidence: float = CONFIDENCE) -> CalibrationSummary:
    """Summarise already-selected verdicts of one claim, one per master seed."""
    statuses = tuple(v.status for v in verdicts)
    n_fail = statuses.count("fail")
    n_judged = n_fail + statuses.count("pass")
    grouped: dict[tuple[str, str], list[FitRecord]] = {}
    for verdict in verdicts:
        for record in rate_fits(verdict):
            grouped.setdefault((record.parameter, record.label), []).append(record)
    return CalibrationSummary(
        claim_id=claim_id, profile=profile_name, sub_verdict=sub_verdict,
        seeds=tuple(int(v.master_seed) if v.master_seed is not None else -1 for v in verdicts),
        statuses=statuses, seconds=tuple(float(v.seconds) for v in verdicts), n_fail=n_fail,
        false_failure_rate=n_fail / n_judged if n_judged else math.nan,
        clopper_pearson_upper=clopper_pearson_upper(n_fail, n_judged, confidence),
        confidence=confidence,
        rates=tuple(RateCalibration.from_records(r) for r in grouped.values()),
    )


# --- running ------------------------------------------------------------------------------


def seed_path(out: Path, claim_id: str, seed: int) -> Path:
    """Where the verdict of ``claim_id`` at master seed ``seed`` is stored."""
    return out / claim_id / f"seed_{seed}.json"


def summary_path(out: Path, claim_id: str) -> Path:
    return out / claim_id / "summary.json"


def _validate(claim_id: str, profile_name: str, seeds: Sequence[int]) -> tuple[int, ...]:
    try:
        claim = get_claim(claim_id)
    except KeyError:
        raise ValueError(f"calibrate: unknown claim id {claim_id!r}") from None
    if not claim.implemented:
        raise ValueError(f"calibrate: claim {claim_id!r} is pending (no checker)")
    Profile(name=profile_name)  # raises ValueError naming a bad profile
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("calibrate: seeds is empty")
    for i, seed in enumerate(seeds):
        if isinstance(seed, bool) or int(seed) != seed or seed < 0:
            raise ValueError(f"calibrate: seeds[{i}] = {seed!r} is not a non-negative int")
    duplicates = sorted({s for s in seeds if seeds.count(s) > 1})
    if duplicates:
        raise ValueError(f"calibrate: seeds repeat {duplicates}")
    return tuple(int(s) for s in seeds)


def _load(path: Path, claim_id: str, profile_name: str, seed: int) -> Verdict | None:
    """The stored verdict at ``path`` (None if absent or unreadable); a mismatch raises."""
    if not path.exists():
        return None
    try:
        verdict = Verdict.from_dict(json.loads(path.read_text()))
    except (json.JSONDecodeError, TypeError, ValueError, KeyError):
        return None
    if (verdict.claim_id, verdict.profile, verdict.master_seed) != (claim_id, profile_name, seed):
        raise ValueError(
            f"calibrate: {path} holds {verdict.claim_id!r} at profile {verdict.profile!r}, seed "
            f"{verdict.master_seed}, not {claim_id!r}, {profile_name!r}, {seed}; use another "
            "out folder or resume=False"
        )
    return verdict


def _compute(claim_id: str, profile: Profile, sub: SubVerdict | None) -> Verdict:
    if sub is None or sub.run is None:
        return run_claim(claim_id, profile)
    import time

    start = time.perf_counter()
    verdict = sub.run(profile)
    return replace(verdict, seconds=time.perf_counter() - start, profile=profile.name,
                   master_seed=profile.master_seed)


def calibrate(claim_id: str, *, profile_name: str = "quick", seeds: Sequence[int],
              out: Path | None, resume: bool = True,
              progress: Progress | None = None) -> CalibrationSummary:
    """Run a claim's checker for every master seed and summarise its false failures.

    Parameters
    ----------
    claim_id : str
        An implemented claim; its declared :data:`SUB_VERDICTS` entry, if any, selects the
        calibrated part (and may compute only that part).
    profile_name : "quick" | "full"
    seeds : sequence of int
        Distinct non-negative master seeds.
    out : Path, optional
        Each verdict is stored atomically at ``out/<claim_id>/seed_<seed>.json`` as it is
        computed, the summary at ``out/<claim_id>/summary.json``. None: nothing is stored.
    resume : bool
        Reuse stored verdicts of the same claim, profile and seed instead of recomputing.
    progress : callable (seed, verdict, reused) -> None, optional

    Returns
    -------
    CalibrationSummary

    Raises
    ------
    ValueError
        Unknown or pending claim, bad profile, empty/repeated/negative seeds, or a stored
        verdict of another claim, profile or seed at a seed's path.
    """
    from mfcheck.reports.store import write_json_atomic

    seeds = _validate(claim_id, profile_name, seeds)
    sub = SUB_VERDICTS.get(claim_id)
    verdicts = []
    for seed in seeds:
        path = seed_path(out, claim_id, seed) if out is not None else None
        verdict = _load(path, claim_id, profile_name, seed) if path and resume else None
        reused = verdict is not None
        if verdict is None:
            verdict = _compute(claim_id, Profile(name=profile_name, master_seed=seed), sub)
            if path is not None:
                write_json_atomic(path, verdict.to_dict())
        selected = sub.select(verdict) if sub is not None else verdict
        verdicts.append(selected)
        if progress is not None:
            progress(seed, selected, reused)
    summary = summarise(claim_id, profile_name, verdicts,
                        sub_verdict=sub.name if sub is not None else None)
    if out is not None:
        from mfcheck.claims.fingerprint import code_fingerprint

        # the code the seeds ran with: a report marks the figures stale once the checker changes
        write_json_atomic(summary_path(out, claim_id),
                          {**summary.to_dict(), "code_fingerprint": code_fingerprint(get_claim(claim_id))})
    return summary
