"""Judgement: verdicts, profiles, claims as data, cells and records, and the one place where
rate and empirical verdicts are decided from records (margins and confidence from the toml).

A side layer beside :mod:`mfcheck.stats`: checkers import it; it imports no checker, algorithm
or model.
"""

from __future__ import annotations

from mfcheck.judgement.cells import Cell, grid, named_rng, run_cells, using_executor
from mfcheck.judgement.combine import combine, combined_status, not_applicable, screen
from mfcheck.judgement.profile import (
    DEFAULT_MASTER_SEED,
    FULL,
    PROFILE_NAMES,
    QUICK,
    Profile,
    get_profile,
)
from mfcheck.judgement.rates import RateJudgement, judge_rate, rate_spec, rate_verdict
from mfcheck.judgement.records import Record, matrix
from mfcheck.judgement.spec import (
    Claim,
    ComparisonSpec,
    Mutant,
    RateSpec,
    get_claim,
    load_claims,
    theory_dir,
)
from mfcheck.judgement.statement import Statement
from mfcheck.judgement.verdict import STATUSES, Figure, Hypothesis, Status, Verdict

__all__ = [
    "DEFAULT_MASTER_SEED",
    "FULL",
    "PROFILE_NAMES",
    "QUICK",
    "STATUSES",
    "Cell",
    "Claim",
    "ComparisonSpec",
    "Figure",
    "Hypothesis",
    "Mutant",
    "Profile",
    "RateJudgement",
    "RateSpec",
    "Record",
    "Statement",
    "Status",
    "Verdict",
    "combine",
    "combined_status",
    "get_claim",
    "get_profile",
    "grid",
    "judge_rate",
    "load_claims",
    "matrix",
    "named_rng",
    "not_applicable",
    "rate_spec",
    "rate_verdict",
    "run_cells",
    "screen",
    "theory_dir",
    "using_executor",
]
