"""MFG-NAC App D: NAC vs DL-NAC (criteria on synthetic curves; the experiment itself is slow)."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.checks.mfgnac import nac_vs_dlnac
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfgnac_nac_vs_dlnac import mutant_swapped_arms


def _smooth(rng: np.random.Generator) -> list[float]:
    return list(np.exp(-np.linspace(0, 6, 60)) + 1e-4 * rng.random())


def _zigzag(rng: np.random.Generator) -> list[float]:
    t = np.linspace(0, 6, 60)
    return list(0.05 + np.exp(-t) + 0.2 * (np.arange(60) % 10 == 0) + 1e-3 * rng.random())


def _result(nac, dl) -> dict[str, object]:
    rng = np.random.default_rng(0)
    return {"NAC": {"curves": [nac(rng) for _ in range(10)]}, "DL-NAC": {"curves": [dl(rng) for _ in range(10)]}}


def test_criteria_pass_on_paper_like_curves() -> None:
    rows = nac_vs_dlnac.summarise(_result(_smooth, _zigzag), np.random.default_rng(1))
    assert rows["criteria"] == {"nac_lower_final": True, "nac_smoother": True, "dl_keeps_gap": True}
    assert rows["NAC"]["upward_variation"] < 1e-2 < rows["DL-NAC"]["upward_variation"]


def test_upward_variation() -> None:
    assert nac_vs_dlnac.upward_variation(np.array([3.0, 2.0, 2.5, 1.0, 1.5])) == pytest.approx(1.0)


def test_rejects_swapped_arms() -> None:
    """Synthetic twin of the mutant: both arms zigzag -> not smoother, not lower."""
    rows = nac_vs_dlnac.summarise(_result(_zigzag, _zigzag), np.random.default_rng(1))
    assert not rows["criteria"]["nac_smoother"]
    assert not rows["criteria"]["nac_lower_final"]
    arms = mutant_swapped_arms()
    assert arms["NAC"] is arms["DL-NAC"] is nac_vs_dlnac.dl_nac_arm


@pytest.mark.slow
def test_quick_experiment_runs_and_writes_data(tmp_path) -> None:
    verdict = nac_vs_dlnac.run(QUICK, out_dir=tmp_path)
    assert (tmp_path / "nac_vs_dlnac.json").exists()
    assert len(verdict.evidence["plots"]) == 2
    sis = verdict.evidence["summaries"]["sis"]
    assert sis["DL-NAC"]["final"][1] > nac_vs_dlnac.GAP_FLOOR
    assert verdict.status in ("pass", "fail")


@pytest.mark.slow
def test_rejects_swapped_arms_on_the_experiment(tmp_path) -> None:
    verdict = nac_vs_dlnac.run(QUICK, out_dir=tmp_path, arms=mutant_swapped_arms())
    assert verdict.status == "fail"
    assert any("nac_smoother" in r for r in verdict.reasons)
