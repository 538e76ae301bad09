"""Mutants for the App D comparison (checker: :mod:`mfcheck.checks.mfgnac.nac_vs_dlnac`)."""

from __future__ import annotations

from mfcheck.checks.mfgnac.nac_vs_dlnac import dl_nac_arm


def mutant_swapped_arms() -> dict[str, object]:
    """Both arms run DL-NAC (the "NAC" curve is a double-loop one): NAC is then neither smoother
    nor lower than DL-NAC, so the smoothness and final-gap criteria must fail."""
    return {"NAC": dl_nac_arm, "DL-NAC": dl_nac_arm}
