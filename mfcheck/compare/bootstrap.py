"""The paired bootstrap of a claim's comparison figure, and the judgement same/better/worse.

No cell is recomputed. A resample draws seed indices with replacement, the same draw for the
baseline and the variant (paired: both saw the same random streams on the same cells), and
re-runs the claim's ``check(algorithm, profile=...)`` under a :class:`ReplayExecutor` that
serves, for each requested cell, the stored record of the same settings at the resampled seed
index; the check's own judgement then recomputes the figure on the resampled data. The
difference interval is the percentile interval of (variant figure - baseline figure) over the
resamples.

What the bootstrap covers: the randomness of the cells (everything that goes through
``run_cells``). A check that draws random numbers outside its cells (its own fit bootstraps,
a claim-level estimate) does so from the master seed, identically in every replay, so that
part is held fixed, not resampled. A claim whose cells have a single seed index has no seeds to
resample: its interval is the exact difference (degenerate) and "same" means |difference| <= δ.
Replicates a cell runs inside itself (a setting such as ``n_replicates`` or ``runs`` > 1) under one
seed index cannot be resampled: such a claim gets no interval (inconclusive) unless both figures
are identical. A checker that measures without ``run_cells`` records no cell: no interval (inconclusive); one that
does part of its measuring outside ``run_cells`` redoes that part, identically, in every replay
(valid for the cell part, only slower). A resample whose replay fails (it asks for a cell that was
not recorded, e.g. a grid chosen from resampled screening records) is left out; beyond 10% of
them, no interval.

Judgement, with the difference turned into an improvement (difference when higher is better,
its negative when lower is better) and its interval [lo, hi]: ``same`` when -δ <= lo and
hi <= δ; ``better`` when lo > δ; ``worse`` when hi < -δ; otherwise ``inconclusive``, with the
number of seeds that would decide it: the interval's half-width h scaled by sqrt(n/n') would
leave the band (|centre| > δ: n' > n (h / (|centre| - δ))²) or fit inside it
(|centre| < δ: n' >= n (h / (δ - |centre|))²).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfcheck.compare.figures import comparison_value
from mfcheck.compare.recording import ReplayExecutor, n_seeds
from mfcheck.judgement import ComparisonSpec, Profile, Verdict, using_executor

JUDGEMENTS: tuple[str, ...] = ("same", "better", "worse", "inconclusive", "n/a")
#: resamples whose replay failed (a cell not recorded) beyond this share: no interval
MAX_FAILED_SHARE = 0.1

Check = Callable[..., Verdict]


@dataclass(frozen=True, kw_only=True)
class Interval:
    """The paired difference (variant - baseline) of a comparison figure and its interval."""

    difference: float
    low: float
    high: float
    n_seeds: int
    n_resamples: int = 0
    confidence: float = 0.95
    failed: int = 0
    note: str = ""

    @property
    def exact(self) -> bool:
        return self.n_resamples == 0


@dataclass(frozen=True, kw_only=True)
class Judgement:
    """same / better / worse / inconclusive, and for inconclusive the seeds that would decide it."""

    judgement: str
    seeds_to_decide: int | None = None
    would_be: str = ""


def replay_figure(check: Check, algorithm: Any, profile: Profile, records: Sequence[Mapping[str, Any]],
                  spec: ComparisonSpec, positions: np.ndarray | None = None) -> float | None:
    """The comparison figure of ``check`` re-judged on stored ``records`` resampled by ``positions``."""
    with using_executor(ReplayExecutor(records, positions)), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        verdict = check(profile=profile) if algorithm is None else check(algorithm, profile=profile)
    return comparison_value(verdict, spec)


def paired_interval(check: Check, spec: ComparisonSpec, profile: Profile, *,
                    baseline: tuple[Any, Sequence[Mapping[str, Any]], float],
                    variant: tuple[Any, Sequence[Mapping[str, Any]], float],
                    resamples: int, rng: np.random.Generator, confidence: float = 0.95) -> Interval:
    """Paired bootstrap interval of (variant figure - baseline figure).

    ``baseline`` and ``variant`` are (algorithm, stored records, figure of the actual verdict).
    """
    (base_algorithm, base_records, base_value), (var_algorithm, var_records, var_value) = baseline, variant
    difference = var_value - base_value
    if not base_records or not var_records:
        return Interval(difference=difference, low=math.nan, high=math.nan, n_seeds=0, confidence=confidence,
                        note="no cells recorded (the checker does not run its cells through run_cells): "
                             "the difference cannot be resampled")
    seeds = min(n_seeds(base_records), n_seeds(var_records))
    inside = replicates(base_records)
    if seeds < 2 and inside is not None and difference != 0.0:
        return Interval(difference=difference, low=math.nan, high=math.nan, n_seeds=max(seeds, 1),
                        confidence=confidence,
                        note=f"no interval: each cell holds {inside[1]} replicates ({inside[0]!r}) under one seed "
                             "index, which the seed bootstrap cannot resample")
    if seeds < 2 or resamples < 1:
        return Interval(difference=difference, low=difference, high=difference, n_seeds=max(seeds, 1),
                        confidence=confidence, note="exact: no seeds to resample" if seeds < 2 else "exact")
    diffs, failed, last_error = [], 0, ""
    for _ in range(resamples):
        positions = rng.random(seeds)
        try:
            b = replay_figure(check, base_algorithm, profile, base_records, spec, positions)
            v = replay_figure(check, var_algorithm, profile, var_records, spec, positions)
        except Exception as error:  # a resample whose check asks for unrecorded cells, a degenerate fit
            failed, last_error = failed + 1, f"{type(error).__name__}: {error}"
            continue
        if b is None or v is None:
            failed += 1
            continue
        diffs.append(v - b)
    if not diffs or failed > MAX_FAILED_SHARE * resamples:
        return Interval(difference=difference, low=math.nan, high=math.nan, n_seeds=seeds,
                        n_resamples=len(diffs), confidence=confidence, failed=failed,
                        note=f"bootstrap unavailable: {failed} of {resamples} resamples failed"
                             + (f" (last: {last_error})" if last_error else ""))
    tail = 50 * (1 - confidence)
    low, high = (float(x) for x in np.percentile(diffs, [tail, 100 - tail]))
    note = f"paired bootstrap over {seeds} seeds, {len(diffs)} resamples"
    if failed:
        note += f" ({failed} failed, left out)"
    return Interval(difference=difference, low=low, high=high, n_seeds=seeds, n_resamples=len(diffs),
                    confidence=confidence, failed=failed, note=note)


#: cell settings that count replicates run inside one cell (vectorised), not seed indices
REPLICATE_SETTINGS: tuple[str, ...] = ("n_replicates", "replicates", "n_runs", "runs", "n_seeds")


def replicates(records: Sequence[Mapping[str, Any]]) -> tuple[str, int] | None:
    """(setting, count) when the cells run several replicates inside each record (None otherwise)."""
    for r in records:
        for name in REPLICATE_SETTINGS:
            value = r.get("settings", {}).get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > 1:
                return name, value
    return None


def judge(interval: Interval, direction: str, margin: float) -> Judgement:
    """same / better / worse / inconclusive from the difference interval (module docstring)."""
    sign = 1.0 if direction == "higher" else -1.0
    if math.isnan(interval.low) or math.isnan(interval.high):
        return Judgement(judgement="inconclusive")
    lo, hi = sorted((sign * interval.low, sign * interval.high))
    if -margin <= lo and hi <= margin:
        return Judgement(judgement="same")
    if lo > margin:
        return Judgement(judgement="better")
    if hi < -margin:
        return Judgement(judgement="worse")
    return Judgement(judgement="inconclusive", **seeds_to_decide(lo, hi, margin, interval.n_seeds))


def seeds_to_decide(lo: float, hi: float, margin: float, seeds: int) -> dict[str, Any]:
    """How many seeds would decide an inconclusive interval [lo, hi] (improvement scale), were its
    centre to hold and its half-width shrink as 1/sqrt(seeds)."""
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    if half <= 0:
        return {}
    if abs(centre) > margin:
        needed = math.floor(seeds * (half / (abs(centre) - margin)) ** 2) + 1
        return {"seeds_to_decide": max(needed, seeds + 1), "would_be": "better" if centre > 0 else "worse"}
    if abs(centre) < margin:
        needed = math.ceil(seeds * (half / (margin - abs(centre))) ** 2)
        return {"seeds_to_decide": max(needed, seeds + 1), "would_be": "same"}
    return {}
