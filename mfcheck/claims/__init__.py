"""Claims (read from ``theory/``), verdicts and run profiles."""

from __future__ import annotations

from mfcheck.claims.profile import FULL, QUICK, Profile, get_profile
from mfcheck.claims.registry import Claim, get_checker, get_claim, load_claims, run_claim
from mfcheck.claims.verdict import Figure, Verdict

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
