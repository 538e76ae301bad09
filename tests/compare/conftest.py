"""Shared fixtures of the comparison tests: the example variants, two test-only variants (one
whose part raises, one that breaks a hypothesis) and one baseline of mfgnac.lemma7 (the paper's
NAC, quick profile) written once per session through ``mfcheck report --save-baseline``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mfcheck.cli import main

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLAIM = "mfgnac.lemma7"
VALID = f"{ROOT / 'examples' / 'nac_half_mean_field_step.py'}:VARIANT"
BROKEN = f"{ROOT / 'examples' / 'nac_wrong_sign_mean_field.py'}:VARIANT"
RAISING = f"{HERE / 'variants_for_tests.py'}:RAISING"
HUGE_STEP = f"{HERE / 'variants_for_tests.py'}:HUGE_STEP"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="session")
def lemma7_baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mfcheck report --only mfgnac.lemma7 --save-baseline FILE`` on the paper's NAC."""
    folder = tmp_path_factory.mktemp("baseline")
    path = folder / "baseline.json"
    result = invoke("report", "--only", CLAIM, "--out", str(folder / "report"), "--save-baseline", str(path))
    assert result.exit_code == 0, result.output
    assert f"wrote baseline {path}" in result.output
    return path


@pytest.fixture
def stale_baseline(lemma7_baseline: Path, tmp_path: Path) -> Path:
    """The baseline with mfgnac.lemma7's checker fingerprint changed (as if the code had moved on)."""
    data = json.loads(lemma7_baseline.read_text())
    data["claims"][CLAIM]["code_fingerprint"] = "0" * 20
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(data))
    return path
