"""Claims: the checker registry, calibration and variants (above :mod:`mfcheck.checks`).

Verdicts, profiles and claims-as-data live in :mod:`mfcheck.judgement` and are re-exported here.
"""

from __future__ import annotations

from mfcheck.claims.registry import get_checker, run_claim
from mfcheck.judgement import (
    FULL,
    QUICK,
    Claim,
    Figure,
    Profile,
    Verdict,
    get_claim,
    get_profile,
    load_claims,
)

__all__ = [
    "FULL",
    "QUICK",
    "Claim",
    "Figure",
    "Profile",
    "Verdict",
    "get_checker",
    "get_claim",
    "get_profile",
    "load_claims",
    "run_claim",
]
