"""MFG-NAC Lemmas 5 and 8: σ^π recursions along exact-oracle NAC runs."""

from __future__ import annotations

from mfcheck.checks.mfgnac import lemma5_lemma8
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfgnac_lemma5_lemma8 import mutant_drift_ignored


def test_quick_run_passes_with_constants() -> None:
    verdict = lemma5_lemma8.run(QUICK)
    assert verdict.status == "pass"
    runs = {r["game"]: r for r in verdict.evidence["runs"]}
    for row in runs.values():
        assert row["epsilon_approx"] < 1e-20  # one-hot features: compatible approximation is exact
        assert row["violations"] == {"lemma5": 0, "lemma8": 0, "improvement": 0}
        assert row["constants"]["C1"] >= 1.0 and row["constants"]["kappa"] > 0
    # σ contracts faster than the stated (1 - ηλ) (about (1 - ηλ)²) on the control game
    assert runs["random_mfg"]["sigma_ratio_median"] < 0.9 - 0.05


def test_rejects_drift_ignored() -> None:
    verdict = lemma5_lemma8.run(QUICK, constants_map=mutant_drift_ignored)
    assert verdict.status == "fail"
    assert any(r.startswith("lemma5") for r in verdict.reasons)
