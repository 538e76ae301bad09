"""Baselines and comparisons: is a variant the same as, better or worse than the paper's algorithm?

* :mod:`~mfcheck.compare.recording`: executors that record every (cell, record) of a check, or
  replay stored records to it (resampled by seed index) without recomputing;
* :mod:`~mfcheck.compare.baseline`: baseline files (``mfcheck report --save-baseline FILE``):
  verdicts, records and code fingerprints per claim;
* :mod:`~mfcheck.compare.figures`: a claim's comparison figure (its toml's ``[comparison]``);
* :mod:`~mfcheck.compare.bootstrap`: the paired bootstrap over shared seeds and the judgement
  same / better / worse / inconclusive (with the seeds that would decide it);
* :mod:`~mfcheck.compare.engine`: a variant against a baseline, claim by claim (``mfcheck compare``,
  the pytest plugin ``--mfcheck-baseline``);
* :mod:`~mfcheck.compare.render`, :mod:`~mfcheck.compare.page`: text table and HTML page.

Sits above :mod:`mfcheck.claims` and beside :mod:`mfcheck.reports` (rank 4).
"""

from __future__ import annotations

from mfcheck.compare.baseline import (
    Baseline,
    BaselineError,
    ClaimRun,
    load_baseline,
    record_claim,
    save_baseline,
)
from mfcheck.compare.bootstrap import Interval, Judgement, judge, paired_interval
from mfcheck.compare.engine import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_REGRESSED,
    EXIT_USAGE,
    ClaimComparison,
    Comparison,
    compare_claim,
    compare_runs,
    compare_variant,
    plan,
)
from mfcheck.compare.figures import comparison_value
from mfcheck.compare.recording import RecordingExecutor, ReplayExecutor

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_REGRESSED",
    "EXIT_USAGE",
    "Baseline",
    "BaselineError",
    "ClaimComparison",
    "ClaimRun",
    "Comparison",
    "Interval",
    "Judgement",
    "RecordingExecutor",
    "ReplayExecutor",
    "compare_claim",
    "compare_runs",
    "compare_variant",
    "comparison_value",
    "judge",
    "load_baseline",
    "paired_interval",
    "plan",
    "record_claim",
    "save_baseline",
]
